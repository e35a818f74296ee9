import Testing
@testable import ZeroErrandCore

@Suite("Password rules (NIST SP 800-63B)")
struct PasswordPolicyTests {
    let policy = PasswordPolicy(blocklist: ["password", "qwerty123", "woaini1314"])

    @Test("Eight characters is enough, seven is not, and no composition rules apply")
    func length() {
        #expect(policy.problems(password: "abcdefg", email: nil) == [.tooShort])
        #expect(policy.problems(password: "abcdefgh", email: nil) == [])
        #expect(policy.problems(password: "alllowercaseletters", email: nil) == [])
    }

    @Test("A 64-character Chinese passphrase (192 bytes in UTF-8) is accepted")
    func longChinese() {
        let passphrase = String(repeating: "我的护照在马德里续签", count: 7).prefix(64)
        #expect(passphrase.count == 64)
        #expect(passphrase.utf8.count == 192)
        #expect(policy.problems(password: String(passphrase), email: nil) == [])
    }

    @Test("Lengths count characters, and up to 256 are accepted")
    func upperBound() {
        #expect(policy.problems(password: String(repeating: "长", count: 256), email: nil) == [])
        #expect(policy.problems(password: String(repeating: "a", count: 257), email: nil) == [.tooLong])
        #expect(policy.problems(password: "长城长城长城长", email: nil) == [.tooShort])
    }

    @Test("Common passwords are refused whatever their case")
    func blocklist() {
        #expect(policy.problems(password: "PassWord", email: nil) == [.common])
        #expect(policy.problems(password: "WOAINI1314", email: nil) == [.common])
    }

    @Test("A password containing the mailbox name is refused")
    func containsEmail() {
        #expect(policy.problems(password: "yanghui-2026!", email: "yanghui@example.es") == [.containsEmail])
        #expect(policy.problems(password: "entirely different", email: "yanghui@example.es") == [])
    }

    @Test("Full-width and half-width forms are the same password")
    func normalization() {
        #expect(PasswordPolicy.normalize("ｐａｓｓｗｏｒｄ") == "password")
        #expect(policy.problems(password: "ｐａｓｓｗｏｒｄ", email: nil) == [.common])
    }
}
