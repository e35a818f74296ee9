import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The notarial act on the case page: where it stands, step by step, and the one form the viewer
/// can use next (the notary's steps for the office, signing and the paper copy for the applicant).
struct NotarizationPanel: Encodable {
    struct Step: Encodable {
        let label: String
        let done: Bool
        let detail: String?
    }

    let steps: [Step]
    let documentChinese: String
    let documentEnglish: String
    let documentSHA256: String?
    let certificateNumber: String?
    let certificatePath: String?
    let revoked: String?
    /// For the office, once a paper copy is asked for: where to post it.
    let deliveryAddress: String?
    /// Office forms, by step name; each present only when it may be used now.
    let officeForms: [String: String]
    let signPath: String?
    let deliveryPath: String?
    let actHint: String?

    static func make(_ presenter: CasePresenter, id: String) async throws -> NotarizationPanel? {
        let request = presenter.request, record = presenter.record, role = presenter.role
        guard let office = request.notarizations.office(of: record), record.status != .draft else { return nil }
        let act = try await NotarialActRecord.load(for: record, office: office, on: request.db)
        let state = act.state, notarization = act.notarization, zone = presenter.zone
        let time = { (date: Date?) in date.map { request.showTime($0, in: zone) } }
        let signed = state.currentSignatures.first { $0.signer == state.applicant }
        // A session that ended without certification (no-show, technical failure) is over: the
        // notary opens the certification again in the next appointment.
        var sessionLive = false
        if let sessionID = state.session { sessionLive = try await VideoSession.find(sessionID, on: request.db)?.status == .booked }
        let awaitingCertification = state.session != nil && state.certification == nil && sessionLive
        let signedAt = act.signatures.last { $0.$account.id == state.applicant && $0.sha256 == notarization.documentSHA256 }?.signedAt
        let certificate = act.certificate
        var steps = [
            Step(label: request.t("notarization.step.document"), done: state.document != nil,
                 detail: state.document.map { request.t("notarization.step.document_detail", ["version": String($0.version),
                                                                                               "when": time(notarization.documentPreparedAt) ?? ""]) }),
            Step(label: request.t("notarization.step.session"), done: awaitingCertification || state.certification != nil, detail: nil),
            Step(label: request.t("notarization.step.signed"), done: signed != nil, detail: signed == nil ? nil : time(signedAt)),
            Step(label: request.t("notarization.step.certified"), done: state.certification != nil, detail: time(notarization.certifiedAt)),
            Step(label: request.t("notarization.step.approved"), done: state.approval != nil, detail: time(notarization.approvedAt)),
            Step(label: request.t("notarization.step.issued"), done: certificate != nil, detail: time(certificate?.issuedAt)),
        ]
        if let certificate, let delivery = certificate.delivery {
            steps.append(Step(label: request.t("notarization.step.delivery"), done: delivery == .delivered,
                              detail: request.t("notarization.delivery.\(delivery.rawValue)",
                                                ["carrier": certificate.deliveryCarrier ?? "", "tracking": certificate.deliveryTracking ?? ""])))
        }
        let documentPath = { (documentID: UUID) in
            role == .office ? SiteURL.officeCaseDocument(id: id, document: documentID.uuidString).path
                : SiteURL.caseDocument(id: id, document: documentID.uuidString).path
        }
        var forms: [String: String] = [:]
        var hint: String?
        if role == .office, let viewer = request.currentAccount, let viewerID = viewer.id {
            if !NotarizationService.isNotary(viewer) {
                hint = request.t("notarization.hint.notary_only")
            } else if state.interested.contains(viewerID) {
                hint = request.t("notarization.refused.notary_interested")
            } else {
                let path = { (step: String) in SiteURL.officeNotarization(id: id, step: step).path }
                let working = NotarizationService.officeMayWork(record)
                if working && state.approval == nil { forms["prepare"] = path("prepare") }
                if working && state.document != nil && state.certification == nil && !awaitingCertification { forms["open"] = path("open") }
                if awaitingCertification { forms["certify"] = path("certify") }
                if state.certification != nil && state.approval == nil && working { forms["approve"] = path("approve") }
                if state.approval != nil && certificate == nil { forms["issue"] = path("issue") }
                if let certificate, certificate.revokedAt == nil {
                    forms["revoke"] = path("revoke")
                    if certificate.delivery == .requested { forms["delivery_sent"] = path("delivery_sent") }
                    if certificate.delivery == .sent { forms["delivery_delivered"] = path("delivery_delivered") }
                }
            }
        }
        let isApplicant = role == .applicant && request.currentAccount?.id == record.$applicant.id
        let maySign = isApplicant && awaitingCertification && signed == nil && state.document != nil
        if isApplicant && hint == nil {
            hint = maySign ? request.t("notarization.hint.sign_now")
                : state.document == nil ? request.t("notarization.hint.wait_document")
                : !awaitingCertification && state.certification == nil ? request.t("notarization.hint.wait_session") : nil
        }
        return NotarizationPanel(
            steps: steps,
            documentChinese: notarization.documentText ?? "", documentEnglish: notarization.documentTextEnglish ?? "",
            documentSHA256: notarization.documentSHA256,
            certificateNumber: certificate?.number,
            certificatePath: certificate.map { documentPath($0.$document.id) },
            revoked: certificate?.revokedAt.map { request.t("notarization.revoked_on", ["when": request.showTime($0, in: zone),
                                                                                        "reason": certificate?.revokedReason ?? ""]) },
            deliveryAddress: try role == .office && certificate?.delivery != nil
                ? certificate?.deliveryAddress.map { try request.dependencies.secrets.openText($0) } : nil,
            officeForms: forms,
            signPath: maySign ? SiteURL.caseNotarySign(id: id).path : nil,
            deliveryPath: isApplicant && record.status == .resultIssued && certificate != nil && certificate?.revokedAt == nil
                && certificate?.delivery == nil ? SiteURL.caseCertificateDelivery(id: id).path : nil,
            actHint: hint)
    }
}
