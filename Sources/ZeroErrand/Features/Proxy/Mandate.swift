import Fluent
import Foundation
import ZeroErrandCore

/// A power of attorney: a citizen (the principal) entrusts a close relative with some matters or
/// one case, for a period, within limits. ID numbers are sealed; only their masked form is stored
/// readable, for lists and the counter.
final class Mandate: Model, @unchecked Sendable {
    static let schema = "mandates"

    @ID(key: .id) var id: UUID?
    @Parent(key: "principal_id") var principal: Account
    @Field(key: "principal_id_number") var principalIDNumberSealed: String
    @Field(key: "principal_id_masked") var principalIDMasked: String
    @Field(key: "proxy_name") var proxyName: String
    @Field(key: "proxy_id_number") var proxyIDNumberSealed: String
    @Field(key: "proxy_id_masked") var proxyIDMasked: String
    @Field(key: "relationship") var relationship: Relationship
    /// Where the invitation goes; the relative accepts from an account with this address confirmed.
    @Field(key: "proxy_email") var proxyEmail: String
    @Field(key: "proxy_phone") var proxyPhone: String
    /// Matter codes (scope "matters"), empty when the mandate is for one case.
    @Field(key: "scope_matters") var scopeMatters: [String]
    @OptionalParent(key: "scope_case_id") var scopeCase: Case?
    /// Civil days in Asia/Shanghai, both included.
    @Field(key: "valid_from") var validFrom: String
    @Field(key: "valid_until") var validUntil: String
    @Field(key: "may_collect") var mayCollect: Bool
    @Field(key: "may_sign") var maySign: Bool
    @Field(key: "may_pay") var mayPay: Bool
    @Field(key: "status") var status: MandateStatus
    /// The exact text the principal signs (sealed: it holds both ID numbers) and its SHA-256.
    @Field(key: "terms") var termsSealed: String
    @Field(key: "terms_sha256") var termsSHA256: String
    @OptionalParent(key: "signature_id") var signature: Signature?
    @OptionalParent(key: "proxy_account_id") var proxyAccount: Account?
    /// What the relative shows at the counter; unique, typed or scanned by staff.
    @OptionalField(key: "pass_code") var passCode: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "signed_at") var signedAt: Date?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var scope: MandateScope {
        if let caseID = $scopeCase.id { return .oneCase(caseID) }
        return .matters(Set(scopeMatters))
    }

    var limits: MandateLimits { MandateLimits(mayCollect: mayCollect, maySign: maySign, mayPay: mayPay) }

    /// What the rules in `MandateRules` need.
    var facts: MandateFacts {
        MandateFacts(status: status, scope: scope,
                     validFrom: CivilDay(validFrom) ?? CivilDay(year: 2000, month: 1, day: 1)!,
                     validUntil: CivilDay(validUntil) ?? CivilDay(year: 2000, month: 1, day: 1)!, limits: limits)
    }

    /// Whether its principal may name it for this matter or case today: invited or accepted (the
    /// relative may still be answering), with a scope and dates that cover it.
    func mayBeNamed(for action: ProxyAction, matterCode: String, caseID: UUID?, today: CivilDay) -> Bool {
        guard [.invited, .accepted].contains(status) else { return false }
        var onceAccepted = facts
        onceAccepted.status = .accepted
        return MandateRules.refusal(onceAccepted, action: action, matterCode: matterCode, caseID: caseID, today: today) == nil
    }

    var proxyFacts: RecordAccess.ProxyFacts {
        RecordAccess.ProxyFacts(holder: $proxyAccount.id, principal: $principal.id, mandate: facts)
    }

    /// Mandate dates are days at home: the offices and the law count them there.
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
}
