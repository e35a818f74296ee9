import Fluent
import SQLKit
import Foundation
import Vapor
import ZeroErrandCore

/// Receiving and sending a case's files, the same way for the citizen and for the office.
enum DocumentUpload {
    /// Streams the body into the encrypted store, then records the document, a timeline line and an
    /// audit event in one transaction. The answer comes only after all of it is durable.
    /// `stillAllowed` is asked again, on the case as it is when the file has arrived, inside the
    /// transaction that records it: an upload that outlived its moment is refused and removed.
    /// `checked`: a file already read and checked (an ID photo against the photo rules), stored as is.
    static func receive(_ req: Request, into record: Case, purpose: CaseDocument.Purpose, materialIndex: Int?,
                        checked: (bytes: [UInt8], name: String)? = nil,
                        stillAllowed: @escaping @Sendable (Case) -> Bool) async throws -> CaseDocument {
        let name = checked?.name ?? fileName(req)
        let config = req.dependencies.config
        let caseID = try record.requireID()
        let quota = try await quotaLeft(used: usedBytes(caseID, on: req.db), config: config)
        let stored: DocumentStore.Stored
        if let checked {
            guard checked.bytes.count <= quota.left else { throw quota.full }
            do { stored = try await req.dependencies.documents.store(bytes: checked.bytes) } catch {
                throw refusal(error, tooLarge: tooLarge(config))
            }
        } else {
            stored = try await storeBody(req, quotaLeft: quota.left, quotaFull: quota.full)
        }
        let uploaderID = try req.requireAccount().requireID()
        let now = req.now
        do {
            return try await req.audited { db, audit in
                guard let current = try await Case.query(on: db).filter(\.$id == caseID).withCatalogueMatter(req.catalogue).first(), stillAllowed(current) else {
                    throw AppError(status: .conflict, key: "upload.not_now")
                }
                // Uploads running side by side each saw the quota before the others landed.
                guard try await usedBytes(caseID, on: db) + stored.size <= Int64(config.caseQuota) else { throw quota.full }
                let document = CaseDocument()
                document.$caseRecord.id = caseID
                document.$uploadedBy.id = uploaderID
                document.purpose = purpose
                document.materialIndex = materialIndex
                document.describe(stored, name: name)
                document.createdAt = now
                try await attach(document, to: current, on: db)
                try await audit.record("document.uploaded", "document", document.id!.uuidString.lowercased(),
                                       ["case": caseID.uuidString.lowercased(), "sha256": stored.sha256, "kind": stored.kind.rawValue])
                return document
            }
        } catch {
            // Not acknowledged, so not kept: the blob without its record would be unreachable anyway.
            req.dependencies.documents.remove(storageName: stored.storageName)
            throw error
        }
    }

    /// Records a file already in the store on `current` (read in the caller's transaction): the
    /// document, a material accepted as "supply later" now supplied, and its timeline line. The
    /// audit event is the caller's (an upload, a copy from the wallet).
    static func attach(_ document: CaseDocument, to current: Case, on db: any Database) async throws {
        try await document.create(on: db)
        if let index = document.materialIndex, current.provisionalMissing.contains(index) {
            current.snapshot = current.snapshot.supplying(material: index)
            try await current.update(on: db)
        }
        try await CaseEvent(caseID: document.$caseRecord.id, at: document.createdAt, actorID: document.$uploadedBy.id, kind: .document,
                            name: "document_\(document.purpose.rawValue)", statusAfter: nil, note: "", documentID: document.id).create(on: db)
    }

    /// What is left of a quota of `config.caseQuota` bytes (a case's, a mediation's), and the error
    /// that says so in the user's language.
    static func quotaLeft(used: Int64, config: AppConfig) -> (left: Int, full: AppError) {
        let left = config.caseQuota - Int(used)
        return (left, AppError(status: .payloadTooLarge, key: "upload.case_quota",
                               arguments: ["quota": String(config.caseQuota / 1024 / 1024), "left": String(max(0, left) / 1024 / 1024)]))
    }

