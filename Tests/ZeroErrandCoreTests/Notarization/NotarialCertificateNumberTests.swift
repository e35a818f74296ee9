import Testing
@testable import ZeroErrandCore

private let wenzhou = NotaryOfficeAbbreviation(chinese: "浙温", pinyin: "Zhe Wen")!
private let beijing = NotaryOfficeAbbreviation(chinese: "京", pinyin: "Jing")!

@Suite("Notarial certificate numbers")
struct NotarialCertificateNumberTests {
    @Test("Written in Chinese and in English from year, office and serial")
    func format() throws {
        let number = try #require(NotarialCertificateNumber(year: 2026, office: wenzhou, serial: 123))
        #expect(number.chinese == "(2026)浙温证字第123号")
        #expect(number.english == "(2026) Zhe Wen Zheng Zi No. 123")
        #expect(number.description == number.chinese)
        #expect(NotarialCertificateNumber(year: 2027, office: beijing, serial: 1)?.chinese == "(2027)京证字第1号")
        #expect(NotarialCertificateNumber(year: 2027, office: beijing, serial: 1)?.english == "(2027) Jing Zheng Zi No. 1")

        #expect(NotarialCertificateNumber(year: 999, office: wenzhou, serial: 1) == nil)
        #expect(NotarialCertificateNumber(year: 10_000, office: wenzhou, serial: 1) == nil)
        #expect(NotarialCertificateNumber(year: 2026, office: wenzhou, serial: 0) == nil)
        #expect(NotarialCertificateNumber(year: 2026, office: wenzhou, serial: -5) == nil)
        #expect(NotarialCertificateNumber(year: 2026, office: wenzhou, serial: NotarialCertificateNumber.maxSerial + 1) == nil)
        #expect(NotarialCertificateNumber(year: 2026, office: wenzhou, serial: NotarialCertificateNumber.maxSerial) != nil)
    }

    @Test("An office's abbreviation: Han characters, and pinyin words of ASCII letters")
    func abbreviations() {
        #expect(NotaryOfficeAbbreviation(chinese: "浙温", pinyin: "  Zhe   Wen ")?.pinyin == "Zhe Wen")
        #expect(NotaryOfficeAbbreviation(chinese: "沪东方", pinyin: "Hu Dong Fang") != nil)
        for (chinese, pinyin) in [("", "Zhe"), ("浙温", ""), ("浙温", "   "), ("Zhe", "Zhe"), ("浙 温", "Zhe Wen"), ("浙2", "Zhe"),
                                  ("浙温", "Zhe-Wen"), ("浙温", "Zhe Wen1"), ("吕", "Lü"), ("浙温浙温浙温浙温浙", "Zhe"),
                                  ("浙温", "Zhe Wen 证")] {
            #expect(NotaryOfficeAbbreviation(chinese: chinese, pinyin: pinyin) == nil, "\(chinese) / \(pinyin)")
        }
    }

    @Test("Read back in either rendering, as people type or copy it")
    func parse() throws {
        let number = try #require(NotarialCertificateNumber(year: 2026, office: wenzhou, serial: 123))
        for text in ["(2026)浙温证字第123号", "(2026) Zhe Wen Zheng Zi No. 123", "（2026）浙温证字第123号", "〔2026〕浙温证字第123号",
                     "  (2026) 浙温 证字 第 123 号\n", "（２０２６）浙温证字第１２３号", "(2026) zhe wen zheng zi no. 123",
                     "(2026)ZheWen Zheng Zi No.123", "(2026)  ZHE WEN  ZHENG ZI  NO. 123 "] {
            #expect(NotarialCertificateNumber.parse(text, office: wenzhou) == number, "\(text)")
        }
    }

    @Test("Anything the office would not have written is refused")
    func malformed() {
        for text in ["", "123", "(2026)", "(2026)浙温证字第号", "(2026)浙温证字第0号", "(2026)浙温证字第0123号",
                     "(2026)浙温证字第123", "(2026)浙温证字第123号号", "(2026)浙温证字第123号 附", "(2026)浙温字第123号",
                     "(2026)京证字第123号", "(2026)浙证字第123号", "(26)浙温证字第123号", "(02026)浙温证字第123号",
                     "2026浙温证字第123号", "(2026浙温证字第123号", "[2026]浙温证字第123号", "(2026)浙温证字第-1号",
                     "(2026)浙温证字第1234567890号", "(2026)浙温证字第12a号", "(2026) Zhe Wen Zheng Zi No. 123.",
                     "(2026) Zhe Wen Zheng Zi 123", "(2026) Jing Zheng Zi No. 123", "(2026) Zhe Zheng Zi No. 123",
                     "(0999)浙温证字第1号", "(2026)浙温证字第一二三号"] {
            #expect(NotarialCertificateNumber.parse(text, office: wenzhou) == nil, "\(text)")
        }
        // The office decides: Beijing's number is not Wenzhou's, and the other way round.
        #expect(NotarialCertificateNumber.parse("(2026)京证字第7号", office: beijing)?.serial == 7)
        #expect(NotarialCertificateNumber.parse("(2026)京证字第7号", office: wenzhou) == nil)
    }

    @Test("Whatever is written is read back the same, in both renderings")
    func roundTrip() throws {
        var random = SplitMix64(seed: 7)
        let offices = [wenzhou, beijing, NotaryOfficeAbbreviation(chinese: "粤穗南", pinyin: "Yue Sui Nan")!]
        for _ in 0..<2000 {
            let office = offices[random.int(offices.count)]
            let serial = 1 + random.int(random.int(2) == 0 ? 999 : NotarialCertificateNumber.maxSerial)
            let number = try #require(NotarialCertificateNumber(year: 1000 + random.int(9000), office: office, serial: serial))
            #expect(NotarialCertificateNumber.parse(number.chinese, office: office) == number)
            #expect(NotarialCertificateNumber.parse(number.english, office: office) == number)
        }
    }
}
