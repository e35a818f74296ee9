import Foundation
@testable import ZeroErrandCore

/// People, texts and sessions shared by the notarial act tests.
enum Notary {
    static let office = NotaryOfficeAbbreviation(chinese: "浙温", pinyin: "Zhe Wen")!

    static let applicant = UUID()
    /// The other side of the gift contract: a party who must sign.
    static let donee = UUID()
    /// A party who does not sign (e.g. named in the act as a beneficiary).
    static let beneficiary = UUID()
    /// The applicant's relative acting under a mandate.
    static let proxy = UUID()
    static let notary = UUID()
    static let otherNotary = UUID()
    static let stranger = UUID()

    static let everyone = [applicant, donee, beneficiary, proxy, notary, otherNotary, stranger]
    /// Everyone with a stake in the gift contract, written out independently of `NotarialActState.interested`.
    static let interestedInGift: Set<UUID> = [applicant, donee, beneficiary, proxy]

    static let texts = (1...3).map { SHA256Hash.of(Data("gift contract, version \($0)".utf8)) }
    static let recording = SHA256Hash.of(Data("recording of the session".utf8))
    static let sessions = [UUID(), UUID(), UUID()]
    static let moment = Date(timeIntervalSince1970: 1_796_000_000)

    /// A gift contract: the applicant and the donee sign; a beneficiary and a proxy are interested.
    static func giftAct() -> NotarialActState {
        NotarialActState(office: office, applicant: applicant, parties: [beneficiary], signingParties: [donee],
                         otherInterested: [proxy])
    }

    /// A declaration: only the applicant signs.
    static func declaration() -> NotarialActState {
        NotarialActState(office: office, applicant: applicant, otherInterested: [proxy])
    }

    static func apply(_ action: NotarialAction, _ state: NotarialActState, by actor: NotarialActor) -> Result<NotarialActState, NotarialActRefusal> {
        NotarialActRules.apply(action, to: state, by: actor, at: moment)
    }

    /// Applies steps that must all succeed.
    static func run(_ steps: [(NotarialAction, NotarialActor)], from state: NotarialActState) throws -> NotarialActState {
        var state = state
        for (action, actor) in steps { state = try apply(action, state, by: actor).get() }
        return state
    }

    static let prepare: (NotarialAction, NotarialActor) = (.prepareDocument(sha256: texts[0]), .notary(notary))
    static let open: (NotarialAction, NotarialActor) = (.openCertification(session: sessions[0]), .notary(notary))
    static func signs(_ signer: UUID, text: Int = 0, session: Int = 0) -> (NotarialAction, NotarialActor) {
        (.sign(shownSHA256: texts[text], session: sessions[session]), .person(signer))
    }
    static func certify(session: Int = 0) -> (NotarialAction, NotarialActor) {
        (.certify(session: sessions[session], identityConfirmed: true, willStated: true, recordingSHA256: recording), .notary(notary))
    }
    static let approve: (NotarialAction, NotarialActor) = (.approve, .notary(notary))
    static let issue: (NotarialAction, NotarialActor) = (.issue(number: "(2026)浙温证字第123号"), .notary(notary))
    static let revoke: (NotarialAction, NotarialActor) = (.revoke(reason: "The passport shown was forged."), .notary(notary))

    /// The gift contract at each stage of the ordinary path.
    static func stages() throws -> Stages {
        let prepared = try run([prepare], from: giftAct())
        let opened = try run([open], from: prepared)
        let halfSigned = try run([signs(applicant)], from: opened)
        let signed = try run([signs(donee)], from: halfSigned)
        let certified = try run([certify()], from: signed)
        let approved = try run([approve], from: certified)
        let issued = try run([issue], from: approved)
        let revoked = try run([revoke], from: issued)
        return Stages(fresh: giftAct(), prepared: prepared, opened: opened, halfSigned: halfSigned, signed: signed,
                      certified: certified, approved: approved, issued: issued, revoked: revoked)
    }

    struct Stages {
        let fresh, prepared, opened, halfSigned, signed, certified, approved, issued, revoked: NotarialActState
    }
}
