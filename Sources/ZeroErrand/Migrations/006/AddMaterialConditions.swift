import Fluent

/// The answers that decide a case's conditional materials (`MaterialCondition` raw values that
/// hold). Nullable: cases made before conditions existed have none, and none of their materials
/// were conditional.
struct AddMaterialConditions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Case.schema).field("material_conditions", .array(of: .string)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Case.schema).deleteField("material_conditions").update()
    }
}
