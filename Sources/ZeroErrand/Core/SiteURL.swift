import Foundation
import Vapor

/// Every page and endpoint, used both to register routes and to build links, so a link can
/// never point at a route that does not exist.
enum SiteURL: Sendable {
    case home, healthz, ping, language
    case register, confirmEmail
    case signIn, secondFactor, emailUnconfirmed, signOut, signOutEverywhere
    case forgotPassword, resetPassword
    case account, twoFactorSetup, twoFactorDisable, recoveryCodes, resendConfirmation, lostPhone
    case matters, matter(code: String)
    case staffHome, servicePointDesk, servicePoints
    case deskPermissions, deskPermission(id: String), deskPermissionEnd(id: String), deskPassportCheck(id: String)
    case deskPhoto(id: String), pointPermissionRevoke(id: String)
    case pointQueue(code: String), queueTicket(token: String), deskQueue, deskQueueNext, deskQueueTicket(id: String, outcome: String)
    case deskQueueFigures, deskVideoOpen(session: String)
    case admin
    case adminDepartments, adminDepartmentNew, adminDepartment(id: String)
    case adminStaff, adminStaffNew, adminStaffMember(id: String), adminStaffSuspension(id: String)
    case adminServicePoints, adminServicePointNew, adminServicePoint(id: String)
    case adminMatter(code: String)
    case adminAudit
    case apiMatters, apiMatter(code: String)
    case openAPI
    // Applications, as the citizen sees them
    case myCases, apply(code: String), caseDetail(id: String), caseAction(id: String, action: String)
    case caseDocuments(id: String), caseDocument(id: String, document: String), caseMessages(id: String), caseRating(id: String)
    case notifications, accessLog
    // Applications, as the office works them
    case officeQueue, officeStats, officeCase(id: String), officeCaseAction(id: String, action: String)
    case officeCaseDocuments(id: String), officeCaseDocument(id: String, document: String)
    case officeCaseMessages(id: String), officeCaseAssignee(id: String)
    // Applications over the JSON API
    case caseVideo(id: String), caseVideoCancel(id: String, session: String)
    case officeVideo, officeVideoAvailability, officeVideoAvailabilityDelete(id: String)
    case officeVideoOutcome(id: String), officeVideoCancel(id: String), officeVideoParticipants(id: String)
    case officeVideoRecordingFile(id: String, recording: String)
    case videoRoom(id: String), videoSignal(id: String), videoICE(id: String), videoConsent(id: String)
    case videoRecordings(id: String), videoRecording(id: String, recording: String)
    case videoRecordingChunk(id: String, recording: String, chunk: String), videoRecordingFinish(id: String, recording: String)
    // Power of attorney
    case mandates, mandateNew, mandate(id: String), mandateSign(id: String), mandateAccept(id: String)
    case mandateDecline(id: String), mandateRevoke(id: String), mandateDocument(id: String)
    case mandatePass(id: String), mandatePassCard(id: String), caseMandate(id: String)
    case officePasses, officePass(code: String), officePassCollect(code: String, caseID: String)
    case apiSessions, apiCases, apiCase(id: String), apiCaseAction(id: String, action: String)
    case apiCaseDocuments(id: String), apiCaseTimeline(id: String), apiCaseMessages(id: String)
    // Remote notarization
    case officeNotarization(id: String, step: String), officeNotaryJournal, officeNotaryJournalCorrection(entry: String)
    case caseNotarySign(id: String), caseCertificateDelivery(id: String)
    // Court mediation
    case mediations, mediationNew, mediation(id: String), mediationAcceptance(id: String), mediationDecline(id: String)
    case mediationNotes(id: String), mediationAgreement(id: String), mediationSignature(id: String)
    case mediationConfirmation(id: String), mediationJudicialRefusal(id: String), mediationRuling(id: String)
    case mediationUnpaid(id: String, position: String), mediationSession(id: String), mediationCaucus(id: String)
    case mediationAgreementVersion(id: String), mediationDocuments(id: String), mediationDocument(id: String, document: String)
    case mediationAgent(id: String), mediationRequestPaper(id: String, document: String), mediationCaseClosure(id: String)
    // The document wallet
    case wallet, caseWalletMaterial(id: String)
    // One request across several offices (一件事)
    case bundle(code: String), bundleRequest(id: String), bundleRequestMaterial(id: String, slot: String), bundleRequestSubmit(id: String)
    // Letters and visits
    case petitions, petitionNew, petitionReport, petitionLookup, petitionLookupOpinion, petitionStatistics, officePetitions
    case petition(id: String), petitionStep(id: String, step: String), petitionDocument(id: String, document: String)
    case petitionDocuments(id: String)
    // Verifying a notarial certificate: public, no sign-in
    case verify, verifyFile, verifyNumber, verifyQR, verifyCertificates, verifyCertificateFile(name: String)
    case apiVerifyFile, apiVerifyNumber, apiVerifyQR, apiSealCertificates

