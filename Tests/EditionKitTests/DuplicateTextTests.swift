@testable import EditionKit
import Foundation
import XCTest

/// The check for repeated text (text-duplicate), which compares passages through an index of
/// their rarest word pairs, finds exactly what comparing every pair of passages finds: the
/// same passages, the same earliest match, the same likeness, on book/ and on texts made to
/// test the edges.
final class DuplicateTextTests: XCTestCase {
    /// `line:column message` for each finding of the check on an article with this body.
    private func findings(_ body: String, title: String = "An Article", lineOffset: Int = 3) -> [String] {
        var article = Article(id: "art", file: "art.md", title: [.text(title)], subtitle: nil, authors: [], source: nil,
                              date: nil, language: nil, printPage: nil, body: [], notes: [],
                              location: SourceLocation(file: "art.md", line: 1))
        article.bodyText = body
        article.bodyLineOffset = lineOffset
        return Self.summary(DuplicateText(article: article).check())
    }

    private static func summary(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.message)" }
    }

    // MARK: The edition

    /// book/'s articles: the repetitions book.yaml acknowledges, and nothing else.
    func testBookFindsTheAcknowledgedRepetitionsOnly() throws {
        let book = try TestSupport.load(TestSupport.repository.appendingPathComponent("book"))
        var found: [String] = []
        for article in book.articles {
            XCTAssertFalse(article.bodyText.isEmpty, "\(article.file): the loader keeps the body's Markdown")
            found += Self.summary(DuplicateText(article: article).check()).map { "\(article.file):\($0)" }
        }
        XCTAssertEqual(found, [
            // The 2005 section recalls the 2003 repression in the words the 2003 section used.
            "03-revolutionary-cycle-to-mas.md:103:443 this sentence repeats one at line 83",
            // Alicia Sagra's text starts under its own title, after the editors' introduction.
            "11-1952-trotskyism-sagra.md:34:4 this heading repeats the article's title",
        ])
    }

    /// On every article of book/, the same findings as comparing every pair of passages.
    func testBookMatchesComparingEveryPair() throws {
        let book = try TestSupport.load(TestSupport.repository.appendingPathComponent("book"))
        XCTAssertGreaterThan(book.articles.count, 10)
        for article in book.articles {
            XCTAssertEqual(Self.summary(DuplicateText(article: article).check()),
                           ReferenceDuplicateText.findings(body: article.bodyText, lineOffset: article.bodyLineOffset,
                                                           title: article.plainTitle), article.file)
        }
    }

    /// book/'s articles with passages copied into other places, a word changed, dropped or
    /// added, sentences moved into other paragraphs: near the threshold from both sides.
    func testEditedCopiesMatchComparingEveryPair() throws {
        let book = try TestSupport.load(TestSupport.repository.appendingPathComponent("book"))
        var random = Generator(seed: 7)
        var total = 0
        for article in book.articles {
            for round in 0..<3 {
                var blocks = article.bodyText.components(separatedBy: "\n\n")
                for _ in 0..<8 {
                    var copy = blocks[random.below(blocks.count)].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                    for _ in 0..<random.below(4) where copy.count > 2 {
                        let at = random.below(copy.count)
                        switch random.below(4) {
                        case 0: copy[at] = "changed"
                        case 1: copy.remove(at: at)
                        case 2: copy.insert("inserted", at: at)
                        default: copy.insert(contentsOf: ["and", "so", "it", "went."], at: at)
                        }
                    }
                    var text = copy.joined(separator: " ")
                    if random.below(3) == 0 {
                        // A copied sentence inside another paragraph.
                        let host = blocks[random.below(blocks.count)]
                        text = round == 2 ? text + " " + host : host + " " + text
                    }
                    blocks.insert(text, at: random.below(blocks.count + 1))
                }
                let body = blocks.joined(separator: "\n\n")
                let expected = ReferenceDuplicateText.findings(body: body, lineOffset: 3, title: article.plainTitle)
                XCTAssertEqual(findings(body, title: article.plainTitle), expected, "\(article.file), round \(round)")
                total += expected.count
            }
        }
        // The copies are found: the comparison is not between two empty lists.
        XCTAssertGreaterThan(total, 100)
    }

    // MARK: Cases

    private let march = "The march left El Alto at dawn and reached the square before noon led by the miners of Huanuni today."

    /// One word changed in a paragraph of 20 words: 17 of 21 word pairs shared.
    func testANearRepeatWithOneWordChanged() {
        let changed = march.replacingOccurrences(of: "dawn", with: "sunrise")
        XCTAssertEqual(findings("\(march)\n\n\(changed)\n"), ["6:1 this paragraph nearly repeats (80% alike) the one at line 4"])
        // Of 12 words, one changed leaves 9 of 13 pairs: not alike enough.
        let capital = "Nobody in the government expected so many miners to reach the capital."
        XCTAssertEqual(findings("\(capital)\n\n\(capital.replacingOccurrences(of: "many", with: "few"))\n"), [])
    }

    /// A later paragraph like two earlier ones names the earliest, with how alike they are.
    func testTheEarliestMatchIsNamed() {
        let changed = march.replacingOccurrences(of: "dawn", with: "sunrise")
        XCTAssertEqual(findings("\(march)\n\n\(changed)\n\n\(changed)\n"), [
            "6:1 this paragraph nearly repeats (80% alike) the one at line 4",
            "8:1 this paragraph nearly repeats (80% alike) the one at line 4",
        ])
        XCTAssertEqual(findings("\(changed)\n\n\(march)\n\n\(changed)\n"), [
            "6:1 this paragraph nearly repeats (80% alike) the one at line 4",
            "8:1 this paragraph repeats the one at line 4",
        ])
    }

    /// A sentence repeated with a clause added: the shorter held in the longer.
    func testASentenceContainedInALongerOne() {
        let body = """
        Prices rose again. The ministry had promised that bread would cost the same all winter.

        Nobody believed it. The ministry had promised that bread would cost the same all winter, as it had in May.

        """
        XCTAssertEqual(findings(body), ["6:21 this sentence repeats the words of one at line 4"])
    }

    /// Headings that repeat the title, whatever their emphasis and citations; not level 1.
    func testAHeadingThatRepeatsTheTitle() {
        let body = "Some text.\n\n## A Day in *La Paz*\n\n### A day in La Paz[^1]\n\n# A Day in La Paz\n\n## A Day in El Alto\n"
        XCTAssertEqual(findings(body, title: "A Day in La Paz"), [
            "6:4 this heading repeats the article's title",
            "8:5 this heading repeats the article's title",
        ])
    }

    /// Thousands of different paragraphs: no finding; two planted copies, far apart, found.
    func testALongArticleOfDifferentParagraphs() throws {
        var paragraphs = Self.distinctParagraphs(3_000)
        XCTAssertEqual(findings(paragraphs.joined(separator: "\n\n")), [])
        // A paragraph whose first sentence is long enough to compare, copied whole, and its
        // first sentence with a clause added, after another sentence.
        let planted = try XCTUnwrap((100..<200).first { paragraphs[$0].components(separatedBy: ". ")[0].split(separator: " ").count >= 10 })
        let sentence = paragraphs[planted].components(separatedBy: ". ")[0]
        paragraphs[2_500] = paragraphs[planted]
        paragraphs[2_900] = "Nobody had expected it. \(sentence), as everyone in the city had known since the day before."
        XCTAssertEqual(findings(paragraphs.joined(separator: "\n\n")), [
            "\(4 + 2 * 2_500):1 this paragraph repeats the one at line \(4 + 2 * planted)",
            "\(4 + 2 * 2_900):25 this sentence repeats the words of one at line \(4 + 2 * planted)",
        ])
        // And the same as comparing every pair, on a shorter one.
        var short = Array(paragraphs.prefix(300))
        short[250] = short[10]
        short[280] = short[20].replacingOccurrences(of: "a", with: "o")
        let body = short.joined(separator: "\n\n")
        XCTAssertEqual(findings(body), ReferenceDuplicateText.findings(body: body, lineOffset: 3, title: "An Article"))
    }

    /// Markdown's edges: quotes, lists, notes and their continuations, fences, links and
    /// citations, non-breaking spaces, accents, combining marks, quoted sentence starts.
    func testMarkdownEdgesMatchComparingEveryPair() {
        let blocks = [
            "> > The assembly met in the union hall and voted to continue the strike until the end of the month.",
            "1) The assembly met in the union hall and voted to continue the strike until the end of the month!",
            "10. ¿Qué pasó? Él dijo: “The assembly met in the union hall and voted to continue the strike until the end.” Then silence.",
            "- [The assembly](http://example.org/a. B) met in the union hall[^3] and voted to continue the strike until June.",
            "[^3]: The assembly met in the union hall and voted to continue the strike until the end of the month.\n    It met again in the union hall and voted to continue the strike until the end of the month.",
            "```\nThe assembly met in the union hall and voted to continue the strike until the end of the month.\n```",
            "   The assembly met in the union hall and voted to continue the strike until the end of the month.",
            "####### The assembly met in the union hall and voted to continue the strike until the end of the month.",
            "#The assembly met in the union hall and voted to continue the strike until the end of the month.",
            "The asse\u{301}mbly met in the u\u{308}nion hall and voted to continue the İstanbul strike until the end of the month.",
            "The ASSEMBLY met in the union hall\u{A0}and voted to continue the strike until the end of the month.\u{A0}Then it left.",
            "Text.  “Él repitió que the assembly met in the union hall and voted to continue the strike until the end of the month.”",
            "(Ñandutí.) Ángel said the assembly met in the union hall and voted to continue the strike, 2003–2005, until the end.",
            "\u{A0}\u{A0}",
            "~~~ text\nnot read\n~~~",
            "> The assembly met in the union hall 🇧🇴 and voted to continue the strike until the end of the month 👍🏽.",
            "* + The assembly met in the union hall and voted to continue the strike until the end of the month.",
            "1234567890. The assembly met in the union hall and voted to continue the strike until the end of the month.",
        ]
        var random = Generator(seed: 11)
        var total = 0
        for round in 0..<40 {
            var chosen: [String] = []
            for _ in 0..<(4 + random.below(10)) { chosen.append(blocks[random.below(blocks.count)]) }
            let separator = round % 3 == 0 ? "\n" : "\n\n"
            let body = chosen.joined(separator: separator)
            let expected = ReferenceDuplicateText.findings(body: body, lineOffset: 3, title: "An Article")
            XCTAssertEqual(findings(body), expected, "round \(round):\n\(body)")
            total += expected.count
        }
        XCTAssertGreaterThan(total, 40)
    }

    /// Lines ending in CR LF read as lines (the old check, on Swift characters, saw such a
    /// body as one line): the findings of the same text with LF.
    func testCRLFLinesAreLines() {
        let changed = march.replacingOccurrences(of: "dawn", with: "sunrise")
        let body = "\(march)\n\n\(changed)\n\n## An Article\n"
        XCTAssertEqual(findings(body.replacingOccurrences(of: "\n", with: "\r\n")), findings(body))
        XCTAssertEqual(findings(body).count, 2)
    }

    /// The tables that number words and word pairs give one id to each distinct string or
    /// pair, in the order first seen, through their growth: strings of every length around
    /// the eight bytes a slot holds, with zero bytes, prefixes of one another, and many
    /// sharing a hash's slot.
    func testWordAndPairTablesNumberWhatTheyMeet() {
        var random = Generator(seed: 11)
        var table = DuplicateText.ByteTable()
        var expected: [[UInt8]: Int32] = [:]
        for _ in 0..<60_000 {
            let length = random.below(19)
            // A small alphabet with a zero byte: many strings recur, many are prefixes of others.
            let bytes = (0..<length).map { _ in [0, 0x61, 0x62, 0xC3, 0xA9][random.below(5)] as UInt8 }
            let (id, isNew) = bytes.withUnsafeBufferPointer { table.insert($0) }
            if let known = expected[bytes] {
                XCTAssertEqual([id], [known], "\(bytes)")
                XCTAssertFalse(isNew)
            } else {
                XCTAssertEqual(Int(id), expected.count, "\(bytes): numbered in the order first seen")
                XCTAssertTrue(isNew)
                expected[bytes] = id
            }
        }
        XCTAssertGreaterThan(expected.count, 20_000, "the table grew many times")

        var pairs = DuplicateText.PairTable(capacity: 10)
        var expectedPairs: [UInt64: Int32] = [:]
        for _ in 0..<50_000 {
            let key = UInt64(random.below(300)) << 32 | UInt64(random.below(300))
            let (id, isNew) = pairs.id(key)
            XCTAssertEqual(id, expectedPairs[key] ?? Int32(expectedPairs.count))
            XCTAssertEqual(isNew, expectedPairs[key] == nil)
            if isNew { expectedPairs[key] = id }
        }
        XCTAssertEqual(pairs.count, expectedPairs.count)
        XCTAssertGreaterThan(pairs.count, 4096, "past the table's first size")
    }

    // MARK: Helpers

    /// Paragraphs of two to four sentences of words drawn from a few hundred: no two alike.
    static func distinctParagraphs(_ count: Int) -> [String] {
        let vocabulary = """
        miners march square dawn noon government strike union assembly city avenue crowd police army road
        bridge market school church council leader worker peasant student teacher mother father child river
        mountain village valley mine tin gas oil water bread salt coca wool llama radio newspaper letter
        decree law vote election congress senate minister president party front league committee federation
        """.split(whereSeparator: \.isWhitespace).map(String.init)
        let small = ["the", "a", "of", "in", "and", "to", "with", "from", "by", "for", "on", "at", "as", "was", "were",
                     "had", "said", "saw", "took", "left", "held", "met", "came", "went", "called", "asked"]
        let words = vocabulary + small
        var random = Generator(seed: 3)
        return (0..<count).map { _ in
            (0..<(2 + random.below(3))).map { _ in
                let sentence = (0..<(8 + random.below(12))).map { _ in words[random.below(words.count)] }
                return sentence[0].prefix(1).uppercased() + sentence[0].dropFirst() + " " + sentence.dropFirst().joined(separator: " ") + "."
            }.joined(separator: " ")
        }
    }

    /// A small deterministic generator (SplitMix64): the same texts on every run.
    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }
}

