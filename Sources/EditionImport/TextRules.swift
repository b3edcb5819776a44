import Foundation

/// Small, independent text rules the importer is built from. Each one is tested on its own.
public enum TextRules {

    // MARK: Superscript note marks

    static let superscriptDigits: [Character: Character] = [
        "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4",
        "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
    ]

    /// Replaces every run of Unicode superscript digits (¹, ³⁴, ⁶⁵ …) with a GFM footnote
    /// reference carrying the same number: `intact.¹` → `intact.[^1]`.
    public static func superscriptsToReferences(_ text: String) -> String {
        var out = ""
        var run = ""
        for ch in text {
            if let d = superscriptDigits[ch] {
                run.append(d)
            } else {
                if !run.isEmpty { out += "[^\(run)]"; run = "" }
                out.append(ch)
            }
        }
        if !run.isEmpty { out += "[^\(run)]" }
        return out
    }

    /// If `line` starts (after an optional `- ` or `• ` bullet) with superscript digits, returns
    /// the note number and the text after it: `- ³⁵ **Los Tiempos**` → (35, "**Los Tiempos**").
    public static func noteStart(_ line: String) -> (number: Int, text: String)? {
        var rest = Substring(line.trimmingCharacters(in: .whitespaces))
        for bullet in ["- ", "* ", "• "] where rest.hasPrefix(bullet) {
            rest = rest.dropFirst(bullet.count).drop(while: { $0 == " " })
        }
        var digits = ""
        while let ch = rest.first, let d = superscriptDigits[ch] {
            digits.append(d)
            rest = rest.dropFirst()
        }
        guard !digits.isEmpty, let n = Int(digits) else { return nil }
        return (n, String(rest).trimmingCharacters(in: .whitespaces))
    }

    // MARK: Escapes

