import Fluent
import Foundation
import LeafKit
import Testing
@testable import ZeroErrand
import ZeroErrandCore

@Suite("Matter catalogue: pages, search and API")
struct CatalogueTests {
    struct MatterList: Decodable { let count: Int; let matters: [MatterItem] }
    struct MatterItem: Decodable {
        struct Text: Decodable { let en: String; let zh: String
            enum CodingKeys: String, CodingKey { case en; case zh = "zh-Hans" } }
        let code: String; let area: String; let name: Text; let channels: [String]; let timeLimitWorkingDays: Int
        let materials: [Material]
        struct Material: Decodable { let canSupplyLater: Bool }
    }

    func api(_ browser: TestBrowser, _ path: String) async throws -> (TestBrowser.Page, MatterList?) {
        browser.accept = "application/json"
        let page = try await browser.get(path)
        return (page, try? JSONDecoder().decode(MatterList.self, from: Data(page.body.utf8)))
    }

    @Test("At least 118 matters across the three areas are loaded at start-up")
    func loaded() async throws {
        try await withTestApp { (app, _) async throws in
            #expect(try await Matter.query(on: app.db).count() >= 118)
            for area in MatterArea.allCases {
                #expect(try await Matter.query(on: app.db).filter(\.$area == area).count() >= 10)
            }
            #expect(try await ServicePoint.query(on: app.db).count() >= 16)
        }
    }

    @Test("Searching 身份证 or ID card finds the ID-card matters, in the API and on the page")
    func search() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            let (_, chinese) = try await api(browser, "/api/v1/matters?q=%E8%BA%AB%E4%BB%BD%E8%AF%81")
            let (_, english) = try await api(browser, "/api/v1/matters?q=ID%20card")
            let zh = try #require(chinese), en = try #require(english)
            // Every matter named after the ID card is found in either language.
            let idCardMatters = Set(try await Matter.query(on: app.db).all().filter { $0.nameZh.contains("身份证") }.map(\.code))
            #expect(idCardMatters.count >= 3)
            #expect(idCardMatters.isSubset(of: Set(zh.matters.map(\.code))))
            #expect(idCardMatters.isSubset(of: Set(en.matters.map(\.code))))
            #expect(!en.matters.contains { $0.code.hasPrefix("LV-") })

