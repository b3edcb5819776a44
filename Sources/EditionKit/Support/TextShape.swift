/// Small shapes of text recognised byte by byte where a regular expression was used: every
/// `range(of:options: .regularExpression)` compiled its pattern with ICU, and the first one of a
/// run started ICU's regular-expression sets (about a tenth of a warm build of book/).
enum TextShape {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// The decimal number the ASCII digits spell, nil when a byte is not a digit or there are none.
    static func number<Bytes: Collection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// The days of `month` (1–12) in the Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A word character as ICU's `\w` has it: letters, marks, decimal digits, connector
    /// punctuation, and the zero-width (non-)joiner.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || scalar.value == 0x200C || scalar.value == 0x200D { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// `.NAME.tmp-PID` (`^\..+\.tmp-[0-9]+$`): a temporary file AtomicFile names.
    static func isTemporaryName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let marker = Array(".tmp-".utf8)
        guard bytes.first == UInt8(ascii: "."), !bytes.contains(UInt8(ascii: "\n")) else { return false }
        var digits = 0
        while digits < bytes.count, isDigit(bytes[bytes.count - 1 - digits]) { digits += 1 }
        let markerStart = bytes.count - digits - marker.count
        return digits > 0 && markerStart >= 2 && Array(bytes[markerStart..<(bytes.count - digits)]) == marker
    }

    /// The length of the `http://` or `https://` that starts `address` (any case when
    /// `ignoringCase`), or nil.
    static func webSchemeLength(_ address: String, ignoringCase: Bool) -> Int? {
        for scheme in ["https://", "http://"] {
            let start = address.utf8.prefix(scheme.utf8.count)
            let same = ignoringCase ? zip(start, scheme.utf8).allSatisfy { isLetter($0) ? ($0 | 0x20) == $1 : $0 == $1 } : start.elementsEqual(scheme.utf8)
            if start.count == scheme.utf8.count, same { return scheme.utf8.count }
        }
        return nil
    }

    /// `^https?://[^\s]+$`, any case: a web address, nothing but the address.
    static func isWebAddress(_ address: String) -> Bool {
        guard let scheme = webSchemeLength(address, ignoringCase: true) else { return false }
        let rest = address.unicodeScalars.dropFirst(scheme)
        return !rest.isEmpty && !rest.contains(where: isSpaceScalar)
    }

    /// ICU's `\s`: tab, line feed, form feed, carriage return and the separators (Z).
    static func isSpaceScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0C, 0x0D: return true
        default:
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// Whether `text` is nothing but tabs, space separators (Zs) and the zero width space (Zs
    /// in Unicode's early versions, and still in Foundation's set): what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` leaves empty, without bridging to NSString (which
    /// cost a warm build at ×100 a third of its resolve step, once per heading and image).
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\u{200B}" || $0.properties.generalCategory == .spaceSeparator }
    }

    /// `html` with each tag (`<[^>]*>`) replaced by a space.
    static func withoutTags(_ html: String) -> String {
        var result = String.UnicodeScalarView()
        var rest = html.unicodeScalars[...]
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            result.append(contentsOf: rest[..<open])
            result.append(" ")
            rest = rest[rest.index(after: close)...]
        }
        result.append(contentsOf: rest)
        return String(result)
    }
}
