import Fluent
import Foundation
import Vapor
import ZeroErrandCore
import ZeroErrandImage

/// An ID photo taken or brought to a service point's desk: checked against the rules a machine can
/// check (`PhotoRules`) on the pixels libjpeg-turbo or libpng decode, and, when it passes, put
/// straight onto the visitor's case as its ID-photo material.
enum DeskPhoto {
    /// The material an ID-card matter asks the photo as.
    static let materialNameZh = "证件照片"

    static func materialIndex(of matter: Matter) -> Int? {
        matter.materials.firstIndex { $0.nameZh == materialNameZh }
    }

    /// The problems found, in the reader's language; empty when the photo passes.
    static func problems(_ bytes: [UInt8], _ req: Request) -> [String] {
        let image: DecodedImage
        do { image = try DecodedImage.decode(bytes) } catch {
            switch error {
            case .notAnImage: return [req.t("photo.problem.not_an_image")]
            case .unreadable: return [req.t("photo.problem.unreadable")]
            case .tooLarge(let width, let height):
                return [req.t("photo.problem.too_large", ["found": "\(width) × \(height)", "width": String(PhotoRules.width),
                                                          "height": String(PhotoRules.height)])]
            }
        }
        let facts = PhotoRules.Facts(format: image.format.rawValue, fileSize: bytes.count, width: image.width, height: image.height,
                                     storedInColour: image.storedInColour, rgb: image.rgb)
        return PhotoRules.problems(facts).map { req.t($0.key, $0.arguments) }
    }

    /// Checks the photo for `caseID` under the assistant's permission and attaches it when it passes.
    /// Returns the problems (nothing is stored then).
    static func take(_ req: Request, permission: PointPermission, caseID: UUID, bytes: [UInt8]) async throws -> [String] {
        guard permission.facts.isInForce(at: req.now) else { throw AppError(status: .forbidden, key: "point.refused.ended") }
        guard let record = try await Case.query(on: req.db).filter(\.$id == caseID).with(\.$matter).first(),
              record.$applicant.id == permission.$visitor.id else { throw AppError.notFound }
        try await req.pointDesk.requireAccess(to: record, for: .upload)
        guard let index = materialIndex(of: record.matter), CaseWorkflow.applicantMayUpload(.material, material: index, to: record) else {
            throw AppError(status: .conflict, key: "upload.not_now")
        }
        let problems = Self.problems(bytes, req)
        guard problems.isEmpty else { return problems }
        let stored = try await req.dependencies.documents.store(bytes: bytes)
        let uploaderID = try req.requireAccount().requireID()
        let point = try await req.pointDesk.point()
        let now = req.now
        do {
            try await req.audited { db, audit in
                guard let current = try await Case.query(on: db).filter(\.$id == caseID).with(\.$matter).first(),
                      CaseWorkflow.applicantMayUpload(.material, material: index, to: current) else {
                    throw AppError(status: .conflict, key: "upload.not_now")
                }
                let quota = Int64(req.dependencies.config.caseQuota)
                guard try await DocumentUpload.usedBytes(caseID, on: db) + stored.size <= quota else {
                    throw DocumentUpload.quotaLeft(used: quota, config: req.dependencies.config).full
                }
                let document = CaseDocument()
                document.$caseRecord.id = caseID
                document.$uploadedBy.id = uploaderID
                document.purpose = .material
                document.materialIndex = index
                document.describe(stored, name: "id-photo.jpg")
                document.createdAt = now
                try await DocumentUpload.attach(document, to: current, on: db)
                try await audit.record("document.uploaded", "document", document.id!.uuidString.lowercased(),
                                       ["case": caseID.uuidString.lowercased(), "sha256": stored.sha256, "kind": stored.kind.rawValue,
                                        "photo_rules": "passed", "point": point.code])
            }
        } catch {
            req.dependencies.documents.remove(storageName: stored.storageName)
            throw error
        }
        return []
    }
}
