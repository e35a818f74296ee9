import Foundation
import ZeroErrandCore

/// Which way a certificate was checked: the explanation differs (a file carries a seal, a QR code
/// a signed payload), the verdict and the fields do not.
enum VerificationPath: String, Sendable {
    case file, number, qr
}

/// A verdict put into words in one of the five languages, for a page or an API answer.
struct VerdictPresentation: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let label: String
        let value: String
        /// Hashes and key ids: shown in a monospace font and allowed to wrap anywhere.
        let code: Bool
    }

    let verdict: String
    let heading: String
    let message: String
    let rows: [Row]
}

struct VerdictPresenter {
    let texts: VerificationTexts
    let language: VerificationTexts.Language

    func present(_ verdict: CertificateVerdict, path: VerificationPath) -> VerdictPresentation {
        let message: String
        switch verdict {
        case .genuine(let certificate):
            message = texts.text(worded("genuine_text", certificate), language, arguments(certificate))
        case .revoked(let at, let reason, let certificate):
            var values = arguments(certificate)
            values["date"] = time(at, zone: certificate.officeZone)
            values["reason"] = reason
            message = texts.text(worded("revoked_text", certificate), language, values)
        case .altered:
            message = texts.text(path == .qr ? "altered_qr_text" : "altered_text", language)
        case .unknown:
            message = texts.text(["file": "unknown_file_text", "number": "unknown_text", "qr": "unknown_qr_text"][path.rawValue]!, language)
        }
        return VerdictPresentation(verdict: verdict.name, heading: texts.text(verdict.name, language), message: message,
                                   rows: rows(verdict))
    }

    private func rows(_ verdict: CertificateVerdict) -> [VerdictPresentation.Row] {
        guard let certificate = verdict.certificate else { return [] }
        func row(_ key: String, _ value: String, code: Bool = false) -> VerdictPresentation.Row {
            .init(label: texts.text(key, language), value: value, code: code)
        }
        var rows = [
            row("number", certificate.number),
            row(worded("holder", certificate), certificate.holder),
            row(worded("office", certificate), office(certificate)),
            row(worded("matter", certificate), language == .zhHans ? certificate.matterZh : certificate.matterEn),
            row("issued", day(certificate.issuedOn, zone: certificate.officeZone)),
            row("sealed_by", certificate.sealedBy),
            row(worded("document_sha256", certificate), certificate.documentSHA256, code: true),
        ]
        if case .revoked(let at, let reason, _) = verdict {
            rows += [row("revoked_on", time(at, zone: certificate.officeZone)), row("revoked_reason", reason)]
        }
        return rows
    }

    /// The text key for this kind of document: a ruling has its own wording where a certificate's would mislead.
    private func worded(_ key: String, _ certificate: RegisteredCertificate) -> String {
        certificate.kind == .courtRuling ? key + "_ruling" : key
    }

    func office(_ certificate: RegisteredCertificate) -> String {
        language == .zhHans ? certificate.officeZh : certificate.officeEn
    }

    private func arguments(_ certificate: RegisteredCertificate) -> [String: String] {
        ["number": certificate.number, "office": office(certificate), "date": day(certificate.issuedOn, zone: certificate.officeZone)]
    }

    /// "5 de diciembre de 2026 (Asia/Shanghai)": the civil day printed on the certificate, in the
    /// office's zone, which is named because a reader abroad may already be on another day.
    func day(_ day: CivilDay, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = language.dateLocale
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return "\(formatter.string(from: day.startOfDay(in: TimeZone(identifier: "UTC")!).addingTimeInterval(12 * 3600))) (\(zone))"
    }

    /// A moment in the office's zone with the zone and its offset named.
    func time(_ date: Date, zone identifier: String) -> String {
        let zone = TimeZone(identifier: identifier) ?? TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.locale = language.dateLocale
        formatter.timeZone = zone
        formatter.dateStyle = .long
        formatter.timeStyle = .short
        let offset = zone.secondsFromGMT(for: date)
        let utc = String(format: "UTC%@%02d:%02d", offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
        return "\(formatter.string(from: date)) (\(zone.identifier), \(utc))"
    }
}
