import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

extension TestBrowser {
    /// Signs in with the password and, when given, a TOTP code for the current time.
    @discardableResult
    func signIn(_ email: String, password: String = TestAccounts.password, totp: [UInt8]? = nil,
                clock: ManualClock? = nil) async throws -> Page {
        let first = try await post("/sign-in", ["email": email, "password": password])
        guard let totp, let clock, first.location?.hasPrefix("/sign-in/second-factor") == true else { return first }
        return try await post("/sign-in/second-factor", ["code": TOTP(secret: totp).code(at: clock.now)])
    }
}

/// A fixed 20-byte TOTP secret per test account.
func testSecret(_ seed: UInt8 = 1) -> [UInt8] { (0..<20).map { UInt8($0) &+ seed } }

/// Reads the secret from the set-up page, as a person types it into an authenticator app.
enum TwoFactorSetup {
    static func secret(in page: String) -> [UInt8]? {
        guard let match = page.firstMatch(of: /<code[^>]*>([A-Z2-7 ]{16,})<\/code>/) else { return nil }
        return Base32.decode(String(match.output.1))
    }
}
