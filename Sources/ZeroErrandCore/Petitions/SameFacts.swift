/// Whether a new petition tells the same facts as an earlier one, so a matter closed after
/// re-review is answered with its result instead of being handled again (art. 35). Compares the
/// sets of three-character pieces of both texts, letters and digits only, case folded: works for
/// Chinese (where a word is one or two characters) and for English alike, and survives reordered
/// sentences and small edits. Deliberately strict: a petition wrongly taken as a repeat loses its
/// hearing, one wrongly taken as new only costs the office a second look.
public enum SameFacts {
    public static let threshold = 0.75

    public static func similarity(_ a: String, _ b: String) -> Double {
        let left = pieces(a), right = pieces(b)
        guard !left.isEmpty, !right.isEmpty else { return 0 }
        return Double(left.intersection(right).count) / Double(left.union(right).count)
    }

    public static func isSame(_ a: String, _ b: String) -> Bool { similarity(a, b) >= threshold }

    static func pieces(_ text: String) -> Set<String> {
        let letters = Array(text.lowercased().filter { $0.isLetter || $0.isNumber })
        guard letters.count >= 3 else { return letters.isEmpty ? [] : [String(letters)] }
        return Set((0...(letters.count - 3)).map { String(letters[$0..<$0 + 3]) })
    }
}
