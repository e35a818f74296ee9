import Foundation
import Yams

/// A mistake in a shipped data file, named by file, line and field so it can be fixed at once.
struct DataFileError: Error, CustomStringConvertible {
    let file: String
    let line: Int
    let field: String
    let problem: String

    var description: String { "\(file):\(line): field '\(field)': \(problem)" }
}

/// Reads typed fields out of YAML nodes, keeping line numbers for error messages.
struct YAMLFields {
    let file: String

    func entries(of text: String) throws -> [Node] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DataFileError(file: file, line: Self.line(of: error), field: "(syntax)", problem: "\(error)")
        }
        guard let sequence = root?.sequence else {
            throw DataFileError(file: file, line: root?.mark?.line ?? 1, field: "(document)", problem: "must be a list of entries")
        }
        return Array(sequence)
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard let value = node[key] else { throw missing(node, key) }
        guard let text = value.scalar?.string.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw DataFileError(file: file, line: line(value, node), field: key, problem: "must be a non-empty text")
        }
        return text
    }

    func optionalString(_ node: Node, _ key: String) throws -> String? {
        guard let value = node[key], value.scalar?.string != "null", value.scalar?.string != "~" else { return nil }
        return try string(node, key)
    }

    func int(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = node[key] else { throw missing(node, key) }
        guard let number = value.int, range.contains(number) else {
            throw DataFileError(file: file, line: line(value, node), field: key,
                                problem: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func number(_ node: Node, _ key: String) throws -> Double {
        guard let value = node[key] else { throw missing(node, key) }
        guard let number = value.float ?? value.int.map(Double.init), number >= 0, number.isFinite else {
            throw DataFileError(file: file, line: line(value, node), field: key, problem: "must be a number of at least 0")
        }
        return number
    }

    func number(_ node: Node, _ key: String, in range: ClosedRange<Double>) throws -> Double {
        guard let value = node[key] else { throw missing(node, key) }
        guard let number = value.float ?? value.int.map(Double.init), range.contains(number) else {
            throw DataFileError(file: file, line: line(value, node), field: key,
                                problem: "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard let value = node[key] else { throw missing(node, key) }
        guard let flag = value.bool else {
            throw DataFileError(file: file, line: line(value, node), field: key, problem: "must be true or false")
        }
        return flag
    }

    func strings(_ node: Node, _ key: String, nonEmpty: Bool = false) throws -> [String] {
        guard let value = node[key] else { throw missing(node, key) }
        guard let items = value.sequence else {
            throw DataFileError(file: file, line: line(value, node), field: key, problem: "must be a list")
        }
        let texts = items.compactMap { $0.scalar?.string.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard texts.count == items.count, !(nonEmpty && texts.isEmpty) else {
            throw DataFileError(file: file, line: line(value, node), field: key,
                                problem: nonEmpty ? "must be a non-empty list of texts" : "must be a list of texts")
        }
        return texts
    }

    func choice<T: RawRepresentable>(_ node: Node, _ key: String, as type: T.Type) throws -> T where T.RawValue == String {
        let raw = try string(node, key)
        guard let value = T(rawValue: raw) else { throw invalid(node, key, "'\(raw)' is not one of the allowed values") }
        return value
    }

    func list(_ node: Node, _ key: String) throws -> [Node] {
        guard let value = node[key] else { throw missing(node, key) }
        guard let items = value.sequence else { throw invalid(node, key, "must be a list") }
        return Array(items)
    }

    func invalid(_ node: Node, _ key: String, _ problem: String) -> DataFileError {
        DataFileError(file: file, line: line(node[key], node), field: key, problem: problem)
    }

    private func missing(_ node: Node, _ key: String) -> DataFileError {
        DataFileError(file: file, line: node.mark?.line ?? 0, field: key, problem: "is missing")
    }

    private func line(_ value: Node?, _ parent: Node) -> Int { value?.mark?.line ?? parent.mark?.line ?? 0 }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }
}
