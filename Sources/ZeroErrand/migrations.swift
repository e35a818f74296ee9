import Fluent
import Vapor

/// Numbered and append-only: a landed migration is never edited, only followed by a new one.
func registerMigrations(_ app: Application) {
    // 001: accounts, directory, catalogue, audit log, outbox
    app.migrations.add(CreateDirectory())
    app.migrations.add(CreateAccounts())
    app.migrations.add(CreateCatalogue())
    app.migrations.add(CreateAuditLog())
    app.migrations.add(CreateOutbox())
    // 002: applications (cases, documents, timeline, messages, ratings, notifications)
    app.migrations.add(CreateCases())
    // 003: live video (availability, sessions, participants, recordings, relay), notice rules, mail calendars
    app.migrations.add(CreateVideo())
    // 004: security fixes (throttles outside the audited transactions, identity checks on record, room presence)
    app.migrations.add(HardenAccounts())
    app.migrations.add(CreateVideoPresence())
    // 005: power of attorney (signatures, mandates, the mandate a case is handled under)
    app.migrations.add(CreateMandates())
    // 006: conditional materials (the answers that decide which materials a case needs)
    app.migrations.add(AddMaterialConditions())
    // 007: pinyin of matter names, for search
    app.migrations.add(AddMatterPinyin())
    // 008: remote notarization (the act, seal keys, certificates, the notarial journal, drawn signatures)
    app.migrations.add(CreateNotarization())
    // 009: court mediation (the dispute, its parties and their service, notes for each audience)
    app.migrations.add(CreateMediation())
    // 010: the mediation agreement (versions, signatures), the judge's ruling, obligations, the session
    app.migrations.add(CreateMediationAgreement())
    // 011: the mediation's papers for each audience; finding the mediations an agent acts in
    app.migrations.add(CreateMediationDocuments())
    // 012: letters and visits (petitions named or anonymous, their history across offices, evidence, opinions)
    app.migrations.add(CreatePetitions())
    // 013: materials taken from the document wallet name the issued document they copy
    app.migrations.add(AddIssuedFrom())
    app.migrations.add(AddPetitionFormNonce())
    // 014: one request across several offices (一件事): the request, and each case's part in it
    app.migrations.add(CreateCaseBundles())
    // 015: overseas service points: where each is, its hours and offers; visitors' permissions for a point;
    // passports checked at a desk and the matters that accept such a check; walk-in queues
    app.migrations.add(AddServicePointDetails())
    app.migrations.add(CreatePointPermissions())
    app.migrations.add(CreatePassportChecks())
    app.migrations.add(CreateWalkInTickets())
    // 016: a video session taken at a service point
    app.migrations.add(AddVideoSessionPoint())
    // 017: how many video rooms a point has
    app.migrations.add(AddServicePointVideoRooms())
    // 018: the queue's order and the deadline reminders answered by indexes
    app.migrations.add(AddCaseDueIndexes())
    // 019: the outbox's waiting and given-up mail by index (the sender's poll, /metrics)
    app.migrations.add(AddOutboxStateIndexes())
}
