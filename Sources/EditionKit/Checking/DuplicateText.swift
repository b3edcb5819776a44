import Foundation

/// Finds text an article says twice: paragraphs and sentences repeated word for word or
/// nearly (a word changed, "has shaken" and "have shaken"), and headings that repeat the
/// article's title. Extraction and copy-and-paste leave such doubles; an editor decides
/// whether to keep them. Reads the article's Markdown, so every finding has its line.
struct DuplicateText {
    /// Passages shorter than this (in words) are not compared: "See note 4." may recur.
    static let paragraphMinimum = 12
    static let sentenceMinimum = 10
    /// How alike two passages must be (shared word pairs over all of them) to be reported.
    static let threshold = 0.8

    struct Passage {
        var words: [String]
        var line: Int
        var column: Int
        var paragraph: Int
    }

    let article: Article

    func check() -> [Diagnostic] {
        guard let text = FileManager.default.contents(atPath: article.location.file).flatMap({ String(data: $0, encoding: .utf8) })
        else { return [] }
        let split = FrontMatter.split(text)
        let (paragraphs, sentences, headings) = Self.passages(split.body, lineOffset: split.bodyLineOffset)
        let file = article.location.file
        var result: [Diagnostic] = []
        var reportedParagraphs = Set<Int>()
        for (later, earlier, likeness) in Self.pairs(paragraphs.filter { $0.words.count >= Self.paragraphMinimum }) {
            reportedParagraphs.insert(later.paragraph)
            reportedParagraphs.insert(earlier.paragraph)
            result.append(.warning(.textDuplicate, "this paragraph \(Self.describe(likeness)) the one at line \(earlier.line)",
                                   at: SourceLocation(file: file, line: later.line, column: later.column),
                                   hint: "keep one, or acknowledge the repetition in book.yaml with the reason"))
        }
        let longSentences = sentences.filter { $0.words.count >= Self.sentenceMinimum }
        for (later, earlier, likeness) in Self.pairs(longSentences, contained: true)
        where !(reportedParagraphs.contains(later.paragraph) && reportedParagraphs.contains(earlier.paragraph)) {
            result.append(.warning(.textDuplicate, "this sentence \(Self.describe(likeness)) one at line \(earlier.line)",
                                   at: SourceLocation(file: file, line: later.line, column: later.column),
                                   hint: "keep one, or acknowledge the repetition in book.yaml with the reason"))
        }
        let title = Self.words(article.plainTitle)
        for heading in headings where heading.words == title {
            result.append(.warning(.textDuplicate, "this heading repeats the article's title",
                                   at: SourceLocation(file: file, line: heading.line, column: heading.column),
                                   hint: "a heading names a section; mark what comes before it (an introduction?) instead"))
        }
        return result
    }

    static func describe(_ likeness: Double) -> String {
        likeness >= 1 ? "repeats" : likeness == 0 ? "repeats the words of"
            : "nearly repeats (\(Int((likeness * 100).rounded(.down)))% alike)"
    }

    /// Every later passage alike enough to an earlier one, with the earliest such and how alike.
    static func pairs(_ passages: [Passage], contained: Bool = false) -> [(Passage, Passage, Double)] {
        var index: [String: [Int]] = [:]
        var shingles: [Set<String>] = []
        var result: [(Passage, Passage, Double)] = []
        for (position, passage) in passages.enumerated() {
            let own = Set(passage.words.indices.dropLast(1).map { passage.words[$0..<($0 + 2)].joined(separator: " ") })
            shingles.append(own)
            var shared: [Int: Int] = [:]
            for shingle in own { for other in index[shingle] ?? [] { shared[other, default: 0] += 1 } }
            let best = shared.compactMap { other, count -> (Int, Double)? in
                if passages[other].words == passage.words { return (other, 1) }
                let likeness = Double(count) / Double(own.count + shingles[other].count - count)
                if likeness >= threshold { return (other, likeness) }
                // One passage inside the other: a sentence repeated with a clause added.
                let shorter = min(own.count, shingles[other].count)
                if contained, Double(count) / Double(shorter) >= 0.9 { return (other, 0) }
                return nil
            }.min { $0.0 < $1.0 }
            if let (other, likeness) = best { result.append((passage, passages[other], likeness)) }
            for shingle in own { index[shingle, default: []].append(position) }
        }
        return result
    }

    /// Lower-case words, letters and digits only.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// The body's paragraphs (list items, quotes and note definitions each count as one),
    /// their sentences, and the headings.
    static func passages(_ body: String, lineOffset: Int) -> ([Passage], [Passage], [Passage]) {
        var paragraphs: [Passage] = [], sentences: [Passage] = [], headings: [Passage] = []
        var current: [(line: Int, column: Int, text: String)] = []
        var fenced = false
        var inNote = false
        func flush() {
            guard let first = current.first else { return }
            let number = paragraphs.count
            let joined = current.map(\.text).joined(separator: " ")
            paragraphs.append(Passage(words: words(clean(joined)), line: first.line, column: first.column, paragraph: number))
            // Sentences: split after . ! ? (and a closing quote or bracket) before a capital.
            for part in current {
                var start = part.text.startIndex
                let text = part.text
                for match in text.matches(of: /[.!?][”"’)\]]*\s+(?=[“"‘(]?[A-Z0-9ÁÉÍÓÚÑ])/) {
                    let sentence = String(text[start..<match.range.upperBound])
                    sentences.append(Passage(words: words(clean(sentence)), line: part.line,
                                             column: part.column + text[text.startIndex..<start].utf8.count, paragraph: number))
                    start = match.range.upperBound
                }
                if start < text.endIndex {
                    sentences.append(Passage(words: words(clean(String(text[start...]))), line: part.line,
                                             column: part.column + text[text.startIndex..<start].utf8.count, paragraph: number))
                }
            }
            current = []
        }
        for (offset, raw) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = offset + lineOffset + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fenced.toggle(); flush(); continue }
            if fenced { continue }
            if trimmed.isEmpty { flush(); continue }
            // A block's markers (heading, quote, list item, note definition) start a new block.
            var text = Substring(raw)
            let indent = text.prefix { $0 == " " || $0 == "\t" }.count
            text = text.dropFirst(indent)
            // Note definitions are not compared: notes repeat a source's reference on purpose.
            if text.prefixMatch(of: /\[\^[^\]]+\]:/) != nil { flush(); inNote = true; continue }
            if inNote, indent > 0 { continue }
            inNote = false
            if let marker = text.prefixMatch(of: /(#{1,6} |>\s?|[-*+] |\d{1,9}[.)] )+/) {
                let isHeading = text.hasPrefix("#")
                flush()
                let rest = String(text[marker.range.upperBound...])
                let column = indent + text[text.startIndex..<marker.range.upperBound].utf8.count + 1
                if isHeading {
                    // A level-1 heading inside an article is an error of its own.
                    if text.hasPrefix("##") {
                        headings.append(Passage(words: words(clean(rest)), line: line, column: column, paragraph: -1))
                    }
                    continue
                }
                current.append((line, column, rest))
            } else {
                current.append((line, indent + 1, String(text)))
            }
        }
        flush()
        return (paragraphs, sentences, headings)
    }

    /// Without note citations, link addresses and emphasis marks.
    static func clean(_ text: String) -> String {
        text.replacing(/\[\^[^\]]+\]/, with: " ").replacing(/\]\([^)]*\)/, with: "]")
    }
}