    /// Extraction escaped dollar signs (`\$`); Markdown does not need it.
    public static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\$", with: "$")
    }

    // MARK: Sentences and paragraphs

    /// The text without trailing emphasis markers and spaces, for looking at its last character.
    static func strippedTail(_ text: String) -> Substring {
        var s = Substring(text)
        while let last = s.last, last == "*" || last == "_" || last == " " { s = s.dropLast() }
        return s
    }

    /// The text without leading emphasis markers, for looking at its first character.
    static func strippedHead(_ text: String) -> Substring {
        var s = Substring(text)
        while let first = s.first, first == "*" || first == "_" || first == " " { s = s.dropFirst() }
        return s
    }

    /// `… it was humiliating …). (3)` → `… it was humiliating …).`: a note mark printed after
    /// the sentence (in parentheses, superscript or as a footnote reference) does not continue it.
    static func withoutTrailingNoteMark(_ text: String) -> String {
        var t = text
        for pattern in [#"\s*\(\d{1,3}\)$"#, #"(\[\^\d+\])+$"#, #"[⁰¹²³⁴⁵⁶⁷⁸⁹]+$"#] {
            if let r = t.range(of: pattern, options: .regularExpression) { t.removeSubrange(r) }
        }
        return t
    }

    static let terminalCharacters: Set<Character> = [".", "!", "?", ":", "…", "■"]
    static let closingQuotes: Set<Character> = ["\"", "”", "’", "'", ")", "»"]

    /// Does the text end a sentence (possibly followed by a closing quote or parenthesis)?
    public static func endsSentence(_ text: String) -> Bool {
        var s = strippedTail(withoutTrailingNoteMark(text))
        while let last = s.last, closingQuotes.contains(last) {
            s = s.dropLast()
            if let prev = s.last, terminalCharacters.contains(prev) { return true }
        }
        guard let last = s.last else { return true }
        return terminalCharacters.contains(last)
    }

    static func isListItem(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("- ") || t.hasPrefix("* ") || t.hasPrefix("• ") { return true }
        return t.range(of: #"^\d{1,3}[.)] "#, options: .regularExpression) != nil
    }

    /// A new dated entry such as `1982 — Pressure …` or `2019: In the …` never continues the
    /// previous paragraph.
    static func startsDatedEntry(_ line: String) -> Bool {
        line.range(of: #"^\*{0,2}\d{4}\*{0,2}\s*[—–:\-]"#, options: .regularExpression) != nil
    }

    /// The last word of the text ends in a lowercase letter (`… the`, `… began with`).
    static func endsWithLowercaseWord(_ text: String) -> Bool {
        guard let last = strippedTail(text).last else { return false }
        return last.isLetter && last.isLowercase
    }

    /// Should paragraph `next` be joined to `previous`, because a column or page break
    /// (one or more blank lines) split a sentence?
    public static func continuesParagraph(_ previous: String, _ next: String) -> Bool {
        if endsSentence(previous) { return false }
        if isListItem(next) || startsDatedEntry(next) { return false }
        if isCapitalHeading(next) { return false }
        let tail = strippedTail(previous)
        if tail.hasSuffix(",") || tail.hasSuffix(";") || tail.hasSuffix("-") || tail.hasSuffix("—") {
            return true
        }
        guard let first = strippedHead(next).first else { return false }
        if first.isLowercase || first == "(" { return true }
        // `It was not until` / `1956 that it …`
        if first.isNumber && endsWithLowercaseWord(previous) { return true }
        // A sentence does not end in `… in` or `… the`.
        if let lastWord = previous.split(separator: " ").last,
           minorWords.contains(String(lastWord).lowercased()) { return true }
        // `… unaffiliated with the` / `COB, such as …`: a long line of running text whose last
        // word is lowercase is cut mid-sentence even when the next one starts with a capital.
        return previous.count >= 60 && endsWithLowercaseWord(previous) && first.isLetter
    }

    /// Joins two pieces of a sentence split by a break: a trailing hyphen (`Evo-` + `aligned`)
    /// joins without a space.
    public static func join(_ previous: String, _ next: String) -> String {
        let p = previous.trimmingCharacters(in: .whitespaces)
        let n = next.trimmingCharacters(in: .whitespaces)
        if p.hasSuffix("-") && !p.hasSuffix(" -") { return p + n }
        return p + " " + n
    }

    // MARK: Headings

    /// A line printed entirely in capitals (ignoring emphasis, digits and punctuation), with at
    /// least two letters: `THE ROLE OF THE COB AND SPACES FOR SELF-ORGANIZATION`.
    /// A line ending in a full stop (`(POR-U).`, a byline) is not a heading.
    public static func isCapitalHeading(_ line: String) -> Bool {
        isAllCaps(line) && !strippedTail(line).hasSuffix(".")
    }

    /// All letters are capitals (at least two letters); not a list item or a note.
    public static func isAllCaps(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t.count > 200 || isListItem(t) || noteStart(t) != nil { return false }
        let letters = t.filter { $0.isLetter }
        guard letters.count >= 2 else { return false }
        return letters.allSatisfy { !$0.isLowercase }
    }

    static let minorWords: Set<String> = [
        "a", "an", "the", "and", "but", "or", "nor", "for", "of", "on", "in", "to", "by", "at",
        "as", "with", "from", "into", "vs", "via", "per", "than", "over", "upon",
        // Spanish and Portuguese particles of names: Sánchez de Lozada.
        "de", "del", "y", "do", "da", "dos",
    ]

    /// Acronyms kept in capitals when a heading is put in proper case.
    public static let defaultAcronyms: Set<String> = [
        "COB", "MAS", "POR", "MNR", "MNRI", "FEJUVE", "CSUTCB", "IMF", "USSR", "FTAA", "PSTU",
        "IWL", "IWL-FI", "LIT", "LIT-CI", "YPFB", "US", "U.S.", "USA", "UK", "EU", "UN", "PDC",
        "FSTMB", "COD", "PCB", "MIR", "PST", "USEC", "FIT", "PO", "POR-U", "UDP", "ADN", "TIPNIS",
        "MAS-IPSP", "IPSP", "CIA", "NATO", "ISSN", "FI", "II", "III", "IV", "VI", "XX", "GHQ",
    ]

    /// Proper (title) case for a heading printed in capitals. Acronyms stay in capitals, minor
    /// words are lowercase except first, last and after a colon or dash; hyphenated parts are
    /// each capitalised; words with digits are kept.
    public static func properCase(_ text: String, acronyms: Set<String> = defaultAcronyms) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var result: [String] = []
        var capitaliseNext = true
        for (i, word) in words.enumerated() {
            let isLast = i == words.count - 1
            let cased = caseWord(word, forceCapital: capitaliseNext || isLast, acronyms: acronyms)
            result.append(cased)
            let tail = strippedTail(word)
            capitaliseNext = tail.hasSuffix(":") || word == "—" || word == "–" || word == "-"
                || tail.hasSuffix("?") || tail.hasSuffix("!") || tail.hasSuffix(".")
        }
        return result.joined(separator: " ")
    }

    static func caseWord(_ word: String, forceCapital: Bool, acronyms: Set<String>) -> String {
        // Split off leading and trailing punctuation: “CAMPS” → “ + CAMPS + ”
        let chars = Array(word)
        guard let start = chars.firstIndex(where: { $0.isLetter || $0.isNumber }),
              var end = chars.lastIndex(where: { $0.isLetter || $0.isNumber })
        else { return word }
        // Keep the final dot of a dotted abbreviation (U.S.) with the word.
        if end + 1 < chars.count, chars[end + 1] == ".", chars[start...end].contains(".") { end += 1 }
        let lead = String(chars[..<start])
        let core = String(chars[start...end])
        let trail = String(chars[(end + 1)...])
        if acronyms.contains(core.uppercased()) && core == core.uppercased() { return lead + core + trail }
        // Possessive of an acronym: COB'S → COB's.
        for apostrophe in ["'", "’"] where core.hasSuffix(apostrophe + "S") {
            let stem = String(core.dropLast(2))
            if acronyms.contains(stem) { return lead + stem + apostrophe + "s" + trail }
        }
        // Dotted abbreviations (U.S., S.A.) stay as printed.
        if core.contains(".") { return lead + core + trail }
        let parts = core.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let casedParts = parts.enumerated().map { (j, part) -> String in
            if acronyms.contains(part.uppercased()) && part == part.uppercased() && !part.isEmpty { return part }
            if part.contains(where: { $0.isNumber }) { return part.lowercased() }
            let lower = part.lowercased()
            if j == 0 && !forceCapital && minorWords.contains(lower) { return lower }
            return capitaliseFirst(lower)
        }
        return lead + casedParts.joined(separator: "-") + trail
    }

    static func capitaliseFirst(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }

    // MARK: Slugs

    /// A readable ASCII file-name slug: `Bolivia, April 1952: The Workers’ …` → `bolivia-april-1952-the-workers`.
    public static func slug(_ text: String, maxLength: Int = 48) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en"))
            .lowercased()
        var words: [String] = []
        var current = ""
        for ch in folded {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { current.append(ch) }
            else if ch == "’" || ch == "'" { continue }
            else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        var slug = ""
        for w in words {
            let candidate = slug.isEmpty ? w : slug + "-" + w
            if candidate.count > maxLength && !slug.isEmpty { break }
            slug = candidate
        }
        return slug
    }
}
