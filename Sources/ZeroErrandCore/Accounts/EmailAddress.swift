import Foundation

/// The one place that decides what an acceptable, comparable email address is.
public enum EmailAddress {
    public static func normalize(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard trimmed.count <= 254 else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return nil }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return nil }
        let forbidden: Set<Character> = [" ", "<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]", "\r", "\n", "\t"]
        guard !trimmed.contains(where: { forbidden.contains($0) }) else { return nil }
        return trimmed
    }
}
