import Foundation

/// Thrown as soon as an upload's running total passes its limit, before the rest is read.
public struct UploadTooLarge: Error, Equatable, Sendable {
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }
}

/// Counts the bytes of a body as they stream in. The upload handler calls `consume` for every
/// chunk before writing it anywhere, so an oversized body is refused without being held in memory.
public struct ByteBudget: Sendable, Equatable {
    public let limit: Int
    public private(set) var consumed: Int = 0

    public init(limit: Int) {
        precondition(limit >= 0, "an upload limit cannot be negative")
        self.limit = limit
    }

    public var remaining: Int { limit - consumed }

    /// A total exactly at the limit is allowed; one byte more is not. A refused count is not
    /// added, so `consumed` stays what was actually accepted.
    public mutating func consume(_ count: Int) throws {
        precondition(count >= 0, "a chunk cannot have a negative size")
        let (total, overflow) = consumed.addingReportingOverflow(count)
        guard !overflow, total <= limit else { throw UploadTooLarge(limit: limit) }
        consumed = total
    }
}
