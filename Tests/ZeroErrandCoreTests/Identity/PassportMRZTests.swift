import ZeroErrandCore
import Testing

/// Doc 9303 restated independently of the implementation.
private enum Ref {
    static let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let digits = Array("0123456789")
    static let alphabet = letters + digits + ["<"]

    static func value(_ c: Character) -> Int {
        if let d = c.wholeNumberValue { return d }
        return c == "<" ? 0 : Int(c.asciiValue!) - 55
    }

    static func check<S: Sequence<Character>>(_ field: S) -> Character {
        let sum = field.enumerated().reduce(0) { $0 + value($1.element) * [7, 3, 1][$1.offset % 3] }
        return Character(String(sum % 10))
    }

    static func isDate(_ s: String) -> Bool {
        guard s.allSatisfy(\.isNumber), let n = Int(s) else { return false }
        let yy = n / 10000, mm = n / 100 % 100, dd = n % 100
        guard (1...12).contains(mm) else { return false }
        return (1...[31, yy % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]).contains(dd)
    }

    /// Check digit 44 over positions 1-10, 14-20 and 22-43 of line 2.
    static func composite(_ line2: [Character]) -> Character {
        check(line2[0..<10] + line2[13..<20] + line2[21..<43])
    }

    /// The outcome for a line 2 that was valid except for one substitution at
    /// `position` (1-based): field syntax first, then check digits in document
    /// order, as the implementation promises.
    static func outcome(_ m: [Character], changedAt position: Int) -> IdentityDocumentError? {
        func text(_ r: Range<Int>) -> String { String(m[r]) }
        let c = m[position - 1]
        switch position {
        case 10 where !c.isNumber, 20 where !c.isNumber, 28 where !c.isNumber, 44 where !c.isNumber,
             43 where !(c.isNumber || c == "<"):
            return .invalidMRZCharacter(line: 2, position: position, found: c)
        case 14...19 where !isDate(text(13..<19)): return .invalidBirthDate(text(13..<19))
        case 22...27 where !isDate(text(21..<27)): return .invalidExpiryDate(text(21..<27))
        default: break
        }
        for (field, range, at) in [(MRZField.documentNumber, 0..<9, 9), (.birthDate, 13..<19, 19), (.expiryDate, 21..<27, 27)]
        where check(m[range]) != m[at] {
            return .wrongCheckDigit(field: field, expected: check(m[range]), found: m[at])
        }
        let personal = m[28..<42]
        let personalOK = m[42] == "<" ? personal.allSatisfy { $0 == "<" } : check(personal) == m[42]
        if !personalOK { return .wrongCheckDigit(field: .personalNumber, expected: check(personal), found: m[42]) }
        let composite = self.composite(m)
        return composite == m[43] ? nil : .wrongCheckDigit(field: .composite, expected: composite, found: m[43])
    }
}

private func parse(_ l1: String, _ l2: String) -> Result<PassportMRZ, IdentityDocumentError> {
    Result { () throws(IdentityDocumentError) in try PassportMRZ(line1: l1, line2: l2) }
}

private func replacing(_ line: String, at position: Int, with text: String) -> String {
    var chars = Array(line)
    chars.replaceSubrange((position - 1)..<(position - 1 + text.count), with: Array(text))
    return String(chars)
}

private let specimen1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
private let specimen2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"

@Suite("PassportMRZ")
struct PassportMRZTests {
    @Test func icaoSpecimenIsValid() throws {
        let mrz = try PassportMRZ(line1: specimen1, line2: specimen2)
        #expect(mrz.documentCode == "P")
        #expect(mrz.issuingState == "UTO")
        #expect(mrz.surname == "ERIKSSON")
        #expect(mrz.givenNames == "ANNA MARIA")
        #expect(mrz.documentNumber == "L898902C3")
        #expect(mrz.nationality == "UTO")
        #expect(mrz.birthDate == "740812")
        #expect(mrz.sex == "F")
        #expect(mrz.expiryDate == "120415")
        #expect(mrz.personalNumber == "ZE184226B")
        #expect(mrz == (try PassportMRZ(" \(specimen1.lowercased())  \r\n\n  \(specimen2)\t\n")))
    }

