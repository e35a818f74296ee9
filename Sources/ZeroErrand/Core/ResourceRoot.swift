import Foundation

/// The folder holding the app's shipped files (`Resources/` and `Public/`), so the binary runs from
/// any working directory: `ZE_ROOT` when set; else the working directory when it holds them (a
/// checkout); else the executable's folder or the nearest one above it that does (`.build/debug/`
/// in a checkout, `bin/` of an installation).
enum ResourceRoot {
    static func find(setting: String?, workingDirectory: String, executable: String?) throws -> String {
        if let setting, !setting.isEmpty {
            let root = finished(setting)
            guard holdsResources(root) else {
                throw AppConfig.Invalid(setting: "ZE_ROOT", problem: "must be a folder holding Resources/ and Public/, not \(setting)")
            }
            return root
        }
        if holdsResources(finished(workingDirectory)) { return finished(workingDirectory) }
        var folder = executable.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().deletingLastPathComponent() }
        while let candidate = folder, candidate.path != "/" {
            if holdsResources(finished(candidate.path)) { return finished(candidate.path) }
            folder = candidate.deletingLastPathComponent()
        }
        throw AppConfig.Invalid(setting: "ZE_ROOT", problem: "is missing: no Resources/ folder in \(workingDirectory) nor beside "
            + "\(executable ?? "the program"); set ZE_ROOT to the folder that holds Resources/ and Public/")
    }

    /// The path of the program now running, through any symbolic link to it.
    static var executable: String? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments.first
    }

    private static func holdsResources(_ root: String) -> Bool {
        FileManager.default.fileExists(atPath: root + "Resources/Locales/en.json")
            && FileManager.default.fileExists(atPath: root + "Public")
    }

    private static func finished(_ path: String) -> String { path.hasSuffix("/") ? path : path + "/" }
}

/// What the command line asks for, read before anything touches the disk: `--help` and `routes`
/// only describe the program and need neither the data folder nor the database.
enum CommandLineUse {
    static func onlyDescribes(_ arguments: [String]) -> Bool {
        let words = arguments.dropFirst()
        return words.contains("--help") || words.contains("-h") || words.first == "routes"
    }

    /// `serve` is the default command: no command, or options only, means serving.
    static func serves(_ arguments: [String]) -> Bool {
        guard let command = arguments.dropFirst().first else { return true }
        return command == "serve" || command.hasPrefix("-")
    }
}
