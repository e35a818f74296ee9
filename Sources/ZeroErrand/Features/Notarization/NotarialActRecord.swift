import Crypto
import Fluent
import Foundation
import ZeroErrandCore

/// A case's notarial act as stored, read back into the `NotarialActState` the Core rules decide on.
/// Every step loads it inside its transaction, asks the rules, and writes only what they allowed.
struct NotarialActRecord: Sendable {
    let notarization: Notarization
    let signatures: [Signature]
    let certificate: NotarialCertificate?
    let state: NotarialActState

    static let signatureObjectType = "notarization"

    /// The act of `record`; a new, unsaved one when nothing has been done yet.
    /// `excludingSignature`: judge the act as it was before that signature (written in the same transaction).
    static func load(for record: Case, office: NotaryOfficeAbbreviation, on db: any Database,
                     excludingSignature: UUID? = nil) async throws -> NotarialActRecord {
        let caseID = try record.requireID()
        let notarization = try await Notarization.query(on: db).filter(\.$caseRecord.$id == caseID).first()
            ?? Notarization(caseID: caseID, now: record.createdAt)
        var signatures: [Signature] = []
        var certificate: NotarialCertificate?
        if let id = notarization.id {
            signatures = try await Signature.query(on: db).filter(\.$objectType == signatureObjectType)
                .filter(\.$objectID == id.uuidString.lowercased()).sort(\.$signedAt).all().filter { $0.id != excludingSignature }
            certificate = try await NotarialCertificate.query(on: db).filter(\.$notarization.$id == id).first()
        }
        // A relative who applied or acts under the case's power of attorney has a stake in it too.
        var interested: Set<UUID> = []
        if let mandateID = record.$mandate.id, let mandate = try await Mandate.find(mandateID, on: db), let holder = mandate.$proxyAccount.id {
            interested.insert(holder)
        }
        let state = makeState(notarization, signatures: signatures, certificate: certificate, applicant: record.$applicant.id,
                                  office: office, interested: interested)
        return NotarialActRecord(notarization: notarization, signatures: signatures, certificate: certificate, state: state)
    }

    private static func makeState(_ act: Notarization, signatures: [Signature], certificate: NotarialCertificate?, applicant: UUID,
                                  office: NotaryOfficeAbbreviation, interested: Set<UUID>) -> NotarialActState {
        var state = NotarialActState(office: office, applicant: applicant, otherInterested: interested)
        if let hex = act.documentSHA256, let sha = SHA256Hash(hex: hex) {
            state.document = NotarialDocument(sha256: sha, version: act.documentVersion)
        }
        state.session = act.sessionID
        for signature in signatures {
            guard let session = signature.videoSessionID, let sha = SHA256Hash(hex: signature.sha256) else { continue }
            // A signature counts for the version it was made on: the current one if it was made on
            // these bytes after they were prepared; an older version's otherwise (which never counts).
            let current = state.document.map { $0.sha256 == sha } == true
                && act.documentPreparedAt.map { signature.signedAt >= $0 } == true
            state.signatures.append(NotarialSignature(signer: signature.$account.id, documentSHA256: sha,
                                                      documentVersion: current ? act.documentVersion : 0, session: session))
        }
        if let notary = act.certifiedBy, let session = act.sessionID, let recording = act.recordingSHA256.flatMap(SHA256Hash.init(hex:)) {
            state.certification = NotarialCertification(session: session, notary: notary, identityConfirmed: act.identityConfirmed,
                                                         willStated: act.willStated, recordingSHA256: recording)
        }
        if let notary = act.approvedBy, let at = act.approvedAt { state.approval = NotarialApproval(notary: notary, at: at) }
        if let certificate {
            if let number = NotarialCertificateNumber.parse(certificate.number, office: office) {
                state.issue = NotarialIssue(number: number, at: certificate.issuedAt)
            }
            if let at = certificate.revokedAt { state.revocation = NotarialRevocation(reason: certificate.revokedReason ?? "", at: at) }
        }
        return state
    }
}

