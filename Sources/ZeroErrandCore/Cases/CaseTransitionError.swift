/// Why an action on a case was refused. Nothing about the case changes when one is returned.
/// The app turns `translationKey` (with `translationArguments`) into text in the user's language.
public enum CaseTransitionError: Error, Equatable, Sendable {
    /// The action exists but not in this status (e.g. approving a draft).
    case notAllowed(action: String, status: CaseStatus)
    /// The action belongs to the other side (e.g. an applicant accepting their own case).
    case wrongRole(action: String)
    /// A reason or note is empty once surrounding whitespace is removed.
    case missingReason
    /// A reason, note or supplement item is longer than `CaseLifecycle.maxTextLength` characters.
    case textTooLong
    /// A supplement request names nothing to supply.
    case noSupplementItems
    /// One item of a supplement request is blank (0-based position in the request).
    case emptySupplementItem(position: Int)
    /// A supplement or supply-later date is not after the moment of the action.
    case dateNotInFuture
    /// Provisional acceptance names a material that the catalogue says must be there up front.
    case materialCannotWait(index: Int)
    /// Provisional acceptance names a material the matter does not have.
    case unknownMaterial(index: Int)
    /// Provisional acceptance with nothing missing: use a plain acceptance.
    case nothingMissing

    public var translationKey: String {
        switch self {
        case .notAllowed: "case.error.not_allowed"
        case .wrongRole: "case.error.wrong_role"
        case .missingReason: "case.error.missing_reason"
        case .textTooLong: "case.error.text_too_long"
        case .noSupplementItems: "case.error.no_supplement_items"
        case .emptySupplementItem: "case.error.empty_supplement_item"
        case .dateNotInFuture: "case.error.date_not_in_future"
        case .materialCannotWait: "case.error.material_cannot_wait"
        case .unknownMaterial: "case.error.unknown_material"
        case .nothingMissing: "case.error.nothing_missing"
        }
    }

    /// Values to put into the translated message. Action and status are given by their stable
    /// names so the app can translate them too (`case.action.<name>`, `case.status.<raw>`);
    /// material indices and positions are 1-based, as people count.
    public var translationArguments: [String: String] {
        switch self {
        case .notAllowed(let action, let status): ["action": action, "status": status.rawValue]
        case .wrongRole(let action): ["action": action]
        case .textTooLong: ["count": String(CaseLifecycle.maxTextLength)]
        case .emptySupplementItem(let position): ["position": String(position + 1)]
        case .materialCannotWait(let index), .unknownMaterial(let index): ["material": String(index + 1)]
        case .missingReason, .noSupplementItems, .dateNotInFuture, .nothingMissing: [:]
        }
    }
}
