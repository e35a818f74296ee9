import Foundation

struct MandateRow: Encodable {
    let path: String
    let name: String
    let relationship: String
    let scope: String
    let validity: String
    let status: String
    let statusCode: String
}

struct MandateListPage: Encodable {
    let given: [MandateRow]
    let received: [MandateRow]
    let forOthers: [CaseRow]
    let newPath: String
}

struct MatterChoice: Encodable {
    let code: String
    let name: String
    let checked: Bool
}

/// The matters of one office, so ~90 checkboxes read as a short list of offices.
struct MatterGroup: Encodable {
    let office: String
    let matters: [MatterChoice]
    /// Open when one of its matters is chosen.
    let open: Bool
}

/// One line of the error summary at the top of a form: the message, and the field it is about.
struct FormErrorLink: Encodable {
    let field: String
    let message: String
}

struct MandateFormPage: Encodable {
    let action: String
    let matterGroups: [MatterGroup]
    let cases: [Choice]
    let relationships: [Choice]
    let scopeIsCase: Bool
    let form: MandateFormValues
    let errors: [String: String]
    /// The same errors in the form's order, linked to their fields.
    let errorList: [FormErrorLink]
}

struct MandateFormValues: Encodable {
    /// Sent back as typed when something needs fixing (the page is the writer's own, never cached),
    /// so a mistake elsewhere does not mean typing both numbers again.
    var principalIDNumber = ""
    var proxyIDNumber = ""
    var relationship = ""
    var proxyName = ""
    var proxyEmail = ""
    var proxyPhone = ""
    var validFrom = ""
    var validUntil = ""
    var mayCollect = true
    var maySign = false
    var mayPay = false
}

struct MandatePage: Encodable {
    let id: String
    let viewer: String
    let status: String
    let statusCode: String
    let statusNote: String?
    let principal: String
    let proxyName: String
    let proxyID: String
    let relationship: String
    let scope: [String]
    let validity: String
    let limits: [String]
    /// The text to sign (principal, draft only) and its SHA-256.
    let terms: String?
    let termsSHA256: String
    let signedAt: String?
    let signPath: String?
    let acceptPath: String?
    let declinePath: String?
    let revokePath: String?
    let documentPath: String?
    let needsTwoFactor: Bool
    let zoneNote: String
    /// What happens now, for this viewer at this stage (after signing, accepting, or the end).
    let nextStep: String?
    let nextLinks: [Choice]
    let errors: [String: String]
}

struct PassPage: Encodable {
    let code: String
    let qrSVG: String
    let cardPath: String
    let mandatePath: String
    let principal: String
    let proxyName: String
    let proxyID: String
    let validity: String
    let status: String
    let valid: Bool
    /// Why the pass cannot be used now (revoked, expired, not yet in force), or nil while it can.
    let unusable: String?
}

struct PassCheckPage: Encodable {
    struct CaseLine: Encodable {
        let number: String
        let matter: String
        let status: String
        let path: String
        let collectPath: String?
    }

    let typed: String
    let found: Bool
    let code: String
    /// In large type: "Valid" or "Do not hand over".
    let headline: String
    /// Why, in a sentence.
    let verdict: String
    let verdictCode: String
    let valid: Bool
    /// "Revoked 2026-… (zone, UTC…)", in the viewer's zone.
    let revokedNote: String?
    let checkedAt: String
    let principal: String
    let proxyName: String
    let proxyID: String
    let proxyBirth: String
    let relationship: String
    let scope: [String]
    let validity: String
    let limits: [String]
    let cases: [CaseLine]
    let documentPath: String?
    let errors: [String: String]
}
