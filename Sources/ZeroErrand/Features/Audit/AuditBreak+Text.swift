import ZeroErrandCore

extension AuditChain.Break {
    /// How the audit page names the break in the viewer's language.
    var translationKey: String {
        switch self {
        case .alteredEvent: "audit.break.altered"
        case .brokenLink: "audit.break.broken_link"
        case .truncated: "audit.break.truncated"
        }
    }
}
