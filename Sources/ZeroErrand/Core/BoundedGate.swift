import Vapor

/// Lets `running` callers work at once and `waiting` more wait their turn; anyone beyond that is
/// refused at once with 503 and `Retry-After`, so an overload costs a client one quick answer
/// rather than minutes in a queue that only grows.
actor BoundedGate {
    let running: Int
    let waiting: Int
    private var active = 0
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(running: Int, waiting: Int) {
        self.running = max(1, running)
        self.waiting = max(0, waiting)
    }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await enter()
        do {
            let result = try await body()
            leave()
            return result
        } catch {
            leave()
            throw error
        }
    }

    private func enter() async throws {
        if active < running { active += 1; return }
        guard queue.count < waiting else { throw AppError.busy }
        // The leaving caller hands its place over: `active` stays as it is.
        await withCheckedContinuation { queue.append($0) }
    }

    private func leave() {
        if queue.isEmpty { active -= 1 } else { queue.removeFirst().resume() }
    }
}
