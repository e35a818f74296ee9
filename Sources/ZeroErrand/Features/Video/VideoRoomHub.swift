import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZeroErrandCore

/// A message within one room as the instances pass it around. `to` nil means everyone in the
/// room. Server-made messages (join, leave, consent, recording) have no client behind `from`.
struct RoomEnvelope: Codable, Sendable {
    var room: UUID
    var type: String
    var from: String?
    var to: String?
    var name: String?
    var role: String?
    /// JSON text, passed to browsers as is.
    var data: String?
    /// The sender's account, so a participant whose socket moves to another instance keeps its peer id.
    var account: UUID?
    /// For consent messages: whose consent is recorded, so each recipient learns whether theirs is.
    var consented: [UUID]?
    /// For caucus messages: the room split into groups that may not hear each other (account →
    /// group); nil when everyone is back together.
    var groups: [UUID: Int]?
    var instance: String
}

/// The video rooms of this instance: the participants connected here, and who is connected
/// elsewhere as far as join and leave messages tell. Messages go to local participants directly
/// and, through the relay, to the other instances sharing the database.
actor VideoRoomHub {
    static let maxParticipants = 6

    /// How long a participant whose connection dropped keeps their place: if their socket comes
    /// back within it, the others keep their calls (and restart ICE) instead of rebuilding them.
    static let reconnectGrace: Duration = .seconds(20)

    struct Peer {
        let account: UUID
        let name: String
        let role: String
        let instance: String
        var socket: WebSocket?
        /// Counts reconnects, so a grace period that ran out is not applied to a newer socket.
        var generation = 0
        /// When another instance last said this peer is there (for peers connected elsewhere).
        var seen = Date.distantPast
    }

    /// Instances repeat who is connected to them this often; a peer of another instance not
    /// mentioned for three rounds is forgotten (its instance died without saying goodbye).
    static let presenceInterval: Duration = .seconds(30)

    enum JoinResult { case joined, full, peerTaken }

    private var rooms: [UUID: [String: Peer]] = [:]
    /// Rooms split by a mediator's private session: account → group. Signals cross no group line,
    /// so nobody can connect to (and hear) a group they are not in, whatever their browser does.
    private var partitions: [UUID: [UUID: Int]] = [:]
    /// Set at shutdown: nothing more goes to other instances (the database may be closing).
    private var closing = false
    /// Socket handlers still running (they write presence when they end), and who waits for none.
    private var handlers = 0
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private let instance: String
    private let publishRemote: @Sendable (RoomEnvelope) async -> Void
    private let now: @Sendable () -> Date

    init(instance: String, now: @escaping @Sendable () -> Date, publishRemote: @escaping @Sendable (RoomEnvelope) async -> Void) {
        self.instance = instance
        self.now = now
        self.publishRemote = publishRemote
    }

    /// Whether the account has a live socket in the room, here or (as far as they tell) elsewhere.
    func isConnected(room: UUID, account: UUID) -> Bool {
        (rooms[room] ?? [:]).values.contains { $0.account == account && ($0.socket != nil || $0.instance != instance) }
    }

    /// Rooms with someone connected to this instance, and this instance's sockets (for metrics).
    func localCounts() -> (rooms: Int, sockets: Int) {
        let local = rooms.values.map { $0.values.filter { $0.socket != nil }.count }
        return (local.filter { $0 > 0 }.count, local.reduce(0, +))
    }

    /// Everyone the room counts against its limit of six, here and on other instances.
    func memberCount(room: UUID) -> Int { rooms[room]?.count ?? 0 }

    /// Adds the socket as `peer`. The same peer id from the same account is a reconnect: the new
    /// socket replaces the old one and the others keep their connection (and restart ICE).
    func join(room: UUID, peer: String, account: UUID, name: String, role: String, socket: WebSocket,
              welcome: @Sendable (_ peers: [[String: String]]) -> String) async -> JoinResult {
        var members = rooms[room] ?? [:]
        let rejoin: Bool
        var generation = 0
        if let existing = members[peer] {
            guard existing.account == account else { return .peerTaken }
            rejoin = true
            generation = existing.generation + 1
            if let old = existing.socket, old !== socket { old.close(code: .goingAway, promise: nil) }
        } else {
            guard members.count < Self.maxParticipants else { return .full }
            rejoin = false
        }
        let others = members.filter { $0.key != peer }.map { ["peer": $0.key, "name": $0.value.name, "role": $0.value.role] }
        members[peer] = Peer(account: account, name: name, role: role, instance: instance, socket: socket, generation: generation)
        rooms[room] = members
        socket.send(welcome(others), promise: nil)
        if partitions[room] != nil { socket.send(caucusText(room: room, for: account, members: members), promise: nil) }
        await publish(RoomEnvelope(room: room, type: rejoin ? "rejoin" : "join", from: peer, name: name, role: role,
                                   account: account, instance: instance))
        return .joined
    }

    /// Called when a socket closes; a socket already replaced by a reconnect changes nothing.
    /// Leaving on purpose (close code 1000) leaves at once; a dropped connection keeps the place
    /// for `reconnectGrace`.
    func leave(room: UUID, peer: String, socket: WebSocket) async {
        guard var member = rooms[room]?[peer], member.socket === socket else { return }
        if socket.closeCode == .normalClosure {
            await remove(room: room, peer: peer)
            return
        }
        member.socket = nil
        rooms[room]?[peer] = member
        let generation = member.generation
        Task {
            try? await Task.sleep(for: Self.reconnectGrace)
            await self.expire(room: room, peer: peer, generation: generation)
        }
    }

    private func expire(room: UUID, peer: String, generation: Int) async {
        guard let member = rooms[room]?[peer], member.socket == nil, member.instance == instance, member.generation == generation else { return }
        await remove(room: room, peer: peer)
    }

    private func remove(room: UUID, peer: String) async {
        rooms[room]?[peer] = nil
        if rooms[room]?.isEmpty == true { rooms[room] = nil }
        await publish(RoomEnvelope(room: room, type: "leave", from: peer, instance: instance))
    }

    /// A validated client message: `from` is always the sender's own peer id.
    func relay(room: UUID, from peer: String, _ message: SignalMessage) async {
        guard rooms[room]?[peer]?.socket != nil else { return }
        let envelope = RoomEnvelope(room: room, type: message.kind.rawValue, from: peer, to: message.to, data: message.data, instance: instance)
        // For a peer connected here: straight to its socket. Other instances would only drop it,
        // and the trip through PostgreSQL (a row and a NOTIFY) is the relay's whole cost.
        if let to = message.to, rooms[room]?[to]?.instance == instance {
            deliver(envelope)
            return
        }
        await publish(envelope)
    }

    /// Sends a message to the room on every instance.
    func publish(_ envelope: RoomEnvelope) async {
        deliver(envelope)
        guard !closing else { return }
        await publishRemote(envelope)
    }

    /// A message for local participants (from here or from another instance). Join and leave
    /// from elsewhere also keep the room's member list, so the limit of six holds across instances.
    func deliver(_ envelope: RoomEnvelope) {
        if envelope.type == "disconnect" {
            if envelope.instance != instance, let account = envelope.account { closeSockets(of: account) }
            return
        }
        if envelope.instance != instance, let from = envelope.from {
            switch envelope.type {
            case "join", "rejoin", "presence":
                if let local = rooms[envelope.room]?[from], local.instance == instance, envelope.type == "presence" { break }
                rooms[envelope.room, default: [:]][from] = Peer(account: envelope.account ?? UUID(), name: envelope.name ?? "",
                                                             role: envelope.role ?? "", instance: envelope.instance, socket: nil,
                                                             seen: now())
            case "leave":
                // Only if the peer still lives there: it may have reconnected to this instance meanwhile.
                if rooms[envelope.room]?[from]?.instance == envelope.instance { rooms[envelope.room]?[from] = nil }
            default: break
            }
        }
        if envelope.type == "caucus" { partitions[envelope.room] = envelope.groups }
        guard envelope.type != "presence", let members = rooms[envelope.room] else { return }
        if envelope.type == "caucus" {
            for member in members.values { member.socket?.send(caucusText(room: envelope.room, for: member.account, members: members)) }
            return
        }
        // A browser's signal reaches only its own group while the room is split.
        let sender = envelope.from.flatMap { members[$0]?.account }
        let partition = SignalMessage.Kind(rawValue: envelope.type) == nil ? nil : partitions[envelope.room]
        // Encoded once for everyone, except consent, which says per recipient whether it is theirs.
        let shared = envelope.consented == nil ? Self.clientText(envelope, for: nil) : nil
        for (peer, member) in members where peer != envelope.from {
            guard let socket = member.socket, envelope.to == nil || envelope.to == peer else { continue }
            if let partition, partition[member.account] != sender.flatMap({ partition[$0] }) { continue }
            socket.send(shared ?? Self.clientText(envelope, for: member.account))
        }
    }

    /// Splits the room (a mediator's private session with one side) or joins it again (`groups` nil).
    func caucus(room: UUID, groups: [UUID: Int]?) async {
        await publish(RoomEnvelope(room: room, type: "caucus", groups: groups, instance: instance))
    }

    /// What one participant is told of the split: whether they are in the private session, and the
    /// peers they may still talk to (their own group).
    private func caucusText(room: UUID, for account: UUID, members: [String: Peer]) -> String {
        let partition = partitions[room]
        let mine = partition?[account]
        let allowed = members.filter { partition == nil || partition?[$0.value.account] == mine }.map(\.key).sorted()
        let object: [String: Any] = ["type": "caucus",
                                     "data": ["active": partition != nil, "inCaucus": mine == 1, "peers": allowed]]
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: json, as: UTF8.self)
    }

    /// Closes every local socket of the room (the session ended) after telling the browsers why.
    func close(room: UUID) async {
        partitions[room] = nil
        await publish(RoomEnvelope(room: room, type: "ended", instance: instance))
        for member in (rooms[room] ?? [:]).values {
            member.socket?.close(code: .normalClosure, promise: nil)
        }
        rooms[room] = nil
    }

    /// Tells the other instances who is connected here, and forgets their peers they stopped mentioning.
    func keepPresence() async {
        guard !closing else { return }
        for (room, members) in rooms {
            for (peer, member) in members where member.instance == instance {
                await publishRemote(RoomEnvelope(room: room, type: "presence", from: peer, name: member.name, role: member.role,
                                                 account: member.account, instance: instance))
            }
        }
        let silentSince = now().addingTimeInterval(-3 * Double(Self.presenceInterval.components.seconds))
        for (room, members) in rooms {
            for (peer, member) in members where member.instance != instance && member.seen < silentSince {
                rooms[room]?[peer] = nil
            }
            if rooms[room]?.isEmpty == true { rooms[room] = nil }
        }
    }

    /// The account lost the right that let it in (moved to another office, suspended, signed out):
    /// its sockets close now, here and, through the relay, on every other instance.
    func disconnect(account: UUID) async {
        closeSockets(of: account)
        guard !closing else { return }
        await publishRemote(RoomEnvelope(room: UUID(), type: "disconnect", account: account, instance: instance))
    }

    private func closeSockets(of account: UUID) {
        for members in rooms.values {
            for member in members.values where member.account == account { member.socket?.close(code: .policyViolation, promise: nil) }
        }
    }

    /// A socket handler begins; `handlerEnded` must follow when it has written its last row.
    func handlerStarted() { handlers += 1 }

    func handlerEnded() {
        handlers -= 1
        if handlers == 0 { drainWaiters.forEach { $0.resume() }; drainWaiters = [] }
    }

    /// At shutdown, after the sockets were closed: waits (a few seconds at most) until every
    /// handler has finished with the database, which closes next.
    func drained(within limit: Duration = .seconds(5)) async {
        guard handlers > 0 else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: limit)
            await self?.giveUpDraining()
        }
        await withCheckedContinuation { drainWaiters.append($0) }
        timer.cancel()
    }

    private func giveUpDraining() {
        drainWaiters.forEach { $0.resume() }
        drainWaiters = []
    }

    /// At shutdown: every local socket is told to go away (1001), so browsers reconnect to another
    /// instance and the server does not wait out its shutdown timeout on open sockets.
    func closeAll() {
        closing = true
        for members in rooms.values {
            for member in members.values { member.socket?.close(code: .goingAway, promise: nil) }
        }
    }


    /// What a browser receives: the envelope without the instance bookkeeping.
    private static func clientText(_ envelope: RoomEnvelope, for account: UUID?) -> String {
        var object: [String: Any] = ["type": envelope.type]
        if let from = envelope.from { object["from"] = from }
        if let to = envelope.to { object["to"] = to }
        if let name = envelope.name { object["name"] = name }
        if let role = envelope.role { object["role"] = role }
        if let data = envelope.data, var value = try? JSONSerialization.jsonObject(with: Data(data.utf8)) {
            if let consented = envelope.consented, var dictionary = value as? [String: Any] {
                dictionary["mine"] = account.map(consented.contains) ?? false
                value = dictionary
            }
            object["data"] = value
        }
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: json, as: UTF8.self)
    }
}

/// With other instances: repeats this instance's presence. At shutdown: closes the rooms' sockets.
final class VideoRoomsLifecycle: LifecycleHandler, @unchecked Sendable {
    private var task: Task<Void, Never>?

    func didBoot(_ application: Application) throws {
        guard VideoRelay(application) != nil else { return }
        let hub = application.videoRooms
        task = Task {
            // A cancelled sleep means shutdown: no round after it (it would reach a closing database).
            while (try? await Task.sleep(for: VideoRoomHub.presenceInterval)) != nil {
                await hub.keepPresence()
            }
        }
    }

    /// Runs before the database closes (handlers stop in reverse order of registration, and
    /// Fluent's came first): a round in flight finishes first. `StopServingFirst` has already
    /// closed the sockets; closing again is harmless and keeps this handler whole on its own.
    func shutdownAsync(_ application: Application) async {
        task?.cancel()
        await task?.value
        await application.videoRooms.closeAll()
    }
}

extension Application {
    private struct HubKey: StorageKey { typealias Value = VideoRoomHub }

    var videoRooms: VideoRoomHub {
        get {
            guard let hub = storage[HubKey.self] else { fatalError("configure() sets up the video rooms") }
            return hub
        }
        set { storage[HubKey.self] = newValue }
    }
}
