import Fluent
import Foundation
import Testing
import Vapor
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Documents without paper")
struct DocumentTests {
    func storedFiles(_ app: Application) -> [String] {
        let directory = app.dependencies.documents.directory
        let top = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let incoming = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/incoming")) ?? []
        return top.filter { $0 != "incoming" } + incoming
    }

    @Test("An upload is stored encrypted under a server name and comes back byte for byte as an attachment")
    func roundTrip() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let created = try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"])
            let id = try #require(created.caseID)
            let bytes = SampleFiles.pdf("护照 passport E12345678")
            let uploaded = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: bytes,
                                                          fileName: "../../etc/护照.pdf")
            #expect(uploaded.status == .created)
            let document = try #require(try await CaseDocument.query(on: app.db).first())
            #expect(document.originalName == "护照.pdf")
            #expect(document.kind == .pdf)
            #expect(document.sha256 == SampleFiles.sha256(bytes))
            let files = storedFiles(app)
            #expect(files == [document.storageName])
            let onDisk = try #require(FileManager.default.contents(atPath: app.dependencies.documents.directory + "/" + document.storageName))
            #expect(onDisk.range(of: Data("E12345678".utf8)) == nil)

            let download = try await world.citizen.get("/cases/\(id)/documents/\(document.id!)")
            #expect(download.status == .ok)
            #expect(download.bytes == bytes)
            #expect(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
            #expect(download.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(download.headers.contentType?.serialize() == "application/pdf")
        }
    }

    @Test("A download asked for one byte range gets those bytes (206); past the end 416; several ranges the whole file")
    func byteRanges() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try #require(try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"]).caseID)
            // Several 64 KiB chunks, so that ranges start and end inside and across them.
            var bytes = SampleFiles.pdf("range")
            bytes += (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            #expect(try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: bytes,
                                                   fileName: "long.pdf").status == .created)
            let path = "/cases/\(id)/documents/\(try #require(try await CaseDocument.query(on: app.db).first()).requireID())"
            let asked = { (range: String) in try await world.citizen.get(path, headers: ["Range": range]) }
            let whole = try await world.citizen.get(path)
            #expect(whole.status == .ok && whole.bytes == bytes && whole.headers.first(name: .acceptRanges) == "bytes")
            let middle = try await asked("bytes=65530-131080")
            #expect(middle.status == .partialContent && middle.bytes == Array(bytes[65530...131080]))
            #expect(middle.headers.first(name: .contentRange) == "bytes 65530-131080/\(bytes.count)")
            #expect(try await asked("bytes=-10").bytes == Array(bytes.suffix(10)))
            #expect(try await asked("bytes=150000-").bytes == Array(bytes[150000...]))
            #expect(try await asked("bytes=0-0").bytes == [bytes[0]])
            let past = try await asked("bytes=\(bytes.count)-")
            #expect(past.status == .rangeNotSatisfiable && past.headers.first(name: .contentRange) == "bytes */\(bytes.count)")
            #expect(try await asked("bytes=0-1,5-6").bytes == bytes)
            // Numbers no client should send: a range ending before it starts is ignored, one past
            // the end cannot be satisfied, and an end past the file's is cut to it.
            let backwards = try await asked("bytes=500-100")
            #expect(backwards.status == .ok && backwards.bytes == bytes)
            #expect(try await asked("bytes=\(bytes.count + 1)-").status == .rangeNotSatisfiable)
            #expect(try await asked("bytes=\(bytes.count + 5)-\(bytes.count + 9)").status == .rangeNotSatisfiable)
            #expect(try await asked("bytes=-0").status == .rangeNotSatisfiable)
            let huge = try await asked("bytes=10-\(Int.max)")
            #expect(huge.status == .partialContent && huge.bytes == Array(bytes[10...]))
            #expect(try await asked("bytes=-\(Int.max)").bytes == bytes)
            // Another citizen asking for a range of it gets what a whole download gets: nothing.
            let strangerEmail = Inbox.uniqueAddress("stranger")
            try await TestAccounts.make(app, email: strangerEmail)
            let stranger = TestBrowser(app)
            try await stranger.signIn(strangerEmail)
            #expect(try await stranger.get(path, headers: ["Range": "bytes=0-99"]).status == .notFound)
        }
    }

    @Test("The type comes from the bytes: an HTML file named .pdf is refused and leaves nothing")
    func sniffing() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let created = try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"])
            let id = try #require(created.caseID)
            world.citizen.accept = "application/json"
            let refused = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: SampleFiles.html,
                                                         fileName: "scan.pdf")
            #expect(refused.status == .unsupportedMediaType)
            #expect(try await CaseDocument.query(on: app.db).count() == 0)
            #expect(storedFiles(app).isEmpty)
            let png = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: SampleFiles.png,
                                                     fileName: "photo.pdf")
            #expect(png.status == .created)
            #expect(try await CaseDocument.query(on: app.db).first()?.kind == .png)
        }
    }

    @Test("A polyglot (HTML with %PDF- after it) is refused; a PDF must start with %PDF-")
    func polyglot() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try #require(try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"]).caseID)
            let polyglot = SampleFiles.html + Array("\n".utf8) + SampleFiles.pdf()
            let refused = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: polyglot,
                                                         fileName: "scan.pdf")
            #expect(refused.status == .unsupportedMediaType)
            #expect(try await CaseDocument.query(on: app.db).count() == 0)
        }
    }

    @Test("A declared size over the limit gets 413 before any of the body is sent")
    func declaredTooLarge() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try #require(try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"]).caseID)
            let port = try await app.startServer()
            // The head and the first kilobyte only (the server dispatches a request once some body
            // has come): an answer can come only if the server did not wait for the rest.
            let head = "PUT /cases/\(id)/documents?purpose=material&material=0 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
                + "Cookie: \(world.citizen.cookieHeader)\r\nX-CSRF-Token: \(world.citizen.cookies[CSRFMiddleware.cookieName] ?? "")\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: \(app.dependencies.config.uploadLimit + 1)\r\n\r\n"
                + String(decoding: SampleFiles.pdf() + [UInt8](repeating: 0x41, count: 1000), as: UTF8.self)
            #expect(try await rawStatus(port: port, request: head) == 413)
            #expect(try await CaseDocument.query(on: app.db).count() == 0)
        }
    }

    @Test("Each case has a total quota: the file that would pass it is refused with the room left, and nothing is kept")
    func caseQuota() async throws {
        let file = SampleFiles.pdf() + [UInt8](repeating: 0x41, count: 300 * 1024)
        try await withTestApp(adjusting: { $0.caseQuota = 1024 * 1024 }) { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let id = try #require(try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"]).caseID)
            for index in 0..<3 {
                let stored = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: file,
                                                            fileName: "scan\(index).pdf")
                #expect(stored.status == .created)
            }
            let refused = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: file, fileName: "more.pdf")
            #expect(refused.status == .payloadTooLarge)
            #expect(refused.body.contains(app.dependencies.translator.text("upload.case_quota", .en, ["quota": "1", "left": "0"])))
            #expect(try await CaseDocument.query(on: app.db).count() == 3)
            #expect(storedFiles(app).count == 3)
        }
    }

    @Test("An upload over the limit gets 413 and leaves nothing behind")
    func oversized() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let created = try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"])
            let id = try #require(created.caseID)
            let big = SampleFiles.pdf() + [UInt8](repeating: 0x41, count: app.dependencies.config.uploadLimit)
            world.citizen.accept = "application/json"
            let refused = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: big, fileName: "big.pdf")
            #expect(refused.status == .payloadTooLarge)
            #expect(try await CaseDocument.query(on: app.db).count() == 0)
            #expect(storedFiles(app).isEmpty)
        }
    }

    @Test("An upload without the CSRF header changes nothing")
    func csrf() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            let created = try await world.citizen.post("/matters/\(world.matter.code)/apply", ["details": "x"])
            let id = try #require(created.caseID)
            let refused = try await world.citizen.upload("/cases/\(id)/documents?purpose=material&material=0", bytes: SampleFiles.pdf(),
                                                         fileName: "a.pdf", csrf: false)
            #expect(refused.status == .forbidden)
            #expect(try await CaseDocument.query(on: app.db).count() == 0)
        }
    }

    @Test("Rotating the master key re-wraps every data key and every file still opens")
    func rotation() async throws {
        try await withTestApp { (app, clock) async throws in
            let world = try await CaseWorld.make(app, clock)
            _ = try await world.draftWithMaterials()
            let newKey = MasterKey(id: "k2", key: SymmetricKey(size: .bits256))
            var keys = app.dependencies.documents.keys
            keys = DocumentKeys(current: newKey, all: keys.all.merging([newKey.id: newKey.key]) { $1 })
            let rewrapped = try await DocumentKeyRotation.rewrapAll(on: app.db, keys: keys)
            #expect(rewrapped == world.matter.materials.filter { $0.condition == nil }.count)
            let documents = try await CaseDocument.query(on: app.db).all()
            #expect(documents.allSatisfy { $0.wrappedKey.masterKeyID == "k2" })
            // Only the new key is needed from now on.
            let store = DocumentStore(directory: app.dependencies.documents.directory,
                                      keys: DocumentKeys(current: newKey, all: [newKey.id: newKey.key]), maxBytes: 1 << 20)
            for document in documents {
                let bytes = try await store.read(storageName: document.storageName, wrappedKey: document.wrappedKey,
                                                 expectedSHA256: document.sha256)
                #expect(SampleFiles.sha256(Array(bytes)) == document.sha256)
            }
        }
    }
}

import Crypto
