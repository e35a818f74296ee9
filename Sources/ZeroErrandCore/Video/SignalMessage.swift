import Foundation

/// A message a participant sends into a video room: a WebRTC offer, answer or ICE candidate for
/// one other participant, or a note to everyone that they switched to audio only. Anything else,
/// anything too large and anything that does not parse is dropped without reply, so a broken or
/// hostile client cannot disturb the room.
public struct SignalMessage: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case offer, answer, candidate, media
        /// Whether the message goes to one named participant rather than to everyone.
        public var isDirected: Bool { self != .media }
    }

    public static let maxBytes = 64 * 1024

    public let kind: Kind
    /// The recipient's peer id for directed messages.
    public let to: String?
    /// The payload as JSON text, passed on untouched.
    public let data: String

    /// Validates a text frame from a client.
    public static func parse(_ text: String) -> SignalMessage? {
        guard text.utf8.count <= maxBytes,
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let kind = (object["type"] as? String).flatMap(Kind.init(rawValue:)),
              let data = object["data"] as? [String: Any],
              let encoded = try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys]) else { return nil }
        let to = object["to"] as? String
        if kind.isDirected {
            guard let to, PeerID.isValid(to) else { return nil }
        }
        return SignalMessage(kind: kind, to: kind.isDirected ? to : nil, data: String(decoding: encoded, as: UTF8.self))
    }
}

/// Peer ids name one browser tab in a room; the tab makes its own so it keeps it when its socket
/// reconnects. Only their shape is checked: the server binds each to the account that opened it.
public enum PeerID {
    public static func isValid(_ text: String) -> Bool {
        (8...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46) || byte == 0x2D
        }
    }
}

/// A token bucket per connection: `burst` messages at once, then `perSecond` on average.
/// ICE gathering sends a few dozen candidates in a burst; a flood beyond that is dropped.
public struct RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Double
    private var tokens: Double
    private var last: Date

    public init(perSecond: Double, burst: Double, now: Date) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
        last = now
    }

    /// Takes one token; false when the bucket is empty (the message is to be dropped).
    public mutating func allow(now: Date) -> Bool {
        tokens = min(burst, tokens + max(0, now.timeIntervalSince(last)) * perSecond)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
