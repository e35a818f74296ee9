import Foundation

/// The code an anonymous reporter gets instead of an account: 80 random bits as 16 Crockford
/// base-32 characters in groups of four ("7K2Q-M9XD-…"). Only its SHA-256 is stored, so the
/// database alone cannot open a report; typing mistakes people make (lower case, O for 0, I or L
/// for 1, spaces or no dashes) are forgiven.
public enum ReceiptCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    public static let length = 16

    /// From 10 random bytes.
    public static func make(from bytes: [UInt8]) -> String {
        precondition(bytes.count == 10, "a receipt code takes 80 bits")
        var bits = 0, value = 0, characters: [Character] = []
        for byte in bytes {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                characters.append(alphabet[(value >> bits) & 31])
            }
            value &= (1 << bits) - 1
        }
        return stride(from: 0, to: length, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// The code as typed, in canonical form without dashes, or nil if it cannot be one.
    public static func normalized(_ typed: String) -> String? {
        var out = ""
        for character in typed.uppercased() {
            switch character {
            case " ", "-", "\t": continue
            case "O": out.append("0")
            case "I", "L": out.append("1")
            default:
                guard alphabet.contains(character) else { return nil }
                out.append(character)
            }
        }
        return out.count == length ? out : nil
    }

    /// What is stored: hex SHA-256 of the canonical form.
    public static func digest(_ typed: String) -> String? {
        guard let canonical = normalized(typed) else { return nil }
        return SHA256Hash.of(Array(canonical.utf8)).description
    }
}
