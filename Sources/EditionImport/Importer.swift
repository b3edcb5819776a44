import Foundation

public struct ImportedAuthor: Equatable, Sendable {
    public var name: String
    public var organization: String?
    public init(name: String, organization: String? = nil) {
        self.name = name
        self.organization = organization
    }
}

/// One article (or document) as the importer understood it, ready to be written as Markdown.
public struct ImportedArticle: Equatable, Sendable {
    public var title: String
    public var subtitle: String?
    public var authors: [ImportedAuthor] = []
    public var source: String?
    public var date: String?
    public var printPage: Int?
    /// Markdown blocks of the body (paragraphs, `##` headings, list items), in order.
    public var body: [String] = []
    /// Footnote definitions, `[^N]: …`, continuation paragraphs already indented.
    public var notes: [String] = []

    public init(title: String) { self.title = title }

    public var slug: String { TextRules.slug(title) }

    /// The article as a Markdown file with YAML front matter.
    public func markdown() -> String {
        var fm = ["---", "title: \(YAML.quote(title))"]
        if let subtitle { fm.append("subtitle: \(YAML.quote(subtitle))") }
        if !authors.isEmpty {
            fm.append("authors:")
            for a in authors {
                fm.append("  - name: \(YAML.quote(a.name))")
                if let org = a.organization { fm.append("    organization: \(YAML.quote(org))") }
            }
        }
        if let source { fm.append("source: \(YAML.quote(source))") }
        if let date { fm.append("date: \(YAML.quote(date))") }
        if let printPage { fm.append("print-page: \(printPage)") }
        fm.append("---")
        var blocks = body
        if !notes.isEmpty { blocks.append(contentsOf: notes) }
        return fm.joined(separator: "\n") + "\n\n" + blocks.joined(separator: "\n\n") + "\n"
    }
}

public enum YAML {
    /// A double-quoted YAML scalar; safe for colons, quotes, `#`, leading `*` and the like.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}

public struct ImportOptions: Sendable {
    /// Split a file holding a whole edition at its articles (found through its printed contents).
    public var split = false
    /// Put headings printed in capitals into proper case.
    public var properCaseHeadings = true
    public var acronyms: Set<String> = TextRules.defaultAcronyms
    /// Lines dropped wherever they occur (page furniture, web residue), as regular expressions
    /// matched against the whole trimmed line.
    public var furniture: [String] = ImportOptions.defaultFurniture

    public static let defaultFurniture: [String] = [
        #"Post"#, #"INTERNATIONAL"#, #"EDITION( \d+)?"#, #"ISSN:? .*"#,
        #"PUBLICATION OF THE .*"#, #"International Workers League\s*[-–]\s*Fourth International"#,
        #"Access the .* publications at:"#, #"Return to .* homepage.*"#, #"Write to the .*"#,
        #"See the original in \w+\.?"#, #"www\.[\w.-]+"#,
    ]

    public init(split: Bool = false) { self.split = split }
}

/// One line of the input with the number of blank lines before it.
struct Line: Equatable {
    var text: String
    var blanksBefore: Int
}

public enum EditionImporter {

    /// Imports a plain-text extraction into articles.
    public static func importText(_ text: String, options: ImportOptions = ImportOptions()) -> [ImportedArticle] {
        let lines = readLines(text)
        if options.split {
            let toc = tableOfContents(lines)
            let ranges = articleRanges(lines, toc: toc)
            if !ranges.isEmpty {
                return ranges.map { r in
                    var a = importArticle(Array(lines[r.range]), options: options)
                    a.printPage = r.page
                    return a
                }
            }
        }
        return [importArticle(lines, options: options)]
    }

    // MARK: Lines

    static func readLines(_ text: String) -> [Line] {
        var out: [Line] = []
        var blanks = 0
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { blanks += 1; continue }
            out.append(Line(text: t, blanksBefore: blanks))
            blanks = 0
        }
        return out
    }

    // MARK: Table of contents and splitting

    struct TOCEntry: Equatable { var title: String; var page: Int }