            browser.accept = "text/html"
            browser.acceptLanguage = "zh-CN"
            let page = try await browser.get("/matters?q=%E8%BA%AB%E4%BB%BD%E8%AF%81")
            #expect(page.status == .ok)
            #expect(page.body.contains("<html lang=\"zh-Hans\""))
            for matter in zh.matters { #expect(page.body.contains(matter.name.zh.htmlEscaped())) }
        }
    }

    @Test("British and American spellings, ID card variants and pinyin find the same matters")
    func searchVariants() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            func codes(_ query: String) async throws -> [String] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return try #require(try await api(browser, "/api/v1/matters?q=\(encoded)").1).matters.map(\.code)
            }
            let licence = try await codes("driving licence"), license = try await codes("driving license")
            #expect(licence.count >= 4 && Set(licence) == Set(license))
            #expect(try await codes("driver's license").contains("GA-VMO-002"))
            let notarisation = try await codes("notarisation"), notarization = try await codes("notarization")
            #expect(notarisation.count >= 15 && Set(notarisation) == Set(notarization))
            #expect(Set(try await codes("identity card")) == Set(try await codes("ID card")))
            let idCards = try await codes("居民身份证")
            for pinyin in ["shenfenzheng", "shen fen zheng", "juminshenfenzheng", "Shēnfènzhèng"] {
                #expect(Set(try await codes(pinyin)).isSuperset(of: idCards), "\(pinyin)")
            }
            #expect(idCards.count >= 5)
        }
    }

    @Test("Exact name first, then names starting with the query, then names containing it, on the page in both languages")
    func ranking() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            let (_, kinship) = try await api(browser, "/api/v1/matters?q=Proof%20of%20kinship")
            #expect(try #require(kinship).matters.first?.code == "GA-PSB-007")
            // 出生公证 is exactly a name; longer names containing it come after.
            let (_, birth) = try await api(browser, "/api/v1/matters?q=%E5%87%BA%E7%94%9F%E5%85%AC%E8%AF%81")
            #expect(try #require(birth).matters.first?.code == "JU-NO-006")
            // "Notarization of ..." names start with the word; others only contain it.
            let (_, notarization) = try await api(browser, "/api/v1/matters?q=notarisation")
            let names = try #require(notarization).matters.map(\.name.en)
            let firstOther = try #require(names.firstIndex { !$0.hasPrefix("Notarization") })
            #expect(firstOther > 10 && names[firstOther...].allSatisfy { !$0.hasPrefix("Notarization") })

            browser.accept = "text/html"
            let english = try await browser.get("/matters?q=qinshuguanxizhengming")
            let first = try #require(english.body.firstMatch(of: /href="\/matters\/([A-Z]{2}-[A-Z]+-\d{3})"/)).output.1
            #expect(first == "GA-PSB-007")
            let chinese = TestBrowser(app, language: "zh-CN")
            let page = try await chinese.get("/matters?q=qin%20shu%20guan%20xi")
            #expect(page.body.firstMatch(of: /href="\/matters\/([A-Z]{2}-[A-Z]+-\d{3})"/)?.output.1 == "GA-PSB-007")
        }
    }

    @Test("Counts read right in each language: 1 working day, 3 working days, 1 service found")
    func plurals() async throws {
        try await withTestApp { (app, _) async throws in
            let english = TestBrowser(app, language: "en")
            let one = try await english.get("/matters/GA-PSB-006")
            #expect(one.body.contains("1 working day<") || one.body.contains("1 working day "))
            #expect(!one.body.contains("1 working days"))
            #expect(try await english.get("/matters/GA-PSB-007").body.contains("3 working days"))
            let list = try await english.get("/matters?q=GA-PSB-007")
            #expect(list.body.contains("1 service found") && !list.body.contains("1 services"))
            #expect(try await english.get("/matters?q=GA-PSB").body.contains("services found"))
            let chinese = TestBrowser(app, language: "zh-CN")
            #expect(try await chinese.get("/matters/GA-PSB-006").body.contains("1 个工作日"))
            #expect(try await chinese.get("/matters?q=GA-PSB-007").body.contains("共找到 1 项事项"))
        }
    }

    @Test("Browse by area and by department")
    func browse() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app)
            let (_, justice) = try await api(browser, "/api/v1/matters?area=justice")
            #expect(try #require(justice).matters.allSatisfy { $0.area == "justice" })
            let (_, police) = try await api(browser, "/api/v1/matters?department=wz-psb")
            let expected = try await Matter.query(on: app.db).join(Department.self, on: \Matter.$department.$id == \Department.$id)
                .filter(Department.self, \.$code == "wz-psb").count()
            #expect(try #require(police).count == expected)
            #expect(expected > 0)
        }
    }

    @Test("Unknown filters and codes get a translated error, as JSON for the API")
    func errors() async throws {
        try await withTestApp { (app, _) async throws in
            let browser = TestBrowser(app, language: "zh-CN")
            let (badArea, _) = try await api(browser, "/api/v1/matters?area=space")
            #expect(badArea.status == .badRequest)
            #expect(badArea.body.contains(app.dependencies.translator.text("catalogue.unknown_area", .zhHans)))
            let (missing, _) = try await api(browser, "/api/v1/matters/NOPE-000")
            #expect(missing.status == .notFound)
            #expect(missing.body.hasPrefix("{\"error\""))
            browser.accept = "text/html"
            let page = try await browser.get("/matters/NOPE-000")
            #expect(page.status == .notFound)
            #expect(page.body.contains(app.dependencies.translator.text("error.not_found", .zhHans)))
        }
    }

    @Test("A matter's page shows its materials, time limit and fee in the chosen language")
    func matterPage() async throws {
        try await withTestApp { (app, _) async throws in
            let matter = try #require(try await Matter.query(on: app.db).sort(\.$code).first())
            let browser = TestBrowser(app, language: "en")
            let page = try await browser.get("/matters/\(matter.code)")
            #expect(page.status == .ok)
            #expect(page.body.contains(matter.nameEn.htmlEscaped()))
            for material in matter.materials { #expect(page.body.contains(material.nameEn.htmlEscaped())) }
            #expect(page.body.contains(app.dependencies.translator.text("matter.time_limit", .en, ["count": String(matter.timeLimitDays)])))
            browser.accept = "application/json"
            let api = try await browser.get("/api/v1/matters/\(matter.code)")
            let item = try JSONDecoder().decode(MatterItem.self, from: Data(api.body.utf8))
            #expect(item.name.zh == matter.nameZh && item.timeLimitWorkingDays == matter.timeLimitDays)
        }
    }
}

