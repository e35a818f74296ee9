import Foundation

/// What every verification page carries: its language, that language's texts by key, and the
/// switcher to the other four.
struct VerificationChrome: Encodable {
    struct LanguageLink: Encodable {
        let code: String
        let name: String
        let href: String
        let current: Bool
    }

    let lang: String
    let t: [String: String]
    let languages: [LanguageLink]
    let verifyPath: String
    let qrPath: String
    let certificatesPath: String

    init(texts: VerificationTexts, language: VerificationTexts.Language, path: String) {
        lang = language.rawValue
        t = texts.all(language)
        languages = VerificationTexts.Language.allCases.map {
            LanguageLink(code: $0.rawValue, name: $0.name, href: path + "?lang=" + $0.rawValue, current: $0 == language)
        }
        verifyPath = SiteURL.verify.path + "?lang=" + language.rawValue
        qrPath = SiteURL.verifyQR.path
        certificatesPath = SiteURL.verifyCertificates.path + "?lang=" + language.rawValue
    }
}

/// `/verify`: the two forms and, after a check, the verdict with every field.
struct VerifyPage: Encodable {
    let chrome: VerificationChrome
    let fileAction: String
    let numberAction: String
    let maxMB: Int
    /// What was typed, shown again beside the answer (never the code).
    let number: String
    let error: String?
    let result: VerdictPresentation?
}

/// `/verify/qr`: the script checks the payload in the fragment against these keys, offline.
struct QRPage: Encodable {
    struct Key: Encodable {
        let keyID: String
        let spki: String
        let office: String
    }

    struct Text: Encodable {
        let key: String
        let text: String
    }

    let chrome: VerificationChrome
    /// The offices' published keys (retired ones too: old certificates keep their QR codes).
    let keys: [Key]
    let apiPath: String
    /// What the script may have to say, in the page's language.
    let scriptTexts: [Text]

    static let scriptTextKeys = ["genuine", "altered", "revoked", "unknown", "genuine_qr_text", "altered_qr_text", "unknown_qr_text",
                                 "qr_no_payload", "qr_no_crypto", "online_failed", "number", "holder", "issued", "document_sha256",
                                 "office", "signed_with_key"]
}

/// `/verify/certificates`: the published root and office certificates.
struct CertificatesPage: Encodable {
    struct Row: Encodable {
        let name: String
        let keyID: String
        let validFrom: String
        let validUntil: String
        let current: Bool
        let status: String
        let pemPath: String
    }

    let chrome: VerificationChrome
    let rows: [Row]
}
