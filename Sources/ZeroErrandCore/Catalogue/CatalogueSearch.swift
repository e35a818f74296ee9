/// How catalogue search compares a query with a matter: British and American spellings and common
/// variants are brought to one form, accents and pinyin tone marks are dropped, and the pinyin of
/// the Chinese name counts with or without spaces. The same folding is applied to the stored text
/// and to the query, so either spelling finds either.
public enum CatalogueSearch {
    /// How well a matter's name answers a query; results are listed best first.
    public enum Rank: Int, Comparable, Sendable {
        case exactName, namePrefix, nameContains, elsewhere

        public static func < (lhs: Rank, rhs: Rank) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Lower case, accents and tone marks dropped, dashes as spaces, one spelling per variant.
    public static func normalized(_ text: String) -> String {
        var folded = ""
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            // Combining diacritical marks: é → e, ǜ → u, ā → a.
            if (0x300...0x36F).contains(scalar.value) { continue }
            switch scalar {
            case "’", "‘", "`": folded.unicodeScalars.append("'")
            case "-", "‐", "‑", "–", "—", "/", "_": folded.unicodeScalars.append(" ")
            default: folded.unicodeScalars.append(scalar)
            }
        }
        let words = mapWords(folded.precomposedStringWithCanonicalMapping)
        return collapsingSpaces(phrases.reduce(words) { replacingPhrase($0, $1.0, with: $1.1) })
    }

    /// The words of a query; a matter is found when its search text holds every one.
    public static func terms(_ query: String, limit: Int = 8) -> [String] {
        normalized(query).split(separator: " ").prefix(limit).map(String.init)
    }

    /// What is stored per matter and searched: its texts folded, and the pinyin of its Chinese
    /// name spaced and run together, with ü also written u and v as people type it.
    public static func searchText(_ texts: [String], pinyin: String) -> String {
        ([normalized(texts.joined(separator: " "))] + pinyinForms(pinyin)).joined(separator: " ")
    }

    /// Exact name (in either language, or its pinyin) first, then names starting with the query,
    /// then names containing it, then matches only in descriptions and keywords.
    public static func rank(_ query: String, names: [String], pinyin: String) -> Rank {
        let wanted = normalized(query)
        guard !wanted.isEmpty else { return .elsewhere }
        var ranks = names.map { rankOf(wanted, in: normalized($0)) }
        // Pinyin is compared run together: "shen fen zheng" is "shenfenzheng".
        let compact = wanted.replacingOccurrences(of: " ", with: "")
        ranks += pinyinForms(pinyin).filter { !$0.contains(" ") }.map { rankOf(compact, in: $0) }
        return ranks.min() ?? .elsewhere
    }

    private static func rankOf(_ wanted: String, in name: String) -> Rank {
        if name == wanted { return .exactName }
        if name.hasPrefix(wanted) { return .namePrefix }
        return name.contains(wanted) ? .nameContains : .elsewhere
    }

    private static func pinyinForms(_ pinyin: String) -> [String] {
        let spaced = collapsingSpaces(pinyin.lowercased())
        guard !spaced.isEmpty else { return [] }
        var forms = [normalized(spaced)]
        if spaced.contains("ü") { forms.append(spaced.replacingOccurrences(of: "ü", with: "v")) }
        return forms.flatMap { [$0, $0.replacingOccurrences(of: " ", with: "")] }
    }

    // MARK: Variants

    /// British (and other) spellings, each to the one form both sides are compared in.
    static let wordVariants: [String: String] = [
        "licence": "license", "licences": "licenses", "licenced": "licensed",
        "centre": "center", "centres": "centers", "metre": "meter", "metres": "meters", "theatre": "theater",
        "enrol": "enroll", "enrols": "enrolls", "enrolment": "enrollment", "enrolments": "enrollments",
        "defence": "defense", "offence": "offense", "offences": "offenses",
        "labour": "labor", "honour": "honor", "favour": "favor", "colour": "color",
        "neighbour": "neighbor", "neighbours": "neighbors", "behaviour": "behavior",
        "practise": "practice", "practised": "practiced", "programme": "program", "programmes": "programs", "judgement": "judgment", "judgements": "judgments",
        "cancelled": "canceled", "cancelling": "canceling", "travelled": "traveled", "travelling": "traveling",
        "counselling": "counseling", "instalment": "installment", "instalments": "installments", "fulfil": "fulfill",
        "catalogue": "catalog", "catalogues": "catalogs", "ageing": "aging", "grey": "gray",
        "paediatric": "pediatric", "idcard": "id card", "idcards": "id cards",
    ]

    /// Several words meaning one thing, after the word variants are applied.
    static let phrases: [(String, String)] = [
        ("identity card", "id card"), ("identity cards", "id cards"), ("identification card", "id card"),
        ("driver's license", "driving license"), ("drivers' license", "driving license"),
        ("drivers license", "driving license"), ("driver license", "driving license"),
        ("e mail", "email"), ("hukou", "household registration"),
    ]

    /// -ise/-isation and -yse spellings (organise, notarisation, analyse) to -ize/-yze. Only longer
    /// words: both sides fold alike, so a word changed needlessly ("promise") still matches itself.
    static func canonicalWord(_ word: String) -> String {
        if let variant = wordVariants[word] { return variant }
        guard word.count >= 6 else { return word }
        for (british, american) in [("isations", "izations"), ("isation", "ization"), ("ising", "izing"),
                                    ("ised", "ized"), ("ises", "izes"), ("ise", "ize"), ("yse", "yze")]
        where word.hasSuffix(british) {
            return String(word.dropLast(british.count)) + american
        }
        return word
    }

    private static func mapWords(_ text: String) -> String {
        var result = "", word = ""
        for character in text {
            if character.isASCII && character.isLetter {
                word.append(character)
            } else {
                result += canonicalWord(word)
                word = ""
                result.append(character)
            }
        }
        return result + canonicalWord(word)
    }

    /// Replaces whole-word occurrences only: "hukou" but not inside another word.
    private static func replacingPhrase(_ text: String, _ phrase: String, with replacement: String) -> String {
        var result = "", rest = Substring(text)
        while let range = rest.range(of: phrase) {
            let before = range.lowerBound == rest.startIndex ? result.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let whole = !(before.map(isWordCharacter) ?? false) && !(after.map(isWordCharacter) ?? false)
            result += String(rest[..<range.lowerBound])
            result += whole ? replacement : phrase
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    private static func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber }

    private static func collapsingSpaces(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
