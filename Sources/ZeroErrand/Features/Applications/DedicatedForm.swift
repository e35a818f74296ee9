import ZeroErrandCore

/// Matters started on a form of their own rather than the general application form: a mediation
/// names every party; a petition may be anonymous and follows the letters-and-visits rules.
enum DedicatedForm {
    /// Asked for on a petition's own page (review, re-review), not by a new petition.
    static let onThePetitionsPage: Set<String> = ["LV-XF-005", "LV-XF-006"]
    /// Progress: a named petition's page shows it; an anonymous report is looked up by its code.
    static let progressInquiry = "LV-XF-007"
    /// A letters-and-visits matter that is an ordinary appointment, not a petition.
    static let ordinaryApplications: Set<String> = ["LV-XF-015"]

    static func path(for matter: Matter) -> String? {
        if matter.code == MediationCourts.mediationMatter { return SiteURL.mediationNew.path }
        guard matter.area == .petitions, !ordinaryApplications.contains(matter.code) else { return nil }
        if onThePetitionsPage.contains(matter.code) { return SiteURL.petitions.path }
        if matter.code == progressInquiry { return SiteURL.petitionLookup.path }
        return SiteURL.petitionNew.path + "?matter=" + matter.code.queryEncoded
    }

    /// The kind of petition a catalogue matter starts, nil where the petitioner chooses.
    static func petitionKind(matterCode: String) -> PetitionKind? {
        switch matterCode {
        case "LV-XF-001": nil
        case "LV-XF-002": .complaint
        case "LV-XF-003", "LV-XF-014": .suggestion
        default: matterCode.hasPrefix("LV-") ? .request : nil
        }
    }
}
