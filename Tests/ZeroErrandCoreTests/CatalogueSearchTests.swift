import Testing
@testable import ZeroErrandCore

@Suite("Catalogue search: spellings, pinyin and ranking")
struct CatalogueSearchTests {
    /// True when every word of the query is in the matter's stored search text, as the database checks it.
    func finds(_ query: String, _ texts: [String], pinyin: String = "") -> Bool {
        let stored = CatalogueSearch.searchText(texts, pinyin: pinyin)
        let terms = CatalogueSearch.terms(query)
        return !terms.isEmpty && terms.allSatisfy(stored.contains)
    }

    @Test("British and American spellings find each other, both ways")
    func spellings() {
        let pairs = [("licence", "Renewal of a driving license"), ("license", "Replacement of a lost driving licence"),
                     ("notarisation", "Notarization of kinship"), ("notarization", "Notarisation of kinship"),
                     ("centre", "Service center"), ("center", "Service centre"),
                     ("enrolment", "Enrollment in medical insurance"), ("unauthorized", "Petition on unauthorised construction"),
                     ("organisation", "Registration of an organization"), ("labour dispute", "Labor dispute mediation")]
        for (query, text) in pairs {
            #expect(finds(query, [text]), "\(query) should find \(text)")
        }
    }

    @Test("ID card, identity card, ID-card and driver's license are one thing each")
    func variants() {
        #expect(finds("identity card", ["Renewal of an expired resident ID card"]))
        #expect(finds("ID-card", ["Replacement of a lost resident identity card"]))
        #expect(finds("identification card", ["Renewal of an expired resident ID card"]))
        #expect(finds("driver's license", ["Renewal of a driving licence on expiry"]))
        #expect(finds("drivers licence", ["Renewal of a driving licence on expiry"]))
        #expect(finds("hukou", ["Certificate of household registration"]))
        #expect(finds("E-mail", ["Contact by email"]))
        // Only whole words: a phrase inside a longer word is left alone.
        #expect(CatalogueSearch.normalized("Shukou") == "shukou")
    }

    @Test("Pinyin of the Chinese name, without tones, with or without spaces, tone marks or ü typed as v")
    func pinyin() {
        let idCard = (texts: ["居民身份证到期换领", "Renewal of an expired resident ID card"], pinyin: "ju min shen fen zheng dao qi huan ling")
        for query in ["shenfenzheng", "shen fen zheng", "ShenFenZheng", "shēnfènzhèng", "jumin shenfenzheng", "shen-fen-zheng"] {
            #expect(finds(query, idCard.texts, pinyin: idCard.pinyin), "\(query)")
        }
        #expect(!finds("hukou", idCard.texts, pinyin: idCard.pinyin))
        let lawyer = "lü shi zhi ye xing wei tou su"
        for query in ["lvshi", "lushi", "lüshi", "lǜ shī"] {
            #expect(finds(query, ["律师执业行为投诉"], pinyin: lawyer), "\(query)")
        }
    }

    @Test("Exact name first, then names starting with the query, then names containing it, then the rest")
    func ranking() {
        func rank(_ query: String, _ names: [String], _ pinyin: String = "") -> CatalogueSearch.Rank {
            CatalogueSearch.rank(query, names: names, pinyin: pinyin)
        }
        #expect(rank("Proof of kinship", ["亲属关系证明", "Proof of kinship"]) == .exactName)
        #expect(rank("亲属关系证明", ["亲属关系证明", "Proof of kinship"]) == .exactName)
        #expect(rank("qin shu guan xi zheng ming", ["亲属关系证明", "Proof of kinship"], "qin shu guan xi zheng ming") == .exactName)
        #expect(rank("notarisation of birth", ["出生公证", "Notarization of birth"]) == .exactName)
        #expect(rank("notarisation", ["出生公证", "Notarization of birth"]) == .namePrefix)
        #expect(rank("juminshenfenzheng", ["居民身份证到期换领", "Renewal of an expired resident ID card"], "ju min shen fen zheng dao qi huan ling") == .namePrefix)
        #expect(rank("身份证", ["居民身份证到期换领", "Renewal of an expired resident ID card"]) == .nameContains)
        #expect(rank("identity card", ["居民身份证到期换领", "Renewal of an expired resident ID card"]) == .nameContains)
        #expect(rank("passport", ["居民身份证到期换领", "Renewal of an expired resident ID card"]) == .elsewhere)
        #expect(CatalogueSearch.Rank.exactName < .namePrefix && .namePrefix < .nameContains && .nameContains < .elsewhere)
    }
}
