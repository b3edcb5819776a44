import EditionKit
import Foundation

/// The source texts of Edition 29 (book/import/), read independently of EditionImport: the
/// tests define here, narrowly, what of them is page furniture, where each article of the
/// print edition starts, and where the notes are.
enum EditionSources {
    static let folder = TestSupport.repository.appendingPathComponent("book/import")

    /// Which articles of book.yaml each source text became, in reading order.
    static let mapping: [(source: String, articles: [String])] = [
        ("000_75f23ce1e274f683.txt", [
            "01-new-uprising-2026.md", "02-popular-rebellion-world-order.md",
            "03-revolutionary-cycle-to-mas.md", "04-ongoing-revolution-2003.md", "05-april-1952.md",
            "06-uprising-betrayed-1985.md", "07-chronology.md", "08-cob-leadership-betrays.md",
        ]),
        ("001_674cfd49f6f48e8f.txt", ["09-unfinished-revolution-2003.md"]),
        ("002_4ff61c02709701bd.txt", ["10-third-uprising-2004.md"]),
        ("003_4a46b843ed25f814.txt", ["11-1952-trotskyism-sagra.md"]),
        ("004_9044aaf5a609bc06.txt", ["12-insurrection-la-paz-2003.md"]),
    ]

    static let printEdition = "000_75f23ce1e274f683.txt"
    static let sagra = "003_4a46b843ed25f814.txt"

    /// Whole lines that are page furniture, compared after trimming white space. Nothing else
    /// is removed from the sources: a rule that matched words of an article would hide them.
    static let furnitureLines: Set<String> = [
        // 000: the magazine's name, set on two lines on the cover and again on the back
        // cover ("Post" / "INTERNATIONAL"), and the publisher's lines of the back cover.
        "Post",
        "INTERNATIONAL",
        "International Workers League - Fourth International",
        "Access the IWL-FI publications at:",
        "www.litci.org",
        // 000: the label above each article's notes; the EPUB makes its own "Notes" heading.
        "NOTES",
        // 001: the links at the foot of the web page it was copied from.
        "Return to LRP homepage | Write to the LRP",
        // 004: the web page's link to the Spanish original.
        "See the original in Spanish.",
    ]

    /// A line of a source file.
    struct Line {
        var number: Int
        var text: String
    }

    /// A note as the source prints it.
    struct Note {
        var number: Int
        var text: String
        var line: Int
        var words: [Word] { Words.tokens(in: EditionSources.markdownLinksAsText(text), line: line) }
    }

    /// The part of a source text that became one article.
    struct Segment {
        var source: String
        var article: String
        /// The article's text before its notes, furniture removed.
        var body: [Line]
        var notes: [Note]
        /// Text in a notes block before its first numbered note (none is expected).
        var unnumberedNoteText: [Line]

        var bodyWords: [Word] {
            body.flatMap { Words.tokens(in: EditionSources.markdownLinksAsText($0.text), line: $0.number) }
        }

        var noteWords: [Word] { notes.flatMap(\.words) }

        /// The note marks in the body, in reading order ("population²." → 2).
        var citations: [Int] {
            body.flatMap { line in EditionSources.superscriptNumbers(in: line.text) }
        }

        /// The first four non-empty lines: title, subtitle, byline or source line.
        var opening: [Line] { Array(body.filter { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(4)) }
    }

    /// A line of the printed table of contents of 000.
    struct ContentsEntry {
        var title: String
        var page: Int
    }

    static func lines(of source: String) throws -> [Line] {
        let text = try String(contentsOf: folder.appendingPathComponent(source), encoding: .utf8)
        return text.components(separatedBy: "\n").enumerated().map { Line(number: $0.offset + 1, text: $0.element) }
    }

    static func isFurniture(_ line: Line) -> Bool {
        furnitureLines.contains(line.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The sources are Markdown already: a link `[text](address)` reads as its text.
    static func markdownLinksAsText(_ text: String) -> String {
        text.replacing(/\[([^\]]*)\]\([^)\s]*\)/) { String($0.1) }
    }

