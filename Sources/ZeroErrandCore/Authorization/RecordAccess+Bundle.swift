import Foundation

extension RecordAccess {
    /// A request across several offices (一件事) as a whole (its parts, its shared materials, its
    /// merged timeline) is its applicant's alone. Each office reaches only its own part, as an
    /// ordinary case through `isOfficeStaff`; no office reads the request or another office's part.
    public static func isBundleApplicant(_ actor: Actor?, applicant: UUID) -> Bool {
        guard let actor else { return false }
        return actor.kind == .citizen && actor.accountID == applicant
    }
}
