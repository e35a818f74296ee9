import Foundation
import ZeroErrandCore

/// What the register holds about one certificate, as every verification path shows it. Both the
/// Chinese and English names are kept so each page and answer can pick its language.
struct RegisteredCertificate: Sendable, Equatable {
    /// A notary office's certificate, or a court's ruling confirming a mediation agreement: the
    /// pages word them differently (office or court, applicant or parties).
    enum Kind: Sendable, Equatable { case notarialCertificate, courtRuling }

    var kind: Kind = .notarialCertificate
    var number: String
    var holder: String
    var officeZh: String
    var officeEn: String
    var matterZh: String
    var matterEn: String
    /// The civil day of issue in the office's zone: the date printed on the certificate.
    var issuedOn: CivilDay
    /// The office's zone, named wherever a date or time of the office is shown.
    var officeZone: String
    /// The common name of the office certificate that sealed it.
    var sealedBy: String
    var documentSHA256: String
}

/// The one answer every path (file, number and code, QR code, API) gives. Wrong codes, unknown
/// numbers and files that are not ours all answer `unknown`, so nothing can be enumerated.
enum CertificateVerdict: Sendable, Equatable {
    case genuine(RegisteredCertificate)
    case altered
    case revoked(at: Date, reason: String, RegisteredCertificate)
    case unknown

    /// The word the API answers with and the page's CSS class.
    var name: String {
        switch self {
        case .genuine: "genuine"
        case .altered: "altered"
        case .revoked: "revoked"
        case .unknown: "unknown"
        }
    }

    var certificate: RegisteredCertificate? {
        switch self {
        case .genuine(let certificate), .revoked(_, _, let certificate): certificate
        case .altered, .unknown: nil
        }
    }
}

/// Input a verification cannot even be attempted with; answered 400/413/415/422 in the reader's language.
enum VerificationInputError: Error, Equatable {
    /// No file, or an empty one.
    case noFile
    case fileTooLarge
    /// The API's body is not declared as a PDF.
    case notPDF
    /// The API's body is not declared as JSON.
    case notJSON
    case numberAndCodeRequired
    case payloadRequired
    /// The body could not be read as the JSON the operation takes.
    case unreadable
    case throttled(until: Date)

    var status: Int {
        switch self {
        case .noFile, .numberAndCodeRequired, .payloadRequired: 422
        case .fileTooLarge: 413
        case .notPDF, .notJSON: 415
        case .unreadable: 400
        case .throttled: 429
        }
    }

    /// The texts.json key of the message, also the error code in the API.
    var textKey: String {
        switch self {
        case .noFile, .fileTooLarge: "error_file"
        case .notPDF: "error_not_pdf"
        case .numberAndCodeRequired: "error_number"
        case .payloadRequired: "error_payload"
        case .unreadable, .notJSON: "error_unreadable"
        case .throttled: "error_throttled"
        }
    }
}
