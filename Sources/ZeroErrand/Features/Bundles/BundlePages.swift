import Foundation

/// What a bundle is and what it is made of, with the form that starts it.
struct BundleStartPage: Encodable {
    struct PartLine: Encodable {
        let number: Int
        let matter: String
        let matterPath: String
        let office: String
        let limit: String
        let takes: [String]
    }

    let code: String
    let name: String
    let description: String
    let rule: String
    /// Which parts a relative at home does under the citizen's power of attorney; empty if none.
    let relativeNote: String
    let parts: [PartLine]
    let action: String
    /// Why the signed-in person may not start it (yet), with the way forward; nil when they may.
    let refusal: String?
    let nextStepPath: String?
    let nextStepText: String?
    /// A citizen, who may fill in the form; `anonymous` is offered the sign-in instead.
    let signedIn: Bool
    let anonymous: Bool
    let signInPath: String
    /// The citizen's powers of attorney that cover every part done through a relative.
    let mandates: [Choice]
    /// Which parts the relative acts on; empty when every part is the citizen's own.
    let mandateHint: String
    let questions: [ConditionQuestion]
    let details: String
    let errors: [String: String]
}

/// The citizen's one view of a bundled request: every part, the shared uploads, one timeline.
struct BundleRequestPage: Encodable {
    struct PartLine: Encodable {
        let number: Int
        let matter: String
        let office: String
        let caseNumber: String
        let path: String
        let status: String
        let statusCode: String
        let due: String?
        /// The office's reason, for a refused part.
        let refusal: String?
        /// What this part still waits for (see `BundleRequestPresenter.waitingLines`).
        let waiting: [String]
    }

    struct SlotLine: Encodable {
        let id: String
        let name: String
        let description: String
        let forParts: String
        let uploadPath: String?
        let files: [String]
    }

    let name: String
    let bundlePath: String
    let outcome: String
    let outcomeCode: String
    let details: String
    let parts: [PartLine]
    let slots: [SlotLine]
    let submitPath: String?
    let uploadLimitMB: Int
    let timeline: [TimelineLine]
    let zoneNote: String
    let notice: String?
}

/// On a part's own case page: which request it belongs to (and, for its applicant, a link to it).
struct BundleNote: Encodable {
    let text: String
    let path: String?
}
