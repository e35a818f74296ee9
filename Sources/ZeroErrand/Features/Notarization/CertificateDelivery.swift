import Fluent
import Foundation
import Vapor
import ZeroErrandCore

/// The paper copy of a certificate, posted to an address abroad: asked for by the applicant, then
/// sent (carrier and tracking number) and delivered, each a line on the case's timeline.
extension NotarizationService {
    static let maxAddressLength = 500

    func requestDelivery(_ record: Case, address rawAddress: String?) async throws {
        let applicant = try request.requireAccount().requireID()
        let address = NotarizationService.documentText(rawAddress)
        guard address.count >= 10 else { throw AppError(status: .unprocessableEntity, key: "notarization.delivery.address_required") }
        guard address.count <= Self.maxAddressLength else {
            throw AppError(status: .unprocessableEntity, key: "field.too_long", arguments: ["count": String(Self.maxAddressLength)])
        }
        let sealed = try request.dependencies.secrets.sealText(address)
        try await changeDelivery(record, actor: applicant, event: "certificate_delivery_requested", note: "") { certificate, now in
            guard certificate.delivery == nil, certificate.revokedAt == nil else { throw AppError(status: .conflict, key: "notarization.delivery.not_now") }
            certificate.delivery = .requested
            certificate.deliveryAddress = sealed
            certificate.deliveryRequestedAt = now
        }
    }

    func markSent(_ record: Case, carrier rawCarrier: String?, tracking rawTracking: String?) async throws {
        let official = try request.requireAccount().requireID()
        let carrier = CaseLifecycle.normalizedText(rawCarrier ?? ""), tracking = CaseLifecycle.normalizedText(rawTracking ?? "")
        guard !carrier.isEmpty, !tracking.isEmpty, carrier.count <= 100, tracking.count <= 100 else {
            throw AppError(status: .unprocessableEntity, key: "notarization.delivery.tracking_required")
        }
        try await changeDelivery(record, actor: official, event: "certificate_delivery_sent", note: "\(carrier) \(tracking)", notify: true) { certificate, now in
            guard certificate.delivery == .requested else { throw AppError(status: .conflict, key: "notarization.delivery.not_now") }
            certificate.delivery = .sent
            certificate.deliveryCarrier = carrier
            certificate.deliveryTracking = tracking
            certificate.deliverySentAt = now
        }
    }

    func markDelivered(_ record: Case) async throws {
        let official = try request.requireAccount().requireID()
        try await changeDelivery(record, actor: official, event: "certificate_delivery_delivered", note: "", notify: true) { certificate, now in
            guard certificate.delivery == .sent else { throw AppError(status: .conflict, key: "notarization.delivery.not_now") }
            certificate.delivery = .delivered
            certificate.deliveredAt = now
        }
    }

    private func changeDelivery(_ record: Case, actor: UUID, event: String, note: String, notify: Bool = false,
                                _ change: @escaping @Sendable (NotarialCertificate, Date) throws -> Void) async throws {
        let caseID = try record.requireID()
        let now = request.now
        let outbox = request.application.outbox
        let config = request.dependencies.config
        try await request.audited { db, audit in
            guard let certificate = try await NotarialCertificate.query(on: db).filter(\.$caseRecord.$id == caseID).first() else {
                throw AppError(status: .conflict, key: "notarization.delivery.not_now")
            }
            try change(certificate, now)
            try await certificate.update(on: db)
            try await CaseEvent(caseID: caseID, at: now, actorID: actor, kind: .action, name: event, statusAfter: nil, note: note).create(on: db)
            try await audit.record("notarization.\(event)", "case", caseID.uuidString.lowercased(), ["case": record.number])
            if notify, let fresh = try await Case.query(on: db).filter(\.$id == caseID).with(\.$applicant).first() {
                try await CaseNotifier.notifyApplicant(of: fresh, key: "notification.case.\(event)", extra: note, on: db,
                                                       outbox: outbox, config: config, now: now)
            }
        }
    }
}
