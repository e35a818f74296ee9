import Vapor
import ZeroErrandCore

/// Sending a stored file over HTTP: whole, decrypted as it goes out and its hash checked at the
/// end, or, for a request naming one byte range (a video player seeking in a recording), only
/// that range with 206. Several ranges in one request are answered with the whole file.
extension DocumentStore {
    enum ByteRange: Equatable {
        case whole
        case part(Range<Int64>)
        case unsatisfiable
    }

    /// What a `Range` header asks of a file of `size` bytes (RFC 9110, section 14). Vapor parses
    /// the numbers without checking them: a range that ends before it starts is invalid and
    /// ignored (the whole file), one starting at or past the end cannot be satisfied, and an end
    /// past the file's is cut to it (never `last + 1`, which could overflow).
    static func byteRange(_ headers: HTTPHeaders, size: Int64) -> ByteRange {
        guard let asked = headers.range, asked.unit == .bytes, asked.ranges.count == 1 else { return .whole }
        switch asked.ranges[0] {
        case .start(let first):
            guard first >= 0 else { return .whole }
            return Int64(first) < size ? .part(Int64(first)..<size) : .unsatisfiable
        case .tail(let length):
            guard length > 0, size > 0 else { return .unsatisfiable }
            return .part(max(0, size - Int64(length))..<size)
        case .within(let first, let last):
            guard first >= 0, last >= first else { return .whole }
            guard Int64(first) < size else { return .unsatisfiable }
            return .part(Int64(first)..<(Int64(last) >= size - 1 ? size : Int64(last) + 1))
        }
    }

    func response(for req: Request, storageName: String, wrappedKey: WrappedKey, expectedSHA256: String, size: Int64) async throws -> Response {
        let source = try await source(storageName: storageName, wrappedKey: wrappedKey, expectedSHA256: expectedSHA256)
        let logger = req.logger
        let store = self
        // Once the status has gone out, a failure can only cut the response short.
        func body(count: Int64, _ send: @escaping @Sendable (any AsyncBodyStreamWriter) async throws -> Void) -> Response.Body {
            Response.Body(asyncStream: { writer in
                do {
                    try await send(writer)
                    try await writer.write(.end)
                } catch {
                    logger.error("stored file \(storageName) could not be sent: \(error)")
                    try await writer.write(.error(error))
                }
            }, count: Int(count))
        }
        let response: Response
        switch Self.byteRange(req.headers, size: size) {
        case .whole:
            response = Response(status: .ok, body: body(count: size) { writer in
                try await store.stream(source) { try await writer.write(.buffer($0)) }
            })
        case .part(let range):
            response = Response(status: .partialContent, body: body(count: Int64(range.count)) { writer in
                try await store.stream(source, range: range) { try await writer.write(.buffer($0)) }
            })
            response.headers.replaceOrAdd(name: .contentRange, value: "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)")
        case .unsatisfiable:
            response = Response(status: .rangeNotSatisfiable)
            response.headers.replaceOrAdd(name: .contentRange, value: "bytes */\(size)")
        }
        response.headers.replaceOrAdd(name: .acceptRanges, value: "bytes")
        return response
    }
}