    /// The numbers written in superscript digits, in order.
    static func superscriptNumbers(in text: String) -> [Int] {
        var numbers: [Int] = []
        var current: Int?
        for character in text {
            if let digit = Words.superscriptDigits[character] {
                current = (current ?? 0) * 10 + digit
            } else if let number = current {
                numbers.append(number)
                current = nil
            }
        }
        if let number = current { numbers.append(number) }
        return numbers
    }

    // MARK: - 000, the print edition

    /// The printed table of contents: lines "—<tab>TITLE<dot leaders><tab>PAGE". The third
    /// title is printed over three lines with the same page; lines with the same page are
    /// one entry.
    static func printedContents() throws -> [ContentsEntry] {
        var entries: [ContentsEntry] = []
        for line in try lines(of: printEdition) {
            guard let match = line.text.wholeMatch(of: /—\t(.+?)\.*\t(\d+)\s*/) else { continue }
            let title = String(match.1).trimmingCharacters(in: .whitespaces)
            let page = Int(match.2)!
            if let last = entries.last, last.page == page {
                entries[entries.count - 1].title += " " + title
            } else {
                entries.append(ContentsEntry(title: title, page: page))
            }
        }
        return entries
    }

    /// The eight articles of 000. The cover, the printed contents and the masthead come before
    /// the first article's title: all of it is furniture (the masthead's names and the ISSN
    /// are in book.yaml; the contents page is generated). Each article runs from its title,
    /// the line whose words are those of its entry in the printed contents, to the next
    /// article's title; its notes follow the line `NOTES`, each starting with its number in
    /// superscript digits (in article 3, from note 35 on, as a list item "- ³⁵ …"); a line
    /// without a number continues the note before it.
    static func printEditionSegments() throws -> [Segment] {
        let all = try lines(of: printEdition)
        let contents = try printedContents()
        let articles = mapping[0].articles
        guard contents.count == articles.count else {
            throw SetupError(message: "000's printed contents has \(contents.count) entries, not \(articles.count): \(contents.map(\.title))")
        }
        let lastContentsLine = all.lastIndex { $0.text.hasPrefix("—\t") } ?? 0
        var starts: [Int] = []
        var from = lastContentsLine + 1
        for entry in contents {
            let title = Words.normalized(entry.title)
            guard let start = all[from...].firstIndex(where: { Words.normalized($0.text) == title }) else {
                throw SetupError(message: "cannot find the title \"\(entry.title)\" in the text of 000 after line \(all[from].number)")
            }
            starts.append(start)
            from = start + 1
        }
        return articles.indices.map { index in
            let end = index + 1 < starts.count ? starts[index + 1] : all.count
            let lines = all[starts[index]..<end]
            let notesLabel = lines.firstIndex { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) == "NOTES" }
            let body = lines[..<(notesLabel ?? lines.endIndex)].filter { !isFurniture($0) }
            let noteLines = notesLabel.map { Array(lines[($0 + 1)...].filter { !isFurniture($0) }) } ?? []
            let (notes, unnumbered) = superscriptNotes(noteLines)
            return Segment(source: printEdition, article: articles[index], body: Array(body), notes: notes,
                           unnumberedNoteText: unnumbered)
        }
    }