    /// Streams the request body into the encrypted store, refusing a file over the upload limit or
    /// over what is left of the quota (a declared size before a byte of the body is read), an empty
    /// body, and a type that is not PDF, JPEG or PNG. The blob is not yet recorded anywhere: the
    /// caller records it in a transaction, or removes it.
    static func storeBody(_ req: Request, quotaLeft: Int, quotaFull: AppError) async throws -> DocumentStore.Stored {
        let config = req.dependencies.config
        let tooLarge = Self.tooLarge(config)
        let declared = req.headers.first(name: .contentLength).flatMap(Int.init)
        if let declared, declared > config.uploadLimit { throw tooLarge }
        if let declared, declared > quotaLeft { throw quotaFull }
        guard quotaLeft > 0 else { throw quotaFull }
        do {
            return try await req.dependencies.documents.store(req.body, limit: quotaLeft)
        } catch {
            throw refusal(error, tooLarge: quotaLeft < config.uploadLimit ? quotaFull : tooLarge)
        }
    }

    /// A file over the per-file limit, in the user's words.
    static func tooLarge(_ config: AppConfig) -> AppError {
        AppError(status: .payloadTooLarge, key: "upload.too_large", arguments: ["limit": String(config.uploadLimit / 1024 / 1024)])
    }

    /// What the store's refusal of a file means to the user; other errors pass unchanged.
    static func refusal(_ error: any Error, tooLarge: AppError) -> any Error {
        switch error {
        case is UploadTooLarge: tooLarge
        case DocumentStore.StoreError.unsupportedType: AppError(status: .unsupportedMediaType, key: "upload.unsupported_type")
        case DocumentStore.StoreError.empty: AppError(status: .badRequest, key: "upload.empty")
        default: error
        }
    }

    /// Bytes of files already stored on the case, counted against its quota.
    static func usedBytes(_ caseID: UUID, on db: any Database) async throws -> Int64 {
        try await usedBytes(in: CaseDocument.schema, ownedBy: "case_id", caseID, on: db)
    }

    /// Bytes of the files in `table` whose `owner` column is `id` (a case's, a mediation's).
    static func usedBytes(in table: String, ownedBy owner: String, _ id: UUID, on db: any Database) async throws -> Int64 {
        // PostgreSQL sums bigints into a numeric; the cast makes both databases answer an integer.
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError, reason: "quota needs an SQL database") }
        let row = try await sql.raw("""
            SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS used FROM \(ident: table) WHERE \(ident: owner) = \(bind: id)
            """).first()
        return try row?.decode(column: "used", as: Int64.self) ?? 0
    }

    /// The user's file name, kept only as data: no path, no control characters, bounded length.
    static func fileName(_ req: Request) -> String {
        cleanName(req.headers.first(name: "X-File-Name").flatMap { $0.removingPercentEncoding } ?? "")
    }

    /// A name as the uploader's device gave it, reduced to its last part and to printable characters.
    static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.prefix(200))
            .trimmingCharacters(in: .whitespaces)
        return clean.isEmpty ? "document" : clean
    }

    /// Sends a stored file as an attachment, decrypted piece by piece as it goes out (never whole
    /// in memory); a file whose bytes do not match the recorded hash ends in an error, never complete.
    /// A request for one byte range gets that range (`DocumentStore.response`).
    /// `inline`: shown in the official's case page (an image, or a PDF in the browser's viewer in a
    /// frame) rather than downloaded. The framed document is sandboxed by its own response header:
    /// Chromium refuses to show a PDF in an `<iframe sandbox>`, but shows one served with
    /// `Content-Security-Policy: sandbox`, which gives it an opaque origin and no scripts of ours.
    static func send(_ document: some StoredFile, for req: Request, inline: Bool = false) async throws -> Response {
        let response = try await req.dependencies.documents.response(for: req, storageName: document.storageName, wrappedKey: document.wrappedKey,
                                                                     expectedSHA256: document.sha256, size: document.size)
        response.headers.contentType = HTTPMediaType(type: String(document.kind.mimeType.split(separator: "/")[0]),
                                                     subType: String(document.kind.mimeType.split(separator: "/")[1]))
        // The extension is the one the bytes were found to be, whatever the uploader's name said.
        let stem = document.originalName.split(separator: ".").dropLast().joined(separator: ".")
        let name = (stem.isEmpty ? document.originalName : stem) + "." + document.kind.fileExtension
        let ascii = name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? String($0) : "_" }.joined()
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "document"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        if inline {
            response.headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'; frame-ancestors 'self'")
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "SAMEORIGIN")
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// The document named by `:document` on this case, or 404.
    static func find(_ req: Request, on record: Case) async throws -> CaseDocument {
        guard let id = req.parameters.get("document", as: UUID.self),
              let document = try await CaseDocument.query(on: req.db).filter(\.$id == id)
                .filter(\.$caseRecord.$id == record.requireID()).first() else { throw AppError.notFound }
        return document
    }
}
