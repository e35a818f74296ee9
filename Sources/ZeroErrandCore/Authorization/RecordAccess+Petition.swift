import Foundation

extension RecordAccess {
    /// How someone stands to a petition.
    public enum PetitionViewer: Sendable, Equatable {
        /// The citizen who submitted it under their name.
        case petitioner
        /// The anonymous reporter, holding the receipt code: the status and opinion, nothing of the file.
        case reporter
        /// Staff of the office holding it now: the whole history, and the next step.
        case holder
        /// Staff of the letters-and-visits office that registered it, which oversees it wherever it went.
        case registrar
        /// Staff of an office whose opinion is under review: they read what became of it.
        case earlierAnswerer
    }

    public struct PetitionParties: Sendable {
        public var petitioner: UUID?
        public var holder: UUID
        public var registrar: UUID
        public var answeredBy: Set<UUID>

        public init(petitioner: UUID?, holder: UUID, registrar: UUID, answeredBy: Set<UUID>) {
            self.petitioner = petitioner
            self.holder = holder
            self.registrar = registrar
            self.answeredBy = answeredBy
        }
    }

    /// The petitioner; staff of the holding office, of the registering office and of an office that
    /// answered at an earlier level. An office it was only transferred through no longer sees it:
    /// it has no case for it. Nobody else learns it exists.
    public static func petitionViewer(_ actor: Actor?, _ parties: PetitionParties) -> PetitionViewer? {
        guard let actor else { return nil }
        switch actor.kind {
        case .citizen:
            return parties.petitioner != nil && actor.accountID == parties.petitioner ? .petitioner : nil
        case .staff:
            guard let department = actor.departmentID else { return nil }
            if department == parties.holder { return .holder }
            if department == parties.registrar { return .registrar }
            return parties.answeredBy.contains(department) ? .earlierAnswerer : nil
        case .assistant, .admin:
            return nil
        }
    }
}