    @Test func checkDigitsOfTheSpecimen() {
        #expect(PassportMRZ.checkDigit("L898902C3") == "6")
        #expect(PassportMRZ.checkDigit("740812") == "2")
        #expect(PassportMRZ.checkDigit("120415") == "9")
        #expect(PassportMRZ.checkDigit("ZE184226B<<<<<") == "1")
        #expect(PassportMRZ.checkDigit("L898902C36" + "7408122" + "1204159ZE184226B<<<<<1") == "0")
        #expect(PassportMRZ.checkDigit(specimen2.prefix(9)) == "6")
        var rng = SplitMix64(seed: 9303)
        for _ in 0..<1000 {
            let field = String((0..<Int.random(in: 0...40, using: &rng)).map { _ in Ref.alphabet.randomElement(using: &rng)! })
            #expect(PassportMRZ.checkDigit(field) == Ref.check(field), "\(field)")
        }
    }

    @Test func structuralErrorsNameTheProblem() {
        #expect(parse("", "") == .failure(.empty))
        #expect(throws: IdentityDocumentError.empty) { try PassportMRZ(" \n \n") }
        #expect(throws: IdentityDocumentError.lineCount(expected: 2, found: 1)) { try PassportMRZ(specimen1 + specimen2) }
        #expect(parse(specimen1, String(specimen2.dropLast())) == .failure(.lineLength(line: 2, expected: 44, found: 43)))
        #expect(parse(specimen1.lowercased(), specimen2) == .failure(.invalidMRZCharacter(line: 1, position: 1, found: "p")))
        #expect(parse(replacing(specimen1, at: 1, with: "V"), specimen2) == .failure(.wrongDocumentCode("V<")))
        #expect(parse(replacing(specimen1, at: 2, with: "1"), specimen2) == .failure(.wrongDocumentCode("P1")))
        #expect(parse(replacing(specimen1, at: 8, with: "1"), specimen2) == .failure(.invalidMRZCharacter(line: 1, position: 8, found: "1")))
        #expect(parse(specimen1, replacing(specimen2, at: 12, with: "7")) == .failure(.invalidMRZCharacter(line: 2, position: 12, found: "7")))
        #expect(parse(specimen1, replacing(specimen2, at: 21, with: "X")) == .failure(.invalidSex("X")))
        #expect(parse(specimen1, replacing(specimen2, at: 14, with: "740230")) == .failure(.invalidBirthDate("740230")))
        #expect(parse(specimen1, replacing(specimen2, at: 22, with: "121315")) == .failure(.invalidExpiryDate("121315")))
        #expect(parse(specimen1, replacing(specimen2, at: 2, with: " ")) == .failure(.invalidMRZCharacter(line: 2, position: 2, found: " ")))
        #expect(parse(specimen1, replacing(specimen2, at: 20, with: "3")) == .failure(.wrongCheckDigit(field: .birthDate, expected: "2", found: "3")))
    }

    @Test func leapDaysAreJudgedWithoutGuessingTheCentury() {
        // Birth 000229 and 040229 exist (2000, 2004); 010229 exists in no century.
        for (date, ok) in [("000229", true), ("040229", true), ("010229", false)] {
            let line2 = "L898902C36UTO\(date)\(Ref.check(date))F1204159ZE184226B<<<<<1"
            let result = parse(specimen1, line2 + String(Ref.composite(Array(line2))))
            #expect(result.map(\.birthDate) == (ok ? .success(date) : .failure(.invalidBirthDate(date))))
        }
    }

    @Test func personalNumberCheckMayBeFillerOnlyWhenUnused() {
        let empty = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<"
        for check in ["<", "0"] {
            let line2 = empty + check + String(Ref.composite(Array(empty + check)))
            #expect(parse(specimen1, line2).map(\.personalNumber) == .success(""), "\(check)")
        }
        let filled = replacing(specimen2, at: 43, with: "<")
        #expect(parse(specimen1, filled) == .failure(.wrongCheckDigit(field: .personalNumber, expected: "1", found: "<")))
    }

