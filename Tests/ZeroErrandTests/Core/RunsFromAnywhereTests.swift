import Foundation
import Testing
import Vapor
@testable import ZeroErrand

/// The server's files may sit anywhere: under a dot-named folder, away from the working directory.
@Suite("Runs from anywhere")
struct RunsFromAnywhereTests {
    /// A copy of the checkout's Resources and Public under `<tmp>/<id>/.cache/zeroerrand/`.
    func copyUnderDotFolder() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ze-\(UUID().uuidString)/.cache/zeroerrand").path + "/"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for folder in ["Resources", "Public"] {
            try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot + folder, toPath: root + folder)
        }
        return root
    }

    @Test("Pages render and styles are served from files under a folder whose name starts with a dot")
    func dotFolder() async throws {
        let root = try copyUnderDotFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await withTestApp(adjusting: { $0.resourcesDirectory = root + "Resources/" }) { (app, _) async throws in
            let browser = TestBrowser(app, language: "en")
            let home = try await browser.get("/")
            #expect(home.status == .ok && home.body.contains("<html lang=\"en\""))
            let matter = try await browser.get("/matters/GA-PSB-001")
            #expect(matter.status == .ok && matter.body.contains("Renewal of an expired resident ID card"))
            let styles = try await browser.get("/css/site.css")
            #expect(styles.status == .ok && styles.body.contains("{"))
        }
    }

    @Test("Inside the views folder a template still may not name a hidden file")
    func hiddenTemplate() async throws {
        try await withTestApp { (app, _) async throws in
            let views = ViewFiles(directory: app.dependencies.config.resourcesDirectory + "Views/", fileio: app.fileio)
            #expect(throws: (any Error).self) { try views.file(template: ".secret", escape: false, on: app.eventLoopGroup.next()) }
            #expect(throws: (any Error).self) { try views.file(template: "../Locales/en.json", escape: false, on: app.eventLoopGroup.next()) }
            let home = try await views.file(template: "home", escape: false, on: app.eventLoopGroup.next()).get()
            #expect(home.readableBytes > 0)
        }
    }

    @Test("The root is ZE_ROOT, else the working directory, else the folder of the program or one above it")
    func findsRoot() throws {
        let root = try copyUnderDotFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let elsewhere = FileManager.default.temporaryDirectory.path
        let program = root + ".build/debug/zeroerrand"
        #expect(try ResourceRoot.find(setting: root, workingDirectory: elsewhere, executable: nil) == root)
        #expect(try ResourceRoot.find(setting: nil, workingDirectory: root, executable: nil) == root)
        #expect(try ResourceRoot.find(setting: nil, workingDirectory: elsewhere, executable: program) == root)
        #expect(try ResourceRoot.find(setting: nil, workingDirectory: elsewhere, executable: root + "zeroerrand") == root)
        #expect { try ResourceRoot.find(setting: elsewhere, workingDirectory: root, executable: nil) } throws: {
            ($0 as? AppConfig.Invalid)?.setting == "ZE_ROOT"
        }
        #expect { try ResourceRoot.find(setting: nil, workingDirectory: elsewhere, executable: "/usr/bin/zeroerrand") } throws: {
            ($0 as? AppConfig.Invalid)?.description.contains("set ZE_ROOT") == true
        }
    }

    @Test("--help and routes set up no settings, data folder or database")
    func describingCommands() async throws {
        #expect(CommandLineUse.onlyDescribes(["zeroerrand", "--help"]) && CommandLineUse.onlyDescribes(["zeroerrand", "serve", "-h"]))
        #expect(CommandLineUse.onlyDescribes(["zeroerrand", "routes"]))
        #expect(!CommandLineUse.onlyDescribes(["zeroerrand", "serve"]) && !CommandLineUse.onlyDescribes(["zeroerrand", "demo"]))
        let working = FileManager.default.temporaryDirectory.appendingPathComponent("ze-cwd-\(UUID().uuidString)").path + "/"
        try FileManager.default.createDirectory(atPath: working, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: working) }
        let app = try await Application.make(Environment(name: "production", arguments: ["zeroerrand", "routes"]))
        app.directory = DirectoryConfiguration(workingDirectory: working)
        // Production with none of its settings: describing the program needs none of them.
        try await configure(app)
        #expect(app.routes.all.contains { $0.path.map(\.description).joined(separator: "/") == "matters" })
        #expect(app.databases.ids().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: working + "data"))
        try await app.asyncShutdown()
    }
}
