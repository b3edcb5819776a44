import Foundation

/// The text of the print edition, as WeasyPrint should hyphenate it: a word that starts with
/// a capital letter (a name, a place, an acronym, a month) and is long enough to break goes in
/// `<span class="name">`, which print.css never hyphenates; a word of book.yaml's
/// `hyphenation` list gets soft hyphens where the list breaks it, and breaks only there.
struct PrintText: Sendable {
    /// The shortest word print.css's `hyphenate-limit-chars` lets the hyphenator break.
    static let shortestBreakable = 6

    private static let capitalized = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{M}\p{N}&])\p{Lu}[\p{L}\p{M}’'\-]{\#(shortestBreakable - 1),}(?![\p{L}\p{M}\p{N}])"#)
    private static let word = try! NSRegularExpression(pattern: #"[\p{L}\p{M}]+"#)

    /// The break offsets (in characters) of each listed word, by its lower-case letters.
    private let breaks: [String: [Int]]

    /// - Parameter exceptions: words with a hyphen at each place they may break (`po-liti-cal`).
    init(exceptions: [String] = []) {
        var breaks: [String: [Int]] = [:]
        for exception in exceptions {
            var offsets: [Int] = []
            var letters = ""
            for character in exception {
                if character == "-" { offsets.append(letters.count) } else { letters.append(character) }
            }
            breaks[letters.lowercased()] = offsets
        }
        self.breaks = breaks
    }

    /// `text` escaped for HTML, with its capitalized words kept whole and its listed words
    /// broken only where the list says.
    func render(_ text: String) -> String {
        var result = text
        if !breaks.isEmpty {
            let matches = Self.word.matches(in: result, range: NSRange(result.startIndex..., in: result)).reversed()
            for match in matches {
                guard let range = Range(match.range, in: result), let offsets = breaks[result[range].lowercased()] else { continue }
                var characters = Array(result[range])
                for offset in offsets.reversed() where offset > 0 && offset < characters.count {
                    characters.insert("\u{AD}", at: offset)
                }
                result.replaceSubrange(range, with: String(characters))
            }
        }
        let escaped = Markup.text(result)
        return Self.capitalized.stringByReplacingMatches(in: escaped, range: NSRange(escaped.startIndex..., in: escaped),
                                                         withTemplate: "<span class=\"name\">$0</span>")
    }
}