    /// Entries of a printed table of contents: lines `— TITLE<tab or dots>PAGE`. Consecutive
    /// entries with the same page are one title the layout spread over several lines.
    static func tableOfContents(_ lines: [Line]) -> [TOCEntry] {
        var entries: [TOCEntry] = []
        let pattern = #"^[—–-]\s*(.+?)[\s.]*\t?\s*(\d{1,3})$"#
        let re = try! NSRegularExpression(pattern: pattern)
        for line in lines {
            let ns = line.text as NSString
            guard let m = re.firstMatch(in: line.text, range: NSRange(location: 0, length: ns.length)),
                  line.text.contains("\t") || line.text.contains("..")
            else { continue }
            let title = ns.substring(with: m.range(at: 1)).trimmingCharacters(in: CharacterSet(charactersIn: ". \t"))
            let page = Int(ns.substring(with: m.range(at: 2)))!
            if let last = entries.last, last.page == page {
                entries[entries.count - 1].title += " " + title
            } else {
                entries.append(TOCEntry(title: title, page: page))
            }
        }
        return entries
    }

    /// Letters and digits only, uppercased: what a title and its contents entry share.
    static func key(_ s: String) -> String {
        String(s.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Where each contents entry's article starts and ends in the text.
    static func articleRanges(_ lines: [Line], toc: [TOCEntry]) -> [(range: Range<Int>, page: Int)] {
        guard !toc.isEmpty else { return [] }
        var starts: [(Int, Int)] = []
        var from = 0
        for entry in toc {
            let k = key(entry.title)
            // Skip the contents lines themselves: an article starts on a line that is not an entry.
            guard let i = lines[from...].firstIndex(where: {
                !$0.text.hasPrefix("—") && key($0.text) == k
            }) else { continue }
            starts.append((i, entry.page))
            from = i + 1
        }
        return starts.enumerated().map { (n, s) in
            let end = n + 1 < starts.count ? starts[n + 1].0 : lines.count
            return (s.0..<end, s.1)
        }
    }

    // MARK: One article

    static func isFurniture(_ text: String, options: ImportOptions) -> Bool {
        options.furniture.contains { p in
            text.range(of: "^(?:" + p + ")$", options: .regularExpression) != nil
        }
    }

    /// Lines printed one under the other that belong together: a line ending in a comma
    /// (`EDU ALMEDIA,` / `PSTU, LIT-CI`), or a heading in capitals ending in a minor word
    /// (`A PARTY BORN OF THE` / `UPRISING, BUT …`).
    static func mergeBrokenLines(_ lines: [Line]) -> [Line] {
        var out: [Line] = []
        for line in lines {
            if let last = out.last {
                let lastWord = last.text.split(separator: " ").last.map { String($0).lowercased() } ?? ""
                let commaBreak = line.blanksBefore == 0 && TextRules.strippedTail(last.text).hasSuffix(",")
                    && !TextRules.isListItem(line.text) && TextRules.noteStart(line.text) == nil
                let headingBreak = TextRules.isCapitalHeading(last.text) && TextRules.isCapitalHeading(line.text)
                    && TextRules.minorWords.contains(lastWord)
                if commaBreak || headingBreak {
                    out[out.count - 1].text = last.text + " " + line.text
                    continue
                }
            }
            out.append(line)
        }
        return out
    }

    static func importArticle(_ input: [Line], options: ImportOptions) -> ImportedArticle {
        let lines = mergeBrokenLines(input.filter { !isFurniture($0.text, options: options) })
        var i = 0
        var source: String?
        var byline: String?
        // Lines before the title that say where the text was first published.
        while i < lines.count, isSourceLine(lines[i].text) {
            source = sourceText(lines[i].text); i += 1
        }
        guard i < lines.count else { return ImportedArticle(title: "") }
        var article: ImportedArticle
        if isTitleLike(lines[i].text) {
            article = ImportedArticle(title: headingText(lines[i].text, options: options))
            i += 1
        } else {
            article = ImportedArticle(title: "")
        }
        // Subtitle: a line in parentheses, a long line in capitals, or a line in capitals that
        // is not a byline but is followed by one, right after the title.
        if i < lines.count, !article.title.isEmpty {
            let t = lines[i].text
            let words = t.split(separator: " ").count
            let followedByByline = i + 1 < lines.count && looksLikeByline(lines[i + 1].text)
            if (t.hasPrefix("(") && t.hasSuffix(")"))
                || (TextRules.isCapitalHeading(t) && (words > 12 || (!looksLikeByline(t) && followedByByline))) {
                article.subtitle = headingText(t, options: options); i += 1
            }
        }
        // Byline: bold, `By …`, or a short line in capitals; then maybe a date line.
        if i < lines.count, !article.title.isEmpty, let b = bylineText(lines[i].text) {
            byline = b; i += 1
            if i < lines.count, isDateLine(lines[i].text) {
                article.date = TextRules.properCase(lines[i].text, acronyms: options.acronyms); i += 1
            }
        }
        var bodyLines = Array(lines[i...])
        // `By …` and `(First published in …)` lines may also follow an introduction.
        bodyLines.removeAll { l in
            if byline == nil, l.text.hasPrefix("By "), l.text.split(separator: " ").count <= 6 {
                byline = String(l.text.dropFirst(3)); return true
            }
            if source == nil, isSourceLine(l.text) { source = sourceText(l.text); return true }
            return false
        }
        if let byline { article.authors = authors(from: byline, options: options) }
        article.source = source.map { TextRules.unescape($0) }

        let notesIndex = bodyLines.firstIndex { ["NOTES", "Notes", "NOTE", "Note"].contains($0.text) }
        let bodyPart = notesIndex.map { Array(bodyLines[..<$0]) } ?? bodyLines
        let notesPart = notesIndex.map { Array(bodyLines[($0 + 1)...]) } ?? []
        article.body = bodyBlocks(bodyPart, options: options)
        article.notes = noteDefinitions(notesPart)
        return article
    }

    static func isSourceLine(_ t: String) -> Bool {
        let s = t.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
        return s.hasPrefix("First published in") || s.hasPrefix("The following article was published in")
            || s.hasPrefix("Originally published in")
    }

    static func sourceText(_ t: String) -> String {
        var s = t
        if s.hasPrefix("("), s.hasSuffix(")") { s = String(s.dropFirst().dropLast()) }
        if s.hasPrefix("The following article was published in ") {
            s = "First published in " + s.dropFirst("The following article was published in ".count)
        }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func isTitleLike(_ t: String) -> Bool {
        !TextRules.endsSentence(t) || TextRules.isCapitalHeading(t)
            ? t.count <= 200 && !TextRules.isListItem(t) : false
    }

    static func isDateLine(_ t: String) -> Bool {
        t.range(of: #"\b(1[89]|20)\d\d\b"#, options: .regularExpression) != nil
            && t.split(separator: " ").count <= 6 && !t.contains("**")
    }

    static func bylineText(_ t: String) -> String? {
        if t.hasPrefix("**"), t.hasSuffix("**") { return String(t.dropFirst(2).dropLast(2)) }
        if t.hasPrefix("By "), t.split(separator: " ").count <= 8 { return String(t.dropFirst(3)) }
        if TextRules.isAllCaps(t), t.split(separator: " ").count <= 12 { return t }
        return nil
    }

    /// Names and organizations: every piece between commas and `AND` has at most five words.
    static func looksLikeByline(_ t: String) -> Bool {
        if t.hasPrefix("**") || t.hasPrefix("By ") { return true }
        guard TextRules.isAllCaps(t) else { return false }
        let pieces = t.replacingOccurrences(of: " AND ", with: ",").split(separator: ",")
        return pieces.allSatisfy { $0.split(separator: " ").count <= 5 }
    }

    /// `LENA SOUZA, PSTU BRAZIL AND FLORENCE OPPEN, WORKERS' VOICE (US)` → two authors with
    /// organizations; `EDU ALMEIDA (IWL)` → name and organization.
    static func authors(from byline: String, options: ImportOptions) -> [ImportedAuthor] {
        var text = byline.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(".") { text.removeLast() }
        let isCaps = TextRules.isAllCaps(text)
        func cased(_ s: String) -> String {
            let t = s.trimmingCharacters(in: .whitespaces)
            return isCaps ? TextRules.properCase(t, acronyms: options.acronyms) : t
        }
        // Split at " and " outside parentheses.
        var parts: [String] = []
        var depth = 0
        var current = ""
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        for w in words {
            if depth == 0, w.lowercased() == "and", !current.isEmpty {
                parts.append(current); current = ""; continue
            }
            depth += w.filter { $0 == "(" }.count - w.filter { $0 == ")" }.count
            current = current.isEmpty ? w : current + " " + w
        }
        if !current.isEmpty { parts.append(current) }
        return parts.map { p in
            let comma = p.firstIndex(of: ",")
            if let open = p.firstIndex(of: "("), p.hasSuffix(")"), comma == nil || comma! > open {
                let name = String(p[..<open])
                let org = String(p[p.index(after: open)..<p.index(before: p.endIndex)])
                return ImportedAuthor(name: cased(name), organization: cased(org))
            }
            if let comma = p.firstIndex(of: ",") {
                return ImportedAuthor(name: cased(String(p[..<comma])),
                                      organization: cased(String(p[p.index(after: comma)...])))
            }
            return ImportedAuthor(name: cased(p))
        }
    }

    static func headingText(_ t: String, options: ImportOptions) -> String {
        let unescaped = TextRules.unescape(t)
        guard options.properCaseHeadings, TextRules.isCapitalHeading(unescaped) else { return unescaped }
        return TextRules.properCase(unescaped, acronyms: options.acronyms)
    }

    /// A short line of its own, without final punctuation, between paragraphs that end their
    /// sentences: a heading printed in mixed case (`From El Alto to La Paz`).
    static func isMixedCaseHeading(_ lines: [Line], _ i: Int) -> Bool {
        let t = lines[i].text
        guard t.count <= 120, !TextRules.endsSentence(t), !TextRules.isListItem(t),
              !TextRules.strippedTail(t).hasSuffix(","), let first = TextRules.strippedHead(t).first,
              first.isUppercase || first.isNumber || first == "“" || first == "\"",
              t.range(of: #"^(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}$"#,
                      options: .regularExpression) == nil,
              let lastWord = t.split(separator: " ").last,
              !TextRules.minorWords.contains(lastWord.lowercased())
        else { return false }
        let separatedBefore = i == 0 || lines[i].blanksBefore > 0
        let separatedAfter = i + 1 >= lines.count || lines[i + 1].blanksBefore > 0
        guard separatedBefore, separatedAfter else { return false }
        if i + 1 < lines.count, let n = TextRules.strippedHead(lines[i + 1].text).first,
           n.isLowercase || TextRules.isListItem(lines[i + 1].text) { return false }
        return i == 0 || TextRules.endsSentence(lines[i - 1].text) || TextRules.isCapitalHeading(lines[i - 1].text)
    }

    static func bodyBlocks(_ lines: [Line], options: ImportOptions) -> [String] {
        // A text whose headings are printed in capitals has no headings in mixed case.
        let capitalHeadings = lines.contains { TextRules.isCapitalHeading($0.text) }
        var blocks: [String] = []
        var lastWasParagraph = false
        for (i, line) in lines.enumerated() {
            let t = TextRules.unescape(line.text)
            if TextRules.isCapitalHeading(t) || (!capitalHeadings && isMixedCaseHeading(lines, i)) {
                blocks.append("## " + headingText(t, options: options))
                lastWasParagraph = false
                continue
            }
            let text = TextRules.superscriptsToReferences(t)
            if lastWasParagraph, line.blanksBefore > 0, let prev = blocks.last,
               TextRules.continuesParagraph(prev, text) {
                blocks[blocks.count - 1] = TextRules.join(prev, text)
                continue
            }
            blocks.append(text)
            lastWasParagraph = true
        }
        return blocks
    }

    /// `¹ Text` lines become `[^1]: Text`; a paragraph without a number continues the note
    /// before it: joined to it when the break was mid-sentence, else as an indented paragraph.
    static func noteDefinitions(_ lines: [Line]) -> [String] {
        var notes: [(label: Int, paragraphs: [String])] = []
        var loose: [String] = []
        for line in lines {
            let t = TextRules.unescape(line.text)
            if let (n, text) = TextRules.noteStart(t) {
                notes.append((n, [TextRules.superscriptsToReferences(text)]))
            } else if !notes.isEmpty {
                var paragraphs = notes[notes.count - 1].paragraphs
                let prev = paragraphs[paragraphs.count - 1]
                if !TextRules.endsSentence(prev) {
                    paragraphs[paragraphs.count - 1] = TextRules.join(prev, t)
                } else {
                    paragraphs.append(t)
                }
                notes[notes.count - 1].paragraphs = paragraphs
            } else {
                loose.append(t)
            }
        }
        return loose + notes.map { note in
            "[^\(note.label)]: " + note.paragraphs.joined(separator: "\n\n    ")
        }
    }
}
