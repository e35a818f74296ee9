import Foundation

/// One request done by several offices as one (一件事): each part is an ordinary case in its own
/// office's queue, with its own clock; these rules say where the whole request stands.
public enum BundleRefusalRule: String, Sendable, Codable, CaseIterable {
    /// The parts depend on each other (no transfer without the power of attorney): a refused part
    /// stops the parts not yet decided.
    case stopOthers = "stop_others"
    /// The parts stand alone: the others go on.
    case othersContinue = "others_continue"
}

/// Where one part stands, as the bundle cares.
public enum BundlePartState: String, Sendable, Codable, Equatable {
    case drafting, underway, issued, refused, withdrawn

    public var isOpen: Bool { self == .drafting || self == .underway }
}

/// Where the whole request stands.
public enum BundleOutcome: Sendable, Equatable {
    /// No part submitted yet.
    case drafting
    case underway
    /// Every part issued its result.
    case done
    /// A part was refused and the rule stopped the others; the refused parts named.
    case stopped(refused: [Int])
    /// Every part decided, some refused (the others went on).
    case finishedWithRefusals(refused: [Int])
    /// The citizen withdrew every part.
    case withdrawn
    /// Nothing open any more: some parts issued, the citizen withdrew the others.
    case partlyWithdrawn
}

public enum BundleRules {
    public static func outcome(_ parts: [BundlePartState], rule: BundleRefusalRule) -> BundleOutcome {
        let refused = parts.indices.filter { parts[$0] == .refused }
        if !refused.isEmpty {
            if rule == .stopOthers { return .stopped(refused: refused) }
            return parts.contains(where: \.isOpen) ? .underway : .finishedWithRefusals(refused: refused)
        }
        if parts.allSatisfy({ $0 == .issued }) { return .done }
        if parts.allSatisfy({ $0 == .drafting }) { return .drafting }
        if !parts.contains(where: \.isOpen) { return parts.contains(.issued) ? .partlyWithdrawn : .withdrawn }
        return .underway
    }

    /// The parts to withdraw once part `refused` was refused: under `stopOthers`, every part still
    /// open; otherwise none.
    public static func partsToStop(after refused: Int, _ parts: [BundlePartState], rule: BundleRefusalRule) -> [Int] {
        guard rule == .stopOthers, parts.indices.contains(refused), parts[refused] == .refused else { return [] }
        return parts.indices.filter { $0 != refused && parts[$0].isOpen }
    }
}
