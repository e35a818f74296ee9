import ZeroErrandCore

/// The exact bytes of a text signed in Chinese with its English translation (a notarial document,
/// a mediation agreement): both languages, in one fixed layout, so one hash binds both.
enum BilingualText {
    static func bytes(chinese: String, english: String) -> [UInt8] {
        Array("〔中文〕\n\(chinese)\n\n〔English translation〕\n\(english)\n".utf8)
    }

    static func sha256(chinese: String, english: String) -> String {
        SHA256Hash.of(bytes(chinese: chinese, english: english)).hex
    }
}
