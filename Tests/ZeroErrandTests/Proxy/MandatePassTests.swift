import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

/// What the relative and the counter see of a pass, and what the printed papers say.
@Suite("Mandate pass at the counter")
struct MandatePassTests {
    /// A mandate accepted and a case under it submitted to the clerk's office.
    func acceptedWithCase(_ app: Application, _ clock: ManualClock) async throws -> (ProxyWorld, Mandate) {
        let world = try await ProxyWorld.make(app, clock)
        let mandate = try await world.accepted()
        let caseID = try await world.caseUnder(mandate)
        #expect(try await world.base.citizen.post("/cases/\(caseID)/actions/submit").status == .seeOther)
        return (world, mandate)
    }

    /// The verdict banner's colour class and its words and icon.
    func banner(_ body: String) throws -> (kind: String, text: String) {
        let match = try #require(body.firstMatch(of: /<div class="verdict ([a-z-]+)" role="status"[^>]*>([\s\S]*?)<\/div>\s*<\/div>/))
        return (String(match.output.1), String(match.output.2))
    }

    @Test("The pass card is one card on one page, says the days are China time, and its QR scans from the printed page")
    func passCard() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted()
            let card = try await world.relative.get("/mandates/\(mandate.id!)/pass.pdf")
            #expect(card.status == .ok)
            #expect(try PDFTools.pageCount(card.bytes) == 1)
            #expect(try PDFTools.qrCodes(card.bytes) == [SiteURL.officePass(code: mandate.passCode!).absolute(app.dependencies.config)])
            // Narrow columns wrap: compared without the spacing.
            let text = try PDFTools.text(card.bytes).filter { !$0.isWhitespace }
            #expect(text.contains("Chinatime") && text.contains("北京时间") && text.contains(mandate.validUntil) && text.contains(mandate.passCode!))
        }
    }

    @Test("The signed document gives the signing time as a date and time with its zone named, not a raw ISO stamp")
    func signedAt() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted()
            let signature = try #require(try await Signature.find(try #require(mandate.$signature.id), on: app.db))
            let pdf = try await world.relative.get("/mandates/\(mandate.id!)/document.pdf")
            let text = try PDFTools.text(pdf.bytes)
            let shown = TimeDisplay.format(signature.signedAt, in: TimeZone(identifier: "Asia/Shanghai")!)
            #expect(text.contains(shown), "\(shown) in \(text)")
            #expect(text.firstMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) == nil)
        }
    }

    @Test("At the counter a valid pass and a revoked one read differently at the top: words, icon and colour, revoked time in the official's zone")
    func counterVerdict() async throws {
        try await withTestApp { (app, clock) async throws in
            let (world, mandate) = try await acceptedWithCase(app, clock)
            let path = "/office/passes/\(mandate.passCode!)"
            let valid = try await world.base.clerk.get(path).body
            let accepted = try banner(valid)
            #expect(accepted.kind == "verdict-valid" && accepted.text.contains("✓") && accepted.text.contains(">Valid</h2>"))
            #expect(try #require(valid.range(of: "id=\"pass-verdict\"")).lowerBound < (try #require(valid.range(of: "<form method=\"get\""))).lowerBound,
                    "the verdict comes before everything else on the page, on a phone too")
            #expect(valid.contains("Relationship to the principal") && !valid.contains("Relationship to you"))

            #expect(try await world.base.citizen.post("/mandates/\(mandate.id!)/revocation").status == .seeOther)
            let revokedAt = try #require(try await Mandate.find(mandate.id, on: app.db)?.revokedAt)
            let revoked = try await world.base.clerk.get(path).body
            let refused = try banner(revoked)
            #expect(refused.kind == "verdict-refused" && refused.text.contains("✕"))
            #expect(refused.text.contains("Do not hand over") && refused.text.contains("The principal has revoked this mandate."))
            // The clerk's account is in Paris: the times are theirs, with the zone named.
            #expect(refused.text.contains(TimeDisplay.format(revokedAt, in: TimeZone(identifier: "Europe/Paris")!)))
            #expect(revoked.contains("id=\"pass-checked\">Checked \(TimeDisplay.format(clock.now, in: TimeZone(identifier: "Europe/Paris")!))"))

            #expect(try await world.base.clerk.post("/language", ["lang": "zh-Hans", "back": path]).status == .seeOther)
            let chinese = try await world.base.clerk.get(path).body
            #expect(chinese.contains("不得代领") && chinese.contains("委托人已撤销本委托。") && chinese.contains("与委托人的关系"))
            #expect(!chinese.contains("不予受理"))
        }
    }

    @Test("The relative's pass page, once revoked, says so and that it is not to be used: no code to scan, no card, no 'show at the counter'")
    func revokedPassPage() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await ProxyWorld.make(app, clock)
            let mandate = try await world.accepted()
            let path = "/mandates/\(mandate.id!)/pass"
            let usable = try await world.relative.get(path).body
            #expect(usable.contains("data-usable=\"true\"") && usable.contains("Show this page or the printed card at the counter"))
            #expect(usable.contains("Dates are days in China"))

            #expect(try await world.base.citizen.post("/mandates/\(mandate.id!)/revocation").status == .seeOther)
            let revokedAt = try #require(try await Mandate.find(mandate.id, on: app.db)?.revokedAt)
            for (language, texts) in [("en", ["Do not use this pass", "It was revoked on"]), ("zh-Hans", ["请勿使用此凭证", "撤销"])] {
                #expect(try await world.relative.post("/language", ["lang": language, "back": path]).status == .seeOther)
                let page = try await world.relative.get(path).body
                #expect(try banner(page).kind == "verdict-refused" && page.contains("data-usable=\"false\""))
                for text in texts { #expect(page.contains(text), "\(language): \(text)") }
                #expect(page.contains(TimeDisplay.format(revokedAt, in: TimeZone(identifier: "Europe/Paris")!)))
                #expect(!page.contains("<svg") && !page.contains("pass.pdf"))
                #expect(!page.contains("Show this page") && !page.contains("在窗口出示此页面"))
            }
        }
    }
}
