/// Text made safe to place in HTML, between tags or inside a double-quoted attribute: what Leaf's
/// `#(…)` does, for the parts of hot pages written in Swift (see `QueueTable`).
struct HTMLText {
    private(set) var html = ""

    /// Markup written by the page itself, never anything a person typed.
    mutating func markup(_ text: String) { html += text }

    /// A value: names, numbers, paths.
    mutating func text(_ value: String) {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
            || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }) else {
            html += value
            return
        }
        for character in value.unicodeScalars {
            switch character {
            case "&": html += "&amp;"
            case "<": html += "&lt;"
            case ">": html += "&gt;"
            case "\"": html += "&quot;"
            case "'": html += "&#39;"
            default: html.unicodeScalars.append(character)
            }
        }
    }
}
