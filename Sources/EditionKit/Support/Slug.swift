import Foundation

/// Makes ids and file names from titles: lower case ASCII letters, digits and hyphens,
/// starting with a letter (XML ids may not start with a digit).
public enum Slug {
    /// - Parameter leadingLetter: prefix `fallback` when the result starts with a digit; turn it
    ///   off for a slug that follows a prefix of its own (`note-14`).
    public static func make(_ text: String, fallback: String = "x", maxLength: Int = 60,
                            leadingLetter: Bool = true) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive],
                                  locale: Locale(identifier: "en"))
        var result = ""
        var pendingHyphen = false
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingHyphen && !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar != "'" && scalar != "’" {
                pendingHyphen = true
            }
            if result.count >= maxLength { break }
        }
        while result.hasSuffix("-") { result.removeLast() }
        if result.isEmpty { return fallback }
        if leadingLetter, let first = result.unicodeScalars.first, ("0"..."9").contains(first) {
            result = "\(fallback)-\(result)"
        }
        return result
    }
}
