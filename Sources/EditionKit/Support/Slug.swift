import Foundation

/// Makes ids and file names from titles: lower case ASCII letters, digits and hyphens,
/// starting with a letter (XML ids may not start with a digit).
public enum Slug {
    /// - Parameter leadingLetter: prefix `fallback` when the result starts with a digit; turn it
    ///   off for a slug that follows a prefix of its own (`note-14`).
    public static func make(_ text: String, fallback: String = "x", maxLength: Int = 60,
                            leadingLetter: Bool = true) -> String {
        // ASCII (every note label, most headings) folds to its lower case: Foundation's folding,
        // which bridges the text to NSString, only for the rest.
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let folded = ascii ? text : text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive],
                                                 locale: Locale(identifier: "en"))
        var result: [UInt8] = []
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            var value = scalar.value
            if ascii, value >= 0x41, value <= 0x5A { value += 0x20 }
            if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) {
                if pendingHyphen && !result.isEmpty { result.append(UInt8(ascii: "-")) }
                pendingHyphen = false
                result.append(UInt8(value))
            } else if scalar != "'" && scalar != "’" {
                pendingHyphen = true
            }
            if result.count >= maxLength { break }
        }
        while result.last == UInt8(ascii: "-") { result.removeLast() }
        if result.isEmpty { return fallback }
        let slug = String(decoding: result, as: UTF8.self)
        if leadingLetter, let first = result.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
            return "\(fallback)-\(slug)"
        }
        return slug
    }
}