    /// Every substitution in a check-digit-covered position of line 2 (1-10,
    /// 14-20, 22-44) must give exactly the outcome `Ref.outcome` predicts.
    ///
    /// Weights 7, 3, 1 are all coprime to 10, so a substitution changes a
    /// check sum iff the two characters' values differ mod 10. `<`/`0`/`A`/`K`/`U`
    /// (0, 0, 10, 20, 30) and the like are therefore invisible to every check
    /// digit: such a change is only caught when the field's own syntax forbids
    /// it (a letter in a date or check-digit position, a filler check digit on a
    /// personal number). We assert rejection only when values differ mod 10, and
    /// otherwise the predicted outcome, which may be acceptance.
    @Test func generatedPairsAndAllCoveredSubstitutions() throws {
        var rng = SplitMix64(seed: 0x9303_0004_7D30_0001)
        func pick(_ set: [Character], _ count: Int) -> String {
            String((0..<count).map { _ in set.randomElement(using: &rng)! })
        }
        func padded(_ s: String, _ n: Int) -> String { s + String(repeating: "<", count: n - s.count) }
        func date() -> String {
            let yy = Int.random(in: 0...99, using: &rng), mm = Int.random(in: 1...12, using: &rng)
            let days = [31, yy % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]
            let dd = Int.random(in: 1...days, using: &rng)
            return [yy, mm, dd].map { ($0 < 10 ? "0" : "") + String($0) }.joined()
        }

        var samples = [(specimen1, specimen2, ["ERIKSSON", "ANNA MARIA", "L898902C3", "740812", "120415", "ZE184226B"])]
        for _ in 0..<100 {
            let surname = (0..<Int.random(in: 1...2, using: &rng)).map { _ in pick(Ref.letters, Int.random(in: 2...8, using: &rng)) }
            var given = (0..<Int.random(in: 0...3, using: &rng)).map { _ in pick(Ref.letters, Int.random(in: 2...8, using: &rng)) }
            while (surname.joined(separator: "<") + "<<" + given.joined(separator: "<")).count > 39 { given.removeLast() }
            let state = Bool.random(using: &rng) ? pick(Ref.letters, 3) : pick(Ref.letters, 1) + "<<"
            let line1 = "P" + pick(Ref.letters + ["<"], 1) + state + padded(surname.joined(separator: "<") + "<<" + given.joined(separator: "<"), 39)
            let number = pick(Ref.letters + Ref.digits, Int.random(in: 5...9, using: &rng))
            let (birth, expiry) = (date(), date())
            let kind = Int.random(in: 0..<6, using: &rng)
            let personal = kind < 3 ? "" : pick(Ref.letters + Ref.digits, Int.random(in: 1...14, using: &rng))
            let personalCheck = kind < 2 ? "<" : String(Ref.check(padded(personal, 14)))
            var line2 = padded(number, 9) + String(Ref.check(padded(number, 9))) + pick(Ref.letters, 3)
            line2 += birth + String(Ref.check(birth)) + pick(["M", "F", "<"], 1)
            line2 += expiry + String(Ref.check(expiry)) + padded(personal, 14) + personalCheck
            line2 += String(Ref.composite(Array(line2)))
            samples.append((line1, line2, [surname.joined(separator: " "), given.joined(separator: " "), number, birth, expiry, personal]))
        }

        var accepted = 0, rejected = 0
        for (line1, line2, fields) in samples {
            let mrz = try parse(line1, line2).get()
            #expect([mrz.surname, mrz.givenNames, mrz.documentNumber, mrz.birthDate, mrz.expiryDate, mrz.personalNumber] == fields)
            let original = Array(line2)
            for position in [Int](1...10) + [Int](14...20) + [Int](22...44) {
                for replacement in Ref.alphabet where replacement != original[position - 1] {
                    var mutated = original
                    mutated[position - 1] = replacement
                    let predicted = Ref.outcome(mutated, changedAt: position)
                    let result = parse(line1, String(mutated))
                    if Ref.value(replacement) % 10 != Ref.value(original[position - 1]) % 10 {
                        #expect(predicted != nil)
                    }
                    switch (result, predicted) {
                    case (.success, nil): accepted += 1
                    case let (.failure(error), expected?) where error == expected: rejected += 1
                    default: Issue.record("line 2 \(String(mutated)) at \(position): got \(result), expected \(String(describing: predicted))")
                    }
                }
            }
        }
        #expect(accepted > 0 && rejected > 0)
        #expect(accepted + rejected == samples.count * 40 * 36)
    }
}
