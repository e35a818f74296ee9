import Fluent
import Foundation
import Testing
import LeafKit
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Two-step sign-in set-up and a lost phone")
struct TwoFactorSetupTests {
    @Test("The set-up page shows, beside the key, a QR code that scans as exactly the otpauth URI, in both languages")
    func qrCode() async throws {
        try await withTestApp { (app, _) async throws in
            for locale in AppLocale.allCases {
                let email = Inbox.uniqueAddress("enrol")
                try await TestAccounts.make(app, email: email)
                let browser = TestBrowser(app)
                try await browser.signIn(email)
                #expect(try await browser.post("/language", ["lang": locale.rawValue]).status == .seeOther)
                let page = try await browser.get("/account/two-factor")
                #expect(page.status == .ok)
                let svg = String(try #require(page.body.firstMatch(of: /<svg[\s\S]*?<\/svg>/)).output)
                let link = try #require(page.body.firstMatch(of: /href="(otpauth:\/\/[^"]+)"/)).output.1
                let uri = link.replacingOccurrences(of: "&amp;", with: "&")
                #expect(try PDFTools.qrCodes(svg: svg) == [uri])
                // The code carries the very key typed by hand from the same page.
                let secret = try #require(TwoFactorSetup.secret(in: page.body))
                #expect(uri.contains("secret=\(Base32.encode(secret))&"))
                let label = app.dependencies.translator.text("twofactor.setup.qr_label", locale)
                #expect(svg.contains("<title>\(label)</title>"))
                #expect(page.body.contains(app.dependencies.translator.text("twofactor.setup.qr_caption", locale)))
                #expect(page.body.contains("href=\"/help/lost-phone\""))
            }
        }
    }

    @Test("Lost your phone: the sign-in step links to help on recovery codes and on the service points that can restore the account")
    func lostPhone() async throws {
        try await withTestApp { (app, clock) async throws in
            let email = Inbox.uniqueAddress("lost")
            try await TestAccounts.make(app, email: email, totpSecret: testSecret(40))
            let browser = TestBrowser(app, language: "en")
            let step = try await browser.signIn(email)
            #expect(step.location?.hasPrefix("/sign-in/second-factor") == true)
            let second = try await browser.get(try #require(step.location))
            #expect(second.body.contains("<a href=\"/help/lost-phone\">Lost your phone?"))

            let paris = try #require(try await ServicePoint.query(on: app.db).filter(\.$code == "fr-paris-1").first())
            for (language, locale) in [("en", AppLocale.en), ("zh-CN", AppLocale.zhHans)] {
                let reader = TestBrowser(app, language: language)
                let help = try await reader.get("/help/lost-phone")
                #expect(help.status == .ok)
                for key in ["lost_phone.codes.body", "lost_phone.restore.citizens", "lost_phone.restore.staff", "lost_phone.never_asked"] {
                    #expect(help.body.contains(app.dependencies.translator.text(key, locale).htmlEscaped()), "\(language): \(key)")
                }
                #expect(help.body.contains(paris.name(locale)) && help.body.contains("mailto:\(paris.contactEmail)")
                        && help.body.contains("tel:+33100000001") && help.body.contains(paris.countryName(locale))
                        && help.body.contains("href=\"/service-points\""))
            }
            // It changes nothing and needs no sign-in: the half-signed-in visitor still finishes with a code.
            #expect(try await browser.post("/sign-in/second-factor", ["code": TOTP(secret: testSecret(40)).code(at: clock.now)]).status == .seeOther)
        }
    }
}
