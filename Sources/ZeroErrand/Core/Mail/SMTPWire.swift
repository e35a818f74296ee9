import Foundation
import NIOCore
import NIOPosix
import NIOSSL

// MARK: - Reply model and decoder

/// One (possibly multi-line) SMTP reply.
struct SMTPReply: Sendable, Hashable {
    var code: Int
    var lines: [String]
    /// More bytes were already buffered behind this reply when it was decoded
    /// (used to detect STARTTLS response injection).
    var followedByBufferedData: Bool = false

    var text: String { lines.joined(separator: "\n") }
}

/// Incremental parser for SMTP replies: `250-first`, `250-second`, `250 last`.
struct SMTPReplyParser {
    static let maxLineLength = 4096
    static let maxLines = 512

    private var code: Int?
    private var lines: [String] = []

    /// Consumes complete lines from `buffer`; returns a reply once its last line arrived.
    mutating func parse(_ buffer: inout ByteBuffer) throws -> SMTPReply? {
        while true {
            let view = buffer.readableBytesView
            guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > Self.maxLineLength {
                    throw SMTPError.protocolViolation("reply line longer than \(Self.maxLineLength) bytes")
                }
                return nil
            }
            var line = Array(view[view.startIndex..<newline])
            buffer.moveReaderIndex(forwardBy: newline - view.startIndex + 1)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard line.count <= Self.maxLineLength else {
                throw SMTPError.protocolViolation("reply line longer than \(Self.maxLineLength) bytes")
            }
            guard line.count >= 3, line[0..<3].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw SMTPError.protocolViolation("malformed reply line \(String(decoding: line, as: UTF8.self).debugDescription)")
            }
            let lineCode = line[0..<3].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            var isLast = true
            if line.count > 3 {
                switch line[3] {
                case UInt8(ascii: "-"): isLast = false
                case UInt8(ascii: " "): isLast = true
                default:
                    throw SMTPError.protocolViolation("malformed reply line \(String(decoding: line, as: UTF8.self).debugDescription)")
                }
            }
            if let code, code != lineCode {
                throw SMTPError.protocolViolation("inconsistent codes in multi-line reply (\(code) then \(lineCode))")
            }
            code = lineCode
            lines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
            if lines.count > Self.maxLines {
                throw SMTPError.protocolViolation("reply has more than \(Self.maxLines) lines")
            }
            if isLast {
                let reply = SMTPReply(code: lineCode, lines: lines)
                code = nil
                lines = []
                return reply
            }
        }
    }
}

/// Bytes in, `SMTPReply` out.
final class SMTPReplyDecoder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = SMTPReply

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var failed = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            while let decoded = try parser.parse(&buffer) {
                var reply = decoded
                reply.followedByBufferedData = buffer.readableBytes > 0
                context.fireChannelRead(wrapInboundOut(reply))
                if failed { return }
            }
            buffer.discardReadBytes()
        } catch {
            failed = true
            buffer.clear()
            context.fireErrorCaught(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        buffer.clear()
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension SMTPReplyDecoder: Sendable {}

// MARK: - Client handler (command/reply matching)

struct SMTPClientRequest: Sendable {
    /// `nil` only for the greeting, which is awaited without sending anything.
    var payload: ByteBuffer?
    /// When set and the reply is 220, TLS is inserted at the front of the pipeline
    /// before any further byte is read (STARTTLS).
    var tlsUpgrade: SMTPTLSUpgrade?
    var replyPromise: EventLoopPromise<SMTPReply>
}

/// Matches each outgoing request with the next reply, in order (no pipelining beyond that).
final class SMTPClientHandler: ChannelDuplexHandler {
    typealias InboundIn = SMTPReply
    typealias OutboundIn = SMTPClientRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<SMTPReply>
        var tlsUpgrade: SMTPTLSUpgrade?
    }

    private let failures: SMTPFailureRecorder
    private var pending = CircularBuffer<Pending>()
    /// The greeting may arrive before the first request is written.
    private var earlyReply: SMTPReply?
    private var sawRequest = false
    private var failure: (any Error)?

    init(failures: SMTPFailureRecorder) {
        self.failures = failures
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.replyPromise.fail(failure)
            promise?.fail(failure)
            return
        }
        let firstRequest = !sawRequest
        sawRequest = true
        if firstRequest, let earlyReply {
            self.earlyReply = nil
            request.replyPromise.succeed(earlyReply)
        } else {
            pending.append(Pending(promise: request.replyPromise, tlsUpgrade: request.tlsUpgrade))
        }
        if let payload = request.payload {
            context.write(wrapOutboundOut(payload), promise: promise)
        } else {
            promise?.succeed(())
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        guard failure == nil else { return }
        guard let next = pending.popFirst() else {
            if !sawRequest, earlyReply == nil {
                earlyReply = reply
            } else {
                fail(context: context, error: SMTPError.protocolViolation("unsolicited reply \(reply.code) \(reply.text)"))
            }
            return
        }
        if let upgrade = next.tlsUpgrade, reply.code == 220 {
            guard !reply.followedByBufferedData else {
                let error = SMTPError.protocolViolation("plaintext data after STARTTLS reply")
                next.promise.fail(error)
                fail(context: context, error: error)
                return
            }
            do {
                let tlsHandler = try NIOSSLClientHandler(context: upgrade.context, serverHostname: upgrade.serverHostname)
                try context.pipeline.syncOperations.addHandler(tlsHandler, position: .first)
            } catch {
                let wrapped = SMTPError.tlsFailed(String(describing: error))
                next.promise.fail(wrapped)
                fail(context: context, error: wrapped)
                return
            }
        }
        next.promise.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(SMTPError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failPending(SMTPError.connectionClosed)
    }

    private func failPending(_ error: any Error) {
        if failure == nil { failure = error }
        let error = failure ?? error
        while let entry = pending.popFirst() {
            entry.promise.fail(error)
        }
    }

    private func fail(context: ChannelHandlerContext, error: any Error) {
        failures.record(error)
        let alreadyFailed = failure != nil
        failPending(error)
        if !alreadyFailed {
            context.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension SMTPClientHandler: Sendable {}

/// First error that tore a connection down, readable after the pipeline is gone.
final class SMTPFailureRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?

    func record(_ error: any Error) {
        lock.withLock {
            if self.error == nil { self.error = error }
        }
    }

    var firstError: (any Error)? {
        lock.withLock { error }
    }
}
