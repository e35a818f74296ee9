import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket
import Testing
import Vapor
@testable import ZeroErrand

/// A participant's browser as far as signalling goes: a real WebSocket to a running app,
/// carrying the browser's cookies, collecting what the room sends.
final class SignalClient: Sendable {
    let peer: String
    private let received = NIOLockedValueBox<[String]>([])
    private let socket = NIOLockedValueBox<WebSocket?>(nil)

    init(peer: String) { self.peer = peer }

    static func connect(_ app: Application, port: Int, session: UUID, as browser: TestBrowser, peer: String = UUID().uuidString.lowercased(),
                        origin: String? = nil) async throws -> SignalClient {
        let client = SignalClient(peer: peer)
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: browser.cookieHeader)
        headers.add(name: .origin, value: origin ?? "http://127.0.0.1:\(port)")
        // As a browser sends it: with the port (WebSocketKit's own Host line, added after this one, lacks it).
        headers.add(name: .host, value: "127.0.0.1:\(port)")
        try await WebSocket.connect(to: "ws://127.0.0.1:\(port)/video/\(session.uuidString.lowercased())/signal?peer=\(peer)",
                                    headers: headers, on: app.eventLoopGroup) { ws in
            client.socket.withLockedValue { $0 = ws }
            ws.onText { _, text in client.received.withLockedValue { $0.append(text) } }
        }.get()
        return client
    }

    func send(_ text: String) async throws {
        try await socket.withLockedValue { $0 }?.send(text)
    }

    func send(_ object: [String: Any]) async throws {
        try await send(String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    /// Closes the socket unless the server already has (a room ends, a clock moved on): closing it
    /// twice would fail with "I/O on closed channel" however the test went.
    func close(code: WebSocketErrorCode = .normalClosure) async throws {
        guard let open = socket.withLockedValue({ $0 }), !open.isClosed else { return }
        do {
            try await open.close(code: code)
        } catch ChannelError.ioOnClosedChannel where open.isClosed {
            // Closed by the server between the check and the close.
        }
    }

    var isClosed: Bool { socket.withLockedValue { $0?.isClosed ?? true } }

    /// Everything received so far, decoded.
    var messages: [[String: Any]] {
        received.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits for the first message of `type` not yet taken; nil if none arrives within five seconds.
    func next(_ type: String, after index: Int = 0) async throws -> [String: Any]? {
        for _ in 0..<250 {
            if let found = messages.dropFirst(index).first(where: { $0["type"] as? String == type }) { return found }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func count(_ type: String) -> Int { messages.filter { $0["type"] as? String == type }.count }
}

extension Application {
    /// Starts the real HTTP server on a free port (WebSockets need one) and answers the port.
    func startServer() async throws -> Int {
        try await server.start(address: .hostname("127.0.0.1", port: 0))
        return try #require(http.server.shared.localAddress?.port)
    }
}

/// A plain TCP connection to the test server on 127.0.0.1, for requests no HTTP client would send.
func rawConnection(port: Int, timeoutSeconds: Int = 20) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(descriptor)
        throw Abort(.internalServerError, reason: "cannot connect")
    }
    return descriptor
}

func sendRaw(_ descriptor: Int32, _ text: String) {
    _ = text.utf8CString.withUnsafeBufferPointer { send(descriptor, $0.baseAddress, $0.count - 1, 0) }
}

/// The status of the first answer to `request` (raw HTTP text) on a fresh connection.
func rawStatus(port: Int, request: String, timeoutSeconds: Int = 20) async throws -> Int {
    try await offTheCooperativePool {
        let descriptor = try rawConnection(port: port, timeoutSeconds: timeoutSeconds)
        defer { close(descriptor) }
        sendRaw(descriptor, request)
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        let head = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        guard let line = head.split(separator: "\r\n").first, let code = Int(line.split(separator: " ").dropFirst().first ?? "") else {
            throw Abort(.internalServerError, reason: "no HTTP answer: \(head)")
        }
        return code
    }
}

/// Runs blocking socket calls on a thread of their own. Blocking one of Swift's cooperative threads
/// (two on a two-core machine) starves the server under test, whose handlers run on them; NIO's
/// shared thread pool is no better, as SQLite's queries and password hashing run there. Either way
/// a read waiting for the server's answer would wait for itself until its timeout.
func offTheCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// The HTTP status a WebSocket upgrade request gets, read off a plain socket: WebSocketKit's
/// client never completes when the server refuses the upgrade.
func upgradeStatus(port: Int, path: String, cookie: String, origin: String) async throws -> Int {
    try await rawStatus(port: port, request: "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: \(origin)\r\nCookie: \(cookie)\r\n\r\n",
                  timeoutSeconds: 30)
}
