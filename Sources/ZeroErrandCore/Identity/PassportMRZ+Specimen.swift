extension PassportMRZ {
    /// A machine-readable zone with correct check digits for the holder given (ICAO Doc 9303 Part 4,
    /// weights 7, 3, 1), as printed: for demo data and tests, which need particular holders,
    /// nationalities and expiry days. Names are upper-case Latin letters.
    public static func specimenText(surname: String = "WANG", given: String = "XIULAN", number: String = "E12345678",
                                    nationality: String = "CHN", birth: String = "480315", sex: String = "F",
                                    expiry: String = "300101") -> String {
        let names = (surname + "<<" + given.replacingOccurrences(of: " ", with: "<")).padding(toLength: 39, withPad: "<", startingAt: 0)
        let line1 = "P<" + nationality + names
        let document = number.padding(toLength: 9, withPad: "<", startingAt: 0)
        let personal = String(repeating: "<", count: 14)
        let line2 = document + String(checkDigit(document)) + nationality + birth + String(checkDigit(birth)) + sex + expiry + String(checkDigit(expiry))
            + personal + String(checkDigit(personal))
        let composite = String(checkDigit(String(line2.prefix(10)) + String(line2.dropFirst(13).prefix(7)) + String(line2.dropFirst(21).prefix(22))))
        return line1 + "\n" + line2 + composite
    }
}
