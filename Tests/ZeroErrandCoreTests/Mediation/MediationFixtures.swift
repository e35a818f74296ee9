import Foundation
@testable import ZeroErrandCore

/// The article's dispute: two plaintiffs abroad (Madrid, Rome), one defendant in Wenzhou who acts
/// through an agent, a mediator, a judge and a clerk of the Wencheng court.
enum Mediation {
    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }

    static let madrid = id(1), rome = id(2), wenzhou = id(3)
    static let madridAccount = id(11), romeAccount = id(12), wenzhouAccount = id(13), wenzhouAgent = id(14)
    static let clerk = id(21), mediator = id(22), judge = id(23), otherOfficial = id(24)
    static let stranger = id(31)
    static let texts = (1...3).map { SHA256Hash.of(Data("mediation agreement, version \($0)".utf8)) }
    static let moment = Date(timeIntervalSince1970: 1_806_000_000)
    static let court = CourtCode(chinese: "浙0328", english: "Zhe 0328")!
    static let number = "(2027)浙0328民特12号"

    static let parties = [MediationParty(id: madrid, side: .plaintiff), MediationParty(id: rome, side: .plaintiff),
                          MediationParty(id: wenzhou, side: .defendant)]
    static let interested: Set<UUID> = [madridAccount, romeAccount, wenzhouAccount, wenzhouAgent]
    static let accountOf = [madrid: madridAccount, rome: romeAccount, wenzhou: wenzhouAgent]
    /// Officials and people steps are tried by in the generated walk.
    static let officials = [clerk, mediator, judge, otherOfficial, madridAccount]

    /// As filed by the plaintiff in Madrid: only the filer has the papers so far.
    static func filed() -> MediationState {
        MediationState(court: court, parties: parties, interested: interested, served: [madrid])
    }

    static func party(_ id: UUID) -> MediationActor { .party(id, account: accountOf[id] ?? stranger) }

    static func apply(_ action: MediationAction, _ state: MediationState, by actor: MediationActor) -> Result<MediationState, MediationRefusal> {
        MediationRules.apply(action, to: state, by: actor, at: moment)
    }

    static func run(_ steps: [(MediationAction, MediationActor)], from state: MediationState) throws -> MediationState {
        var state = state
        for (action, actor) in steps {
            state = try apply(action, state, by: actor).get()
        }
        return state
    }

    static let accept = (MediationAction.accept(mediator: mediator, judge: judge), MediationActor.clerk(clerk))
    static func opens(_ id: UUID) -> (MediationAction, MediationActor) { (.openPapers, party(id)) }
    static func save(_ n: Int) -> (MediationAction, MediationActor) { (.saveAgreement(sha256: texts[n]), .official(mediator)) }
    static func signs(_ id: UUID, _ n: Int = 0) -> (MediationAction, MediationActor) { (.sign(shown: texts[n]), party(id)) }

    /// Accepted, served on everyone, the first version saved and signed by all.
    static func signedByAll() throws -> MediationState {
        try run([accept, opens(rome), opens(wenzhou), save(0), signs(madrid), signs(rome), signs(wenzhou)], from: filed())
    }
}