/// The check as it was before the index: every passage against every earlier one sharing a
/// word pair, on Swift strings and regular expressions. Slow (quadratic in an article's
/// length), but plainly what the check means; kept here only to compare with.
enum ReferenceDuplicateText {
    static let paragraphMinimum = 12
    static let sentenceMinimum = 10
    static let threshold = 0.8

    struct Passage {
        var words: [String]
        var line: Int
        var column: Int
        var paragraph: Int
    }

    /// `line:column message` for each finding, in the order the check reports them.
    static func findings(body: String, lineOffset: Int, title: String) -> [String] {
        let (paragraphs, sentences, headings) = passages(body, lineOffset: lineOffset)
        var result: [String] = []
        var reportedParagraphs = Set<Int>()
        for (later, earlier, likeness) in pairs(paragraphs.filter { $0.words.count >= paragraphMinimum }) {
            reportedParagraphs.insert(later.paragraph)
            reportedParagraphs.insert(earlier.paragraph)
            result.append("\(later.line):\(later.column) this paragraph \(DuplicateText.describe(likeness)) the one at line \(earlier.line)")
        }
        for (later, earlier, likeness) in pairs(sentences.filter { $0.words.count >= sentenceMinimum }, contained: true)
        where !(reportedParagraphs.contains(later.paragraph) && reportedParagraphs.contains(earlier.paragraph)) {
            result.append("\(later.line):\(later.column) this sentence \(DuplicateText.describe(likeness)) one at line \(earlier.line)")
        }
        let titleWords = words(title)
        for heading in headings where heading.words == titleWords {
            result.append("\(heading.line):\(heading.column) this heading repeats the article's title")
        }
        return result
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