    private static func superscriptNotes(_ lines: [Line]) -> ([Note], [Line]) {
        var notes: [Note] = []
        var unnumbered: [Line] = []
        for line in lines {
            var text = line.text.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text.hasPrefix("- ") { text.removeFirst(2) }
            let digits = text.prefix { Words.superscriptDigits[$0] != nil }
            if !digits.isEmpty {
                let number = digits.reduce(0) { $0 * 10 + Words.superscriptDigits[$1]! }
                notes.append(Note(number: number, text: text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces),
                                  line: line.number))
            } else if !notes.isEmpty {
                notes[notes.count - 1].text += " " + text
            } else {
                unnumbered.append(line)
            }
        }
        return (notes, unnumbered)
    }

    // MARK: - 001–004, the documents

    /// A document's source as one segment. The Sagra text (003) lost its note marks in
    /// extraction; its notes are the paragraphs "1 …", "2 …", … numbered in sequence from a
    /// paragraph "1 …" that the paragraph "2 …" follows, one paragraph each; the Pulacayo
    /// Theses come after them in the source and are body text.
    static func documentSegment(_ source: String) throws -> Segment {
        guard let article = mapping.first(where: { $0.source == source })?.articles.first else {
            throw SetupError(message: "no article for \(source)")
        }
        let all = try lines(of: source).filter { !isFurniture($0) }
        var notes: [Note] = []
        var noteLines = Set<Int>()
        if source == sagra {
            let paragraphs = all.indices.filter { !all[$0].text.trimmingCharacters(in: .whitespaces).isEmpty }
            func numbered(_ index: Int, _ number: Int) -> String? {
                let text = all[index].text.trimmingCharacters(in: .whitespaces)
                guard text.hasPrefix("\(number) ") else { return nil }
                return String(text.dropFirst("\(number) ".count))
            }
            if let first = paragraphs.indices.first(where: { position in
                numbered(paragraphs[position], 1) != nil && position + 1 < paragraphs.count
                    && numbered(paragraphs[position + 1], 2) != nil
            }) {
                var position = first
                while position < paragraphs.count, let text = numbered(paragraphs[position], notes.count + 1) {
                    notes.append(Note(number: notes.count + 1, text: text, line: all[paragraphs[position]].number))
                    noteLines.insert(paragraphs[position])
                    position += 1
                }
            }
        }
        var body = all.indices.filter { !noteLines.contains($0) }.map { all[$0] }
        if source == sagra {
            // The reference marks that survived extraction read "(5)" in the text: a number in
            // brackets that names one of the notes. They are marks, as superscripts are in 000.
            let numbers = Set(notes.map(\.number))
            for index in body.indices {
                body[index].text = body[index].text.replacing(/\ ?\((\d{1,2})\)/) { match in
                    guard let number = Int(match.1), numbers.contains(number) else { return String(match.0) }
                    return superscript(number)
                }
            }
        }
        return Segment(source: source, article: article, body: body, notes: notes, unnumberedNoteText: [])
    }

    static func superscript(_ number: Int) -> String {
        let digits = Dictionary(uniqueKeysWithValues: Words.superscriptDigits.map { ($0.value, $0.key) })
        return String(String(number).map { digits[Int(String($0))!]! })
    }

    /// Every segment, in the reading order of the book.
    static func allSegments() throws -> [Segment] {
        try printEditionSegments() + mapping.dropFirst().map { try documentSegment($0.source) }
    }

    /// Every segment with the editors' corrections (book.yaml `corrections:`) applied: each
    /// replaced text must occur exactly once in its article's segment, compared without regard
    /// to case (000 prints bylines in capitals). Additions (`was` empty) have no place in the
    /// source; they come back as word runs the edition may add, once each.
    static func correctedSegments(_ corrections: [Correction]) throws -> (segments: [Segment], additions: [String: [[String]]]) {
        var segments = try allSegments()
        var additions: [String: [[String]]] = [:]
        for correction in corrections {
            guard !correction.was.isEmpty else {
                additions[correction.file, default: []].append(Words.normalized(correction.now))
                continue
            }
            guard let index = segments.firstIndex(where: { $0.article == correction.file }) else {
                throw SetupError(message: "correction of \(correction.file): no such article")
            }
            var found = 0
            func apply(_ text: inout String) {
                let ranges = text.ranges(of: correction.was, options: .caseInsensitive)
                found += ranges.count
                for range in ranges.reversed() { text.replaceSubrange(range, with: correction.now) }
            }
            for line in segments[index].body.indices { apply(&segments[index].body[line].text) }
            for note in segments[index].notes.indices { apply(&segments[index].notes[note].text) }
            guard found == 1 else {
                throw SetupError(message: "correction \"\(correction.was)\" occurs \(found) times in the source of \(correction.file), not once")
            }
        }
        return (segments, additions)
    }
}

extension String {
    /// Every range of `needle`, not overlapping, in order.
    func ranges(of needle: String, options: String.CompareOptions) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = startIndex
        while start < endIndex, let range = range(of: needle, options: options, range: start..<endIndex) {
            result.append(range)
            start = range.upperBound
        }
        return result
    }
}
