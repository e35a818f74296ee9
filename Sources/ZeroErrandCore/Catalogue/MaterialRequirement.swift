/// When a material applies to an application. The catalogue marks a material with at most one
/// condition; the application form asks the question that decides it (except `throughRelative`,
/// which the choice of who applies decides), and only the materials that apply are required.
public enum MaterialCondition: String, Sendable, CaseIterable, Codable {
    /// A relative at home applies with a power of attorney.
    case throughRelative = "through_relative"
    /// The applicant married abroad (a foreign marriage certificate needs consular certification).
    case marriedAbroad = "married_abroad"
    /// The applicant's name changed since the earlier document was issued.
    case nameChanged = "name_changed"

    /// Whether the form asks the applicant (the others follow from what they chose).
    public var isAsked: Bool { self != .throughRelative }
}

/// What decides whether one material is required on one application.
public struct MaterialRequirement: Sendable, Equatable {
    public var condition: MaterialCondition?
    /// The office may accept the application now and take this material later.
    public var canSupplyLater: Bool
    /// The signed power of attorney on the platform is this material when the case names one.
    public var providedByMandate: Bool

    public init(condition: MaterialCondition? = nil, canSupplyLater: Bool = false, providedByMandate: Bool = false) {
        self.condition = condition
        self.canSupplyLater = canSupplyLater
        self.providedByMandate = providedByMandate
    }
}

/// The materials of one application, given the answers that decide conditional ones.
public struct MaterialPlan: Sendable, Equatable {
    public var requirements: [MaterialRequirement]
    /// The conditions that hold for this application (answered yes, or following from its mandate).
    public var conditions: Set<MaterialCondition>
    public var hasMandate: Bool

    public init(_ requirements: [MaterialRequirement], conditions: Set<MaterialCondition>, hasMandate: Bool) {
        self.requirements = requirements
        self.hasMandate = hasMandate
        self.conditions = hasMandate ? conditions.union([.throughRelative]) : conditions.subtracting([.throughRelative])
    }

    /// The questions the application form asks, in the order of the first material they decide.
    public static func questions(_ requirements: [MaterialRequirement]) -> [MaterialCondition] {
        var seen: [MaterialCondition] = []
        for case let condition? in requirements.map(\.condition) where condition.isAsked && !seen.contains(condition) {
            seen.append(condition)
        }
        return seen
    }

    public func applies(_ index: Int) -> Bool {
        guard requirements.indices.contains(index) else { return false }
        return requirements[index].condition.map(conditions.contains) ?? true
    }

    /// Supplied by the case's signed power of attorney, so never uploaded.
    public func isProvidedByMandate(_ index: Int) -> Bool {
        applies(index) && hasMandate && requirements[index].providedByMandate
    }

    /// Every material that applies, is not provided by the mandate, may not come later and was not
    /// uploaded: all of them at once, in catalogue order.
    public func missingForSubmission(supplied: Set<Int>) -> [Int] {
        requirements.indices.filter {
            applies($0) && !isProvidedByMandate($0) && !requirements[$0].canSupplyLater && !supplied.contains($0)
        }
    }

    /// For the office's provisional acceptance: a material that does not apply may always wait
    /// (it is never asked for), so only applicable ones keep the catalogue's rule.
    public var canSupplyLater: [Bool] {
        requirements.indices.map { !applies($0) || isProvidedByMandate($0) || requirements[$0].canSupplyLater }
    }
}
