import Fluent
import SQLKit

/// The pinyin of each matter's Chinese name, so search finds 居民身份证 by "shenfenzheng". Filled,
/// with the search text, from `Resources/Catalogue/matters-pinyin.yaml` at the next start.
struct AddMatterPinyin: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Matter.schema).field("name_pinyin", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Matter.schema).deleteField("name_pinyin").update()
    }
}