@Suite("Catalogue file")
struct CatalogueFileTests {
    func copyOfCatalogue() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString)").path + "/"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for name in ["departments.yaml", "service_points.yaml", "matters.yaml", "matters-pinyin.yaml", "bundles.yaml"] {
            try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot + "Resources/Catalogue/" + name, toPath: directory + name)
        }
        return directory
    }

    func breakLine(_ path: String, containing marker: String, with replacement: (String) -> String) throws -> Int {
        var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { !$0.hasPrefix("#") && $0.contains(marker) })
        lines[index] = replacement(lines[index])
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return index + 1
    }

    @Test("The shipped files load")
    func shipped() throws {
        let files = try CatalogueFiles.load(from: TestEnvironment.packageRoot + "Resources/Catalogue/")
        #expect(files.matters.count >= 118)
        #expect(Set(files.matters.map(\.area)) == Set(MatterArea.allCases))
    }

    @Test("Every bundle names matters of the catalogue, and every material it takes from an earlier part is that matter's")
    func bundlesMatchTheCatalogue() throws {
        let files = try CatalogueFiles.load(from: TestEnvironment.packageRoot + "Resources/Catalogue/")
        let bundles = try BundleCatalogue.load(TestEnvironment.packageRoot + "Resources/Catalogue/bundles.yaml")
        #expect(Set(bundles.definitions.map(\.code)) == ["property-sale", "newborn-registration"])
        for bundle in bundles.definitions {
            let matters = bundle.parts.map { part in files.matters.first { $0.code == part.matterCode } }
            #expect(matters.allSatisfy { $0 != nil }, "\(bundle.code) names a matter the catalogue lacks")
            // Several offices, or it is not one request across offices.
            #expect(Set(matters.compactMap { $0?.department }).count >= 2, "\(bundle.code)")
            for (part, matter) in zip(bundle.parts, matters) {
                for name in part.fromParts.keys {
                    #expect(matter?.materials.contains { $0.nameZh == name } == true, "\(bundle.code): \(part.matterCode) has no material \(name)")
                }
            }
        }
    }

    @Test("A bundle taking a material from a later part stops start-up with the place named")
    func malformedBundle() throws {
        let directory = try copyOfCatalogue()
        let line = try breakLine(directory + "bundles.yaml", containing: "完税凭证: 2") { $0.replacingOccurrences(of: ": 2", with: ": 3") }
        #expect { try BundleCatalogue.load(directory + "bundles.yaml") } throws: { error in
            let error = error as? DataFileError
            return error?.field == "from_parts" && error?.line ?? 0 > 0 && error?.line ?? 0 <= line
        }
    }

    @Test("Every matter has the pinyin of its current Chinese name (else run scripts/matter-pinyin)")
    func pinyinInStep() throws {
        let files = try CatalogueFiles.load(from: TestEnvironment.packageRoot + "Resources/Catalogue/")
        for matter in files.matters {
            // The loader drops pinyin made from another name, so stale pinyin shows up here as missing.
            #expect(!matter.namePinyin.isEmpty, "\(matter.code) \(matter.nameZh) has no pinyin: run scripts/matter-pinyin")
            let characters = matter.nameZh.unicodeScalars.filter { (0x3400...0x9FFF).contains($0.value) }.count
            let syllables = matter.namePinyin.split(separator: " ").filter { $0.allSatisfy(\.isLetter) }.count
            #expect(syllables == characters, "\(matter.code): \(syllables) syllables for \(characters) characters")
        }
    }

    @Test("A malformed value is named by file, line and field")
    func malformedValue() throws {
        let directory = try copyOfCatalogue()
        let line = try breakLine(directory + "matters.yaml", containing: "time_limit_days:") { $0.components(separatedBy: ":")[0] + ": soon" }
        #expect {
            try CatalogueFiles.load(from: directory)
        } throws: { error in
            let error = error as? DataFileError
            return error?.file.hasSuffix("matters.yaml") == true && error?.line == line && error?.field == "time_limit_days"
        }
    }

    @Test("A missing field, an unknown channel and an unknown department are caught")
    func otherMistakes() throws {
        let channel = try copyOfCatalogue()
        _ = try breakLine(channel + "matters.yaml", containing: "channels:") { $0.replacingOccurrences(of: "[", with: "[teleport, ") }
        #expect { try CatalogueFiles.load(from: channel) } throws: { ($0 as? DataFileError)?.field == "channels" }

        let department = try copyOfCatalogue()
        _ = try breakLine(department + "matters.yaml", containing: "department:") { $0.components(separatedBy: ":")[0] + ": nowhere" }
        #expect { try CatalogueFiles.load(from: department) } throws: { ($0 as? DataFileError)?.field == "department" }

        let missing = try copyOfCatalogue()
        _ = try breakLine(missing + "matters.yaml", containing: "name_en:") { _ in "" }
        #expect { try CatalogueFiles.load(from: missing) } throws: { ($0 as? DataFileError)?.field == "name_en" }

        let syntax = try copyOfCatalogue()
        _ = try breakLine(syntax + "service_points.yaml", containing: "address:") { $0 + " [unclosed" }
        #expect { try CatalogueFiles.load(from: syntax) } throws: { ($0 as? DataFileError)?.file.hasSuffix("service_points.yaml") == true }
    }
}
