import Fluent
import Vapor
import ZeroErrandCore

/// The petition form as posted (multipart: the evidence comes with it), and its checks. Every
/// problem is a translation key per field; nothing is stored until all of them pass.
struct PetitionForm: Content {
    var matter: String?
    var kind: String?
    /// Whether the matter is, or could be, before a court, an arbitration or an administrative
    /// review: "none", or the route. Such matters are never handled as petitions.
    var otherRoute: String?
    var title: String?
    var facts: String?
    var request: String?
    var concerned: String?
    var mayContact: String?
    var evidence: [File]?
    /// One-time value of this filling-in of the form (see `PetitionController.newNonce`).
    var nonce: String?

    static let titleLimit = 200
    static let factsLimit = 5000
    static let requestLimit = 2000

    /// The catalogue matter each lawful route leads to.
    static let routeMatters: [Petition.Route: String] = [.litigation: "JU-CT-002", .administrativeReview: "JU-JB-003", .arbitration: "GA-HR-004"]

    enum Outcome {
        case accepted(PetitionService.Submission)
        /// Field → translation key; `route` when the matter belongs elsewhere.
        case refused([String: String], route: Petition.Route?)
    }

    var otherRouteChoice: Petition.Route? {
        guard let otherRoute, otherRoute != "none" else { return nil }
        return Petition.Route(rawValue: otherRoute)
    }

    /// `anonymous`: a report without an account, always a complaint and never contacted.
    func check(anonymous: Bool, offices: Set<UUID>) -> Outcome {
        var problems: [String: String] = [:]
        let kind = anonymous ? .complaint : kind.flatMap(PetitionKind.init(rawValue:))
        if kind == nil { problems["kind"] = "petition.error.kind" }
        if otherRoute == nil || (otherRoute != "none" && otherRouteChoice == nil) { problems["otherRoute"] = "petition.error.other_route" }
        let route = otherRouteChoice
        if route != nil { problems["otherRoute"] = "petition.error.belongs_elsewhere" }
        func text(_ field: String, _ value: String?, limit: Int) -> String {
            let trimmed = (value ?? "").formText
            if trimmed.isEmpty { problems[field] = "petition.error.\(field)_missing" }
            else if trimmed.exceeds(limit) { problems[field] = "petition.error.\(field)_too_long" }
            return trimmed
        }
        let title = text("title", title, limit: Self.titleLimit)
        // The title is printed as one line of the opinion: it may not start a line of its own.
        if problems["title"] == nil, let raw = self.title, raw.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            problems["title"] = "petition.error.title_line"
        }
        let facts = text("facts", facts, limit: Self.factsLimit)
        let request = text("request", request, limit: Self.requestLimit)
        var concernedID: UUID?
        if let raw = concerned, !raw.isEmpty {
            concernedID = UUID(uuidString: raw)
            if concernedID.map({ !offices.contains($0) }) ?? true { problems["concerned"] = "petition.error.concerned" }
        }
        let files = (evidence ?? []).filter { $0.data.readableBytes > 0 }
        if files.count > PetitionService.evidenceLimit { problems["evidence"] = "petition.error.evidence_count" }
        guard problems.isEmpty, let kind else { return .refused(problems, route: route) }
        return .accepted(.init(kind: kind, title: title, facts: facts, request: request, mayContact: !anonymous && mayContact == "on",
                               concerned: concernedID, evidence: files))
    }
}
