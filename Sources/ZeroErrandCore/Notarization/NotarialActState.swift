import Foundation

/// The notarial document as it stands: the exact text the signers are shown, by its hash, and
/// how many times it has been prepared (1 for the first text; every revision adds one).
public struct NotarialDocument: Sendable, Equatable {
    public var sha256: SHA256Hash
    public var version: Int

    public init(sha256: SHA256Hash, version: Int) {
        self.sha256 = sha256
        self.version = version
    }
}

/// What the notary recorded at the end of the video certification session. All three facts are
/// required, so a recorded certification always has them; they are kept so that the record
/// says so in its own words.
public struct NotarialCertification: Sendable, Equatable {
    public var session: UUID
    public var notary: UUID
    public var identityConfirmed: Bool
    public var willStated: Bool
    /// SHA-256 of the recording the applicant consented to.
    public var recordingSHA256: SHA256Hash

    public init(session: UUID, notary: UUID, identityConfirmed: Bool, willStated: Bool, recordingSHA256: SHA256Hash) {
        self.session = session
        self.notary = notary
        self.identityConfirmed = identityConfirmed
        self.willStated = willStated
        self.recordingSHA256 = recordingSHA256
    }
}

/// One signature on one version of the document, made in one video session. Never removed: a
/// revision only stops it from counting, because it is for another version.
public struct NotarialSignature: Sendable, Hashable {
    public var signer: UUID
    public var documentSHA256: SHA256Hash
    /// The version signed. Kept beside the hash so a revision back to an earlier text does not
    /// revive signatures given before the text changed in between.
    public var documentVersion: Int
    public var session: UUID

    public init(signer: UUID, documentSHA256: SHA256Hash, documentVersion: Int, session: UUID) {
        self.signer = signer
        self.documentSHA256 = documentSHA256
        self.documentVersion = documentVersion
        self.session = session
    }
}

public struct NotarialApproval: Sendable, Equatable {
    public var notary: UUID
    public var at: Date

    public init(notary: UUID, at: Date) {
        self.notary = notary
        self.at = at
    }
}

public struct NotarialIssue: Sendable, Equatable {
    public var number: NotarialCertificateNumber
    public var at: Date

    public init(number: NotarialCertificateNumber, at: Date) {
        self.number = number
        self.at = at
    }
}

public struct NotarialRevocation: Sendable, Equatable {
    /// Trimmed, as `CaseLifecycle.normalizedText` leaves it.
    public var reason: String
    public var at: Date

    public init(reason: String, at: Date) {
        self.reason = reason
        self.at = at
    }
}

/// Everything the notarial act's rules look at. The caller loads it, applies one action with
/// `NotarialActRules.apply`, and stores the result only on success.
public struct NotarialActState: Sendable, Equatable {
    /// Whose numbers the certificate takes.
    public var office: NotaryOfficeAbbreviation
    /// The citizen whose case it is.
    public var applicant: UUID
    /// The other parties to the act (the donee of a gift, the other side of a contract).
    public var parties: Set<UUID>
    /// Who must sign the document: the applicant, and the parties the act needs (both sides of a
    /// gift contract; nobody else for a declaration).
    public var requiredSigners: Set<UUID>
    /// Anyone else with a stake in the case: the applicant's proxies, their close relatives.
    /// None of them may act as the notary.
    public var otherInterested: Set<UUID>

    public var document: NotarialDocument?
    /// The video session the notary opened for certification: signatures must be made in it, and
    /// the certification is recorded for it. Nil before one is opened and after a revision has
    /// voided a recorded certification.
    public var session: UUID?
    public var certification: NotarialCertification?
    /// Every signature ever accepted, oldest first, including those a revision voided.
    public var signatures: [NotarialSignature]
    public var approval: NotarialApproval?
    public var issue: NotarialIssue?
    public var revocation: NotarialRevocation?

    /// A new act with nothing done yet. The applicant is always a required signer; every
    /// required signer other than the applicant is counted among the parties.
    public init(office: NotaryOfficeAbbreviation, applicant: UUID, parties: Set<UUID> = [], signingParties: Set<UUID> = [],
                otherInterested: Set<UUID> = []) {
        self.office = office
        self.applicant = applicant
        self.parties = parties.union(signingParties).subtracting([applicant])
        self.requiredSigners = signingParties.union([applicant])
        self.otherInterested = otherInterested
        self.document = nil
        self.session = nil
        self.certification = nil
        self.signatures = []
        self.approval = nil
        self.issue = nil
        self.revocation = nil
    }

    /// Everyone who may not act as the notary of this act: the applicant, the parties, the
    /// signers, and the other interested persons.
    public var interested: Set<UUID> {
        parties.union(requiredSigners).union(otherInterested).union([applicant])
    }

    /// The signatures that count now: on the current version, made in the current session.
    public var currentSignatures: [NotarialSignature] {
        guard let document, let session else { return [] }
        return signatures.filter {
            $0.documentVersion == document.version && $0.documentSHA256 == document.sha256 && $0.session == session
        }
    }

    /// Required signers who have not yet signed the current version in the current session.
    public var missingSigners: Set<UUID> {
        requiredSigners.subtracting(currentSignatures.map(\.signer))
    }
}
