import Foundation
import Testing
import Vapor
@testable import ZeroErrand

@Suite("Configuration")
struct ConfigTests {
    let directory = DirectoryConfiguration(workingDirectory: FileManager.default.temporaryDirectory.path + "/")
    let production = Environment(name: "production")
    let complete = ["ZE_SECRET_KEY": Data(repeating: 1, count: 32).base64EncodedString(), "ZE_PUBLIC_URL": "https://zeroerrand.example",
                    "SMTP_HOST": "smtp.example.org", "MAIL_FROM": "no-reply@zeroerrand.example",
                    "ZE_DOCUMENT_KEYS": "k1:" + Data(repeating: 2, count: 32).base64EncodedString()]

    @Test("Production refuses to start without each required setting, naming it")
    func productionNeedsSecrets() throws {
        _ = try AppConfig.load(environment: production, values: complete, directory: directory)
        for setting in complete.keys {
            var values = complete
            values[setting] = nil
            #expect { try AppConfig.load(environment: production, values: values, directory: directory) } throws: {
                ($0 as? AppConfig.Invalid)?.setting == setting && "\($0)".contains(setting)
            }
        }
    }

    @Test("Malformed settings are refused by name")
    func malformed() {
        let cases = [("ZE_SECRET_KEY", "too-short"), ("SMTP_PORT", "seventy"), ("SMTP_SECURITY", "maybe"),
                     ("DATABASE_URL", "mysql://x"), ("ZE_PUBLIC_URL", "http://insecure.example"),
                     ("ZE_DOCUMENT_KEYS", "k1:short"), ("ZE_UPLOAD_LIMIT_MB", "0")]
        for (setting, value) in cases {
            var values = complete
            values[setting] = value
            #expect { try AppConfig.load(environment: production, values: values, directory: directory) } throws: {
                ($0 as? AppConfig.Invalid)?.setting == setting
            }
        }
    }

    @Test("Production refuses unencrypted SMTP with a password, and warns about it without one")
    func plainSMTP() throws {
        var values = complete
        values["SMTP_SECURITY"] = "none"
        let warned = try AppConfig.load(environment: production, values: values, directory: directory)
        #expect(warned.warnings.count == 1 && warned.warnings[0].contains("SMTP_SECURITY=none"))
        values["SMTP_USERNAME"] = "mailer"
        values["SMTP_PASSWORD"] = "secret"
        #expect { try AppConfig.load(environment: production, values: values, directory: directory) } throws: {
            ($0 as? AppConfig.Invalid)?.setting == "SMTP_SECURITY" && "\($0)".contains("credentials")
        }
        #expect(try AppConfig.load(environment: production, values: complete, directory: directory).warnings.isEmpty)
        // Development may use a local sink with any settings.
        #expect(try AppConfig.load(environment: .development, values: values, directory: directory).warnings.isEmpty)
    }

    @Test("Development needs nothing and uses SQLite under data/ and secure cookies only in production")
    func development() throws {
        let config = try AppConfig.load(environment: .development, values: ["ZE_DATA_DIR": directory.workingDirectory + "ze-dev-\(UUID())"],
                                        directory: directory)
        guard case .sqlite(let path) = config.database else { Issue.record("expected SQLite"); return }
        #expect(path.hasSuffix("/zeroerrand.sqlite"))
        #expect(!config.cookieSecure)
        #expect(try AppConfig.load(environment: production, values: complete, directory: directory).cookieSecure)
    }
}
