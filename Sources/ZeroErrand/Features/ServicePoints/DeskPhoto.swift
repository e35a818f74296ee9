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

    /// The most pixels worth decoding: the largest photo the rules accept. Anything bigger is
    /// refused from its header, before its pixels take memory and time.
    static let maxPixels = PhotoRules.width * PhotoRules.largestScale * PhotoRules.height * PhotoRules.largestScale

    /// The problems found, in the reader's language; empty when the photo passes. The decoding and
    /// the pixel rules run on the thread pool, not on the threads that answer requests.
    static func problems(_ bytes: [UInt8], _ req: Request) async throws -> [String] {
        let outcome = try await req.application.threadPool.runIfActive { () -> Result<[PhotoRules.Problem], DecodedImage.DecodeError> in
            Result { () throws(DecodedImage.DecodeError) in
                let image = try DecodedImage.decode(bytes, maxPixels: maxPixels)
                return PhotoRules.problems(PhotoRules.Facts(format: image.format.rawValue, fileSize: bytes.count, width: image.width,
                                                            height: image.height, storedInColour: image.storedInColour, rgb: image.rgb))
            }
        }
        switch outcome {
        case .success(let problems): return problems.map { req.t($0.key, $0.arguments) }
        case .failure(let error): return [message(error, req)]
        }
    }

    private static func message(_ error: DecodedImage.DecodeError, _ req: Request) -> String {
        switch error {
        case .notAnImage: req.t("photo.problem.not_an_image")
        case .unreadable: req.t("photo.problem.unreadable")
        case .tooLarge(let width, let height):
            req.t("photo.problem.too_large", ["found": "\(width) × \(height)", "width": String(PhotoRules.width),
                                              "height": String(PhotoRules.height)])
        }
    }

    /// An uploaded ID photo's bytes, refused with every problem the rules find.
    static func read(_ req: Request) async throws -> [UInt8] {
        let body = try await req.body.collect(max: PhotoRules.largestFile + 1).get()
        let bytes = body.map { Array(buffer: $0) } ?? []
        try await requirePasses(bytes, req)
        return bytes
    }

    static func requirePasses(_ bytes: [UInt8], _ req: Request) async throws {
        let problems = try await problems(bytes, req)
        guard problems.isEmpty else {
            throw AppError(status: .unprocessableEntity, key: "photo.refused_with", arguments: ["problems": problems.joined(separator: " ")])
        }
    }

    /// Checks the photo for `caseID` under the assistant's permission and attaches it when it passes.
    /// Returns the problems (nothing is stored then).
    static func take(_ req: Request, permission: PointPermission, caseID: UUID, bytes: [UInt8]) async throws -> [String] {
        guard permission.facts.isInForce(at: req.now) else { throw AppError(status: .forbidden, key: "point.refused.ended") }
        guard let record = try await Case.query(on: req.db).filter(\.$id == caseID).withCatalogueMatter(req.catalogue).first(),
              record.$applicant.id == permission.$visitor.id else { throw AppError.notFound }
        try await req.pointDesk.requireAccess(to: record, for: .upload)
        guard let index = materialIndex(of: record.matter), CaseWorkflow.applicantMayUpload(.material, material: index, to: record) else {
            throw AppError(status: .conflict, key: "upload.not_now")
        }
        let problems = try await Self.problems(bytes, req)
        guard problems.isEmpty else { return problems }
        _ = try await DocumentUpload.receive(req, into: record, purpose: .material, materialIndex: index, checked: (bytes, "id-photo.jpg")) {
            CaseWorkflow.applicantMayUpload(.material, material: index, to: $0)
        }
        return []
    }
}