    var path: String {
        switch self {
        case .home: "/"
        case .healthz: "/healthz"
        case .ping: "/ping"
        case .language: "/language"
        case .register: "/register"
        case .confirmEmail: "/email/confirm"
        case .signIn: "/sign-in"
        case .secondFactor: "/sign-in/second-factor"
        case .emailUnconfirmed: "/sign-in/confirm-email"
        case .signOut: "/sign-out"
        case .signOutEverywhere: "/account/sign-out-everywhere"
        case .forgotPassword: "/password/forgot"
        case .resetPassword: "/password/reset"
        case .account: "/account"
        case .twoFactorSetup: "/account/two-factor"
        case .twoFactorDisable: "/account/two-factor/disable"
        case .recoveryCodes: "/account/recovery-codes"
        case .resendConfirmation: "/account/confirmation-email"
        case .lostPhone: "/help/lost-phone"
        case .matters: "/matters"
        case .matter(let code): "/matters/\(code)"
        case .staffHome: "/office"
        case .servicePointDesk: "/service-point"
        case .servicePoints: "/service-points"
        case .deskPermissions: "/service-point/permissions"
        case .deskPermission(let id): "/service-point/permissions/\(id)"
        case .deskPermissionEnd(let id): "/service-point/permissions/\(id)/end"
        case .deskPassportCheck(let id): "/service-point/permissions/\(id)/passport"
        case .deskPhoto(let id): "/service-point/permissions/\(id)/photo"
        case .pointQueue(let code): "/service-points/\(code)/queue"
        case .queueTicket(let token): "/queue/\(token)"
        case .deskQueue: "/service-point/queue"
        case .deskQueueNext: "/service-point/queue/next"
        case .deskQueueTicket(let id, let outcome): "/service-point/queue/\(id)/\(outcome)"
        case .deskQueueFigures: "/service-point/queue/figures"
        case .deskVideoOpen(let session): "/service-point/video/\(session)/open"
        case .pointPermissionRevoke(let id): "/account/point-permissions/\(id)/revoke"
        case .admin: "/admin"
        case .adminDepartments: "/admin/departments"
        case .adminDepartmentNew: "/admin/departments/new"
        case .adminDepartment(let id): "/admin/departments/\(id)"
        case .adminStaff: "/admin/staff"
        case .adminStaffNew: "/admin/staff/new"
        case .adminStaffMember(let id): "/admin/staff/\(id)"
        case .adminStaffSuspension(let id): "/admin/staff/\(id)/suspension"
        case .adminServicePoints: "/admin/service-points"
        case .adminServicePointNew: "/admin/service-points/new"
        case .adminServicePoint(let id): "/admin/service-points/\(id)"
        case .adminMatter(let code): "/admin/matters/\(code)"
        case .adminAudit: "/admin/audit"
        case .apiMatters: "/api/v1/matters"
        case .apiMatter(let code): "/api/v1/matters/\(code)"
        case .openAPI: "/openapi.json"
        case .myCases: "/cases"
        case .apply(let code): "/matters/\(code)/apply"
        case .caseDetail(let id): "/cases/\(id)"
        case .caseAction(let id, let action): "/cases/\(id)/actions/\(action)"
        case .caseDocuments(let id): "/cases/\(id)/documents"
        case .caseDocument(let id, let document): "/cases/\(id)/documents/\(document)"
        case .caseMessages(let id): "/cases/\(id)/messages"
        case .caseRating(let id): "/cases/\(id)/rating"
        case .notifications: "/notifications"
        case .accessLog: "/account/access-log"
        case .officeQueue: "/office/queue"
        case .officeStats: "/office/stats"
        case .officeCase(let id): "/office/cases/\(id)"
        case .officeCaseAction(let id, let action): "/office/cases/\(id)/actions/\(action)"
        case .officeCaseDocuments(let id): "/office/cases/\(id)/documents"
        case .officeCaseDocument(let id, let document): "/office/cases/\(id)/documents/\(document)"
        case .officeCaseMessages(let id): "/office/cases/\(id)/messages"
        case .officeCaseAssignee(let id): "/office/cases/\(id)/assignee"
        case .caseVideo(let id): "/cases/\(id)/video"
        case .caseVideoCancel(let id, let session): "/cases/\(id)/video/\(session)/cancel"
        case .officeVideo: "/office/video"
        case .officeVideoAvailability: "/office/video/availability"
        case .officeVideoAvailabilityDelete(let id): "/office/video/availability/\(id)/delete"
        case .officeVideoOutcome(let id): "/office/video/\(id)/outcome"
        case .officeVideoCancel(let id): "/office/video/\(id)/cancel"
        case .officeVideoParticipants(let id): "/office/video/\(id)/participants"
        case .officeVideoRecordingFile(let id, let recording): "/office/video/\(id)/recordings/\(recording)"
        case .videoRoom(let id): "/video/\(id)"
        case .videoSignal(let id): "/video/\(id)/signal"
        case .videoICE(let id): "/video/\(id)/ice"
        case .videoConsent(let id): "/video/\(id)/consent"
        case .videoRecordings(let id): "/video/\(id)/recordings"
        case .videoRecording(let id, let recording): "/video/\(id)/recordings/\(recording)"
        case .videoRecordingChunk(let id, let recording, let chunk): "/video/\(id)/recordings/\(recording)/chunks/\(chunk)"
        case .videoRecordingFinish(let id, let recording): "/video/\(id)/recordings/\(recording)/finish"
        case .mandates: "/mandates"
        case .mandateNew: "/mandates/new"
        case .mandate(let id): "/mandates/\(id)"
        case .mandateSign(let id): "/mandates/\(id)/signature"
        case .mandateAccept(let id): "/mandates/\(id)/acceptance"
        case .mandateDecline(let id): "/mandates/\(id)/refusal"
        case .mandateRevoke(let id): "/mandates/\(id)/revocation"
        case .mandateDocument(let id): "/mandates/\(id)/document.pdf"
        case .mandatePass(let id): "/mandates/\(id)/pass"
        case .mandatePassCard(let id): "/mandates/\(id)/pass.pdf"
        case .caseMandate(let id): "/cases/\(id)/mandate"
        case .officePasses: "/office/passes"
        case .officePass(let code): "/office/passes/\(code)"
        case .officePassCollect(let code, let caseID): "/office/passes/\(code)/collections/\(caseID)"
        case .apiSessions: "/api/v1/sessions"
        case .apiCases: "/api/v1/cases"
        case .apiCase(let id): "/api/v1/cases/\(id)"
        case .apiCaseAction(let id, let action): "/api/v1/cases/\(id)/actions/\(action)"
        case .apiCaseDocuments(let id): "/api/v1/cases/\(id)/documents"
        case .apiCaseTimeline(let id): "/api/v1/cases/\(id)/timeline"
        case .apiCaseMessages(let id): "/api/v1/cases/\(id)/messages"
        case .officeNotarization(let id, let step): "/office/cases/\(id)/notarization/\(step)"
        case .officeNotaryJournal: "/office/notary-journal"
        case .officeNotaryJournalCorrection(let entry): "/office/notary-journal/\(entry)/corrections"
        case .caseNotarySign(let id): "/cases/\(id)/notarization/sign"
        case .mediations: "/mediations"
        case .mediationNew: "/mediations/new"
        case .mediation(let id): "/mediations/\(id)"
        case .mediationAcceptance(let id): "/mediations/\(id)/acceptance"
        case .mediationDecline(let id): "/mediations/\(id)/refusal"
        case .mediationNotes(let id): "/mediations/\(id)/notes"
        case .mediationAgreement(let id): "/mediations/\(id)/agreement"
        case .mediationSignature(let id): "/mediations/\(id)/signature"
        case .mediationConfirmation(let id): "/mediations/\(id)/confirmation"
        case .mediationJudicialRefusal(let id): "/mediations/\(id)/judicial-refusal"
        case .mediationRuling(let id): "/mediations/\(id)/ruling.pdf"
        case .mediationUnpaid(let id, let position): "/mediations/\(id)/obligations/\(position)/unpaid"
        case .mediationSession(let id): "/mediations/\(id)/session"
        case .mediationCaucus(let id): "/mediations/\(id)/caucus"
        case .mediationAgreementVersion(let id): "/mediations/\(id)/agreement/version"
        case .mediationDocuments(let id): "/mediations/\(id)/documents"
        case .mediationDocument(let id, let document): "/mediations/\(id)/documents/\(document)"
        case .mediationAgent(let id): "/mediations/\(id)/agent"
        case .mediationCaseClosure(let id): "/mediations/\(id)/case-closure"
        case .mediationRequestPaper(let id, let document): "/mediations/\(id)/request-papers/\(document)"
        case .caseCertificateDelivery(let id): "/cases/\(id)/certificate/delivery"
        case .wallet: "/wallet"
        case .caseWalletMaterial(let id): "/cases/\(id)/wallet-materials"
        case .bundle(let code): "/bundles/\(code)"
        case .bundleRequest(let id): "/bundle-requests/\(id)"
        case .bundleRequestMaterial(let id, let slot): "/bundle-requests/\(id)/materials/\(slot)"
        case .bundleRequestSubmit(let id): "/bundle-requests/\(id)/submit"
        case .petitions: "/petitions"
        case .petitionNew: "/petitions/new"
        case .petitionReport: "/petitions/report"
        case .petitionLookup: "/petitions/lookup"
        case .petitionLookupOpinion: "/petitions/lookup/opinion"
        case .petitionStatistics: "/petitions/statistics"
        case .officePetitions: "/office/petitions"
        case .petition(let id): "/petitions/\(id)"
        case .petitionStep(let id, let step): "/petitions/\(id)/\(step)"
        case .petitionDocument(let id, let document): "/petitions/\(id)/documents/\(document)"
        case .petitionDocuments(let id): "/petitions/\(id)/documents"
        case .verify: "/verify"
        case .verifyFile: "/verify/file"
        case .verifyNumber: "/verify/number"
        case .verifyQR: "/verify/qr"
        case .verifyCertificates: "/verify/certificates"
        case .verifyCertificateFile(let name): "/verify/certificates/\(name)"
        case .apiVerifyFile: "/api/v1/verifications/file"
        case .apiVerifyNumber: "/api/v1/verifications/number"
        case .apiVerifyQR: "/api/v1/verifications/qr"
        case .apiSealCertificates: "/api/v1/seal-certificates"
        }
    }

    /// Route pattern: parameters are written `:name` when the case is built for registration.
    var route: [PathComponent] { path.pathComponents }

    func absolute(_ config: AppConfig) -> String { config.publicURL + path }
}

extension String {
    /// Safe as one query parameter value: `&`, `=`, `?` and `#` are encoded too.
    var queryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~/"))) ?? ""
    }
}

extension Request {
    func redirect(to url: SiteURL) -> Response { redirect(to: url.path, redirectType: .normal) }
}
