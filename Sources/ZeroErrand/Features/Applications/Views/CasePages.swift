import Foundation
import Vapor
import ZeroErrandCore

struct CaseRow: Encodable {
    let path: String
    let number: String
    let matter: String
    let status: String
    let statusCode: String
    let updated: String
    let due: String?
    let overdue: Bool
    let assignee: String?
}

struct MyCasesPage: Encodable {
    let own: [CaseRow]
    /// Applications this person handles for a relative abroad, under a power of attorney.
    let forOthers: [ProxyCaseRow]
    /// Their requests across several offices, each leading to its one page.
    let bundles: [BundleLink]
}

struct ProxyCaseRow: Encodable {
    let path: String
    let number: String
    let matter: String
    let principal: String
    let status: String
    let statusCode: String
    let updated: String
}

struct ApplyPage: Encodable {
    let matterName: String
    let matterPath: String
    let action: String
    /// At a service point's desk: "For Li Hua, under their permission".
    let forVisitor: String?
    let materials: [MaterialView]
    /// Why this person cannot apply yet, and what to do about it.
    let refusal: String?
    let nextStepPath: String?
    let nextStepText: String?
    /// Whom to apply for, when a power of attorney is involved.
    var mandates: [Choice] = []
    /// The yes/no questions that decide conditional materials.
    var questions: [ConditionQuestion] = []
    var details = ""
    var errors: [String: String] = [:]
}

struct ConditionQuestion: Encodable {
    let name: String
    let text: String
    let checked: Bool
}

struct TimelineLine: Encodable {
    let time: String
    let actor: String
    let text: String
    let note: String
    let documentPath: String?
    let documentName: String?
}

struct DocumentLine: Encodable {
    let name: String
    let path: String
    let kind: String
    let size: String
    let uploaded: String
    let sha256: String
    /// For the office: the same document shown in the page (image, or PDF in a sandboxed frame).
    let previewPath: String?
    /// A material from the applicant's wallet: who issued it and whether it matches their record.
    var provenance: String? = nil
}

/// The applicant's issued documents that can stand for a material on this case.
struct WalletPicker: Encodable {
    let path: String
    let choices: [Choice]
}

struct MaterialSlot: Encodable {
    let index: Int
    let name: String
    let description: String
    /// When it applies ("only when a relative applies for you"), for a conditional material.
    let condition: String?
    let canSupplyLater: Bool
    let acceptedAsMissing: Bool
    /// The case's signed power of attorney is this material: nothing to upload.
    let providedByMandate: Bool
    /// Open while drafting or supplying, or for a material accepted as "supply later".
    let canUpload: Bool
    let documents: [DocumentLine]
    /// On a part of a bundled request: the earlier part whose issued result this material is
    /// (given only from the wallet, never as an upload), said in words.
    var fromEarlierPart: String? = nil
    /// The ID photo: a JPEG checked against the photo rules (`DeskPhoto`), said before the upload.
    var isIDPhoto = false
}

struct MessageLine: Encodable {
    let time: String
    let author: String
    let fromOffice: Bool
    let body: String
    let unread: Bool
}

struct ActionButton: Encodable {
    let name: String
    let label: String
    let path: String
    /// Reason, note or items the action needs, so the page shows a field for it.
    let needsText: Bool
    let needsDate: Bool
    let needsMaterials: Bool
    let textLabel: String
}

struct CasePage: Encodable {
    let id: String
    let number: String
    let matter: String
    let matterPath: String
    let department: String
    let status: String
    let statusCode: String
    let details: String
    let deadline: String?
    let overdue: Bool
    let supplementItems: [String]
    let supplementDue: String?
    let materials: [MaterialSlot]
    let otherDocuments: [DocumentLine]
    let uploadPath: String
    let canUpload: Bool
    let uploadLimitMB: Int
    let actions: [ActionButton]
    /// Why no decision is offered to someone who may otherwise decide (four eyes).
    let decisionHint: String?
    let timeline: [TimelineLine]
    let messages: [MessageLine]
    var messagePath: String
    var ratingPath: String?
    let rating: String?
    let zoneNote: String
    let assignee: String?
    let assignPath: String?
    let colleagues: [Choice]
    let applicant: String?
    /// For the office: who the applicant is and how sure the platform is of it, and their clock.
    let applicantCard: ApplicantCard?
    /// The video step, for matters done by video.
    let video: VideoPanel?
    var mandate: MandatePanel?
    /// The notarial act, for notarization matters.
    let notarization: NotarizationPanel?
    var wallet: WalletPicker? = nil
    /// The request across offices this case is a part of.
    var bundle: BundleNote? = nil
    /// Shown to an assistant at a service point working the case under the visitor's permission.
    var desk: DeskNote? = nil
    var errors: [String: String] = [:]
    /// Not shown: the viewer has notifications of this case not yet read (opening it reads them).
    var viewerHasUnreadNotifications = false
}

struct ApplicantCard: Encodable {
    let email: String
    let identity: String
    let howReached: String
    /// The applicant's time now, in their zone (named): whether a call now would reach them awake.
    let localTime: String
}

struct VideoPanel: Encodable {
    let status: String
    let path: String?
    let linkLabel: String?
}

/// The power of attorney a case is handled under, and (for its applicant) the choice of one.
struct MandatePanel: Encodable {
    let text: String?
    let proxyID: String?
    let status: String?
    var path: String?
    let formPath: String?
    let choices: [Choice]
}

/// Whose case an assistant is filling in; their acts (submit, withdraw) need the visitor's own code.
struct DeskNote: Encodable {
    let text: String
    let permissionPath: String?
}
