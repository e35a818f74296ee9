import Foundation

extension String {
    /// A form's free text as kept: line breaks and tabs are text, other control characters (a NUL,
    /// an escape sequence, a right-to-left override) are not; Windows line ends become "\n"; trimmed.
    var formText: String {
        let kept = replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars
            .filter { $0 == "\n" || $0 == "\t" || !(CharacterSet.controlCharacters.contains($0) || $0.properties.isBidiControl) }
        return String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Longer than `limit` for storage: counted in Unicode scalars, so combining marks piled on one
    /// visible character count each.
    func exceeds(_ limit: Int) -> Bool { unicodeScalars.count > limit }
}
