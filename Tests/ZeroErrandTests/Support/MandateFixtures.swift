import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// Powers of attorney in the state a test needs.
enum MandateFixtures {
    /// GB 11643's own example, for the principal.
    static let principalID = "11010519491231002X"
    /// A relative born 1960-03-15 in Wenzhou (Lucheng), with its computed check character.
    static let proxyID: String = {
        let first17 = "33030219600315123"
        return first17 + String(ResidentIDNumber.checkCharacter(forFirst17: first17)!)
    }()

    /// Written straight into the database: signed, accepted by `holder`, with a pass code.
    static func accepted(_ app: Application, _ clock: ManualClock, principal: Account, holder: Account, matters: [String],
                         limits: MandateLimits = MandateLimits(mayCollect: true, maySign: false, mayPay: false),
                         days: Int = 90) async throws -> Mandate {
        let secrets = app.dependencies.secrets
        let today = CivilDay(clock.now, in: Mandate.zone)
        let mandate = Mandate()
        mandate.id = UUID()
        mandate.$principal.id = try principal.requireID()
        mandate.principalIDNumberSealed = try secrets.sealText(principalID)
        mandate.principalIDMasked = try ResidentIDNumber(principalID).masked
        mandate.proxyName = "李四"
        mandate.proxyIDNumberSealed = try secrets.sealText(proxyID)
        mandate.proxyIDMasked = try ResidentIDNumber(proxyID).masked
        mandate.relationship = .parent
        mandate.proxyEmail = holder.email
        mandate.proxyPhone = ""
        mandate.scopeMatters = matters
        mandate.validFrom = today.description
        mandate.validUntil = today.adding(days: days).description
        mandate.mayCollect = limits.mayCollect
        mandate.maySign = limits.maySign
        mandate.mayPay = limits.mayPay
        mandate.status = .accepted
        mandate.termsSealed = try secrets.sealText("terms")
        mandate.termsSHA256 = String(repeating: "0", count: 64)
        mandate.$proxyAccount.id = try holder.requireID()
        mandate.passCode = PassCode.generate(app.dependencies.random)
        mandate.createdAt = clock.now
        mandate.updatedAt = clock.now
        try await mandate.create(on: app.db)
        return mandate
    }
}
