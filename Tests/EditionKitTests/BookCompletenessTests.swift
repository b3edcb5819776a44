import EditionKit
import Foundation
import XCTest

/// Proves that the EPUB of book/ holds the whole text of its sources (book/import/): every
/// source's words, less page furniture, must be found in the built EPUB's article documents
/// in order; and that the EPUB adds little that is not in them. Also checks the contents page
/// against the printed one and runs EPUBCheck on the edition.
final class BookCompletenessTests: BuiltEditionTestCase {

    // MARK: - The EPUB

    func testTheEditionPassesEPUBCheckWithoutErrorsOrWarnings() throws {
        try EPUBCheck.assertValid(try edition.epub)
    }

    func testTheSpineHasBothPartsInTheOrderOfBookYAML() throws {
        let edition = try edition
        let yaml = try String(contentsOf: BuiltEdition.bookFolder.appendingPathComponent("book.yaml"), encoding: .utf8)
        // The article files as book.yaml lists them, read from the file itself.
        let files = yaml.matches(of: /(?m)^\s+- (\S+\.md)\s*$/).map { String($0.1) }
        XCTAssertEqual(files, EditionSources.mapping.flatMap(\.articles), "book.yaml's parts")
        XCTAssertEqual(edition.book.parts.map(\.articles.count), [8, 4])
        XCTAssertEqual(edition.book.parts.map(\.title), [nil, "Documents"])

        let documents = try files.map { try edition.article($0).entryName }
        let positions = documents.map { name in edition.spine.firstIndex { $0.name == name }! }
        XCTAssertEqual(positions, positions.sorted(), "the articles are in the spine in book.yaml's order")
        XCTAssertEqual(Set(documents).count, 12, "one document per article")
        // Between the two parts, the page of part two carries its title.
        let between = edition.spine[(positions[7] + 1)..<positions[8]]
        XCTAssertTrue(between.contains { Words.normalized($0.root.text()) .contains("documents") },
                      "a page titled Documents opens part two: \(between.map(\.name))")
    }

    // MARK: - Completeness

    /// Each source, less furniture, against the article documents it became: its words in
    /// order (≥ 99.9% per source and per article once book.yaml's corrections are applied to the source, and no missing word outside the lines the header stands for),
    /// and few words that are not in it. The article's text and its notes are aligned
    /// separately: the EPUB puts the notes at the end of the article, while the Sagra text
    /// has the Pulacayo Theses after them.
    func testEverySourceTextIsInTheEPUBInOrder() throws {
        let measures = try ArticleCompleteness.measure(try edition)
        XCTAssertEqual(measures.map(\.segment.article), EditionSources.mapping.flatMap(\.articles))
        var report: [String] = []
        for measure in measures {
            XCTAssertGreaterThan(measure.body.source.count, 500, "\(measure.segment.article): the source segment is too short to be the article")
            report.append("  \(measure.segment.source) → \(measure.segment.article): \(ArticleCompleteness.percent(measure.coverage)) "
                + "(\(measure.matched) of \(measure.words) words; notes \(measure.notes.matchedCount) of \(measure.notes.source.count))"
                + (measure.missingDescription.isEmpty ? "" : "\n" + measure.missingDescription))
            for problem in measure.missingProblems { XCTFail(problem) }
        }
        for (source, _) in EditionSources.mapping {
            let parts = measures.filter { $0.segment.source == source }
            let matched = parts.reduce(0) { $0 + $1.matched }, words = parts.reduce(0) { $0 + $1.words }
            let coverage = Double(matched) / Double(max(words, 1))
            report.append("  \(source): \(ArticleCompleteness.percent(coverage)) of \(words) words found in order")
            XCTAssertGreaterThanOrEqual(coverage, ArticleCompleteness.requiredCoverage, "\(source): \(ArticleCompleteness.percent(coverage)) found in order")
        }
        print("Completeness of the EPUB against book/import/:\n" + report.joined(separator: "\n"))
    }

    func testTheEPUBAddsLittleThatIsNotInTheSources() throws {
        var report: [String] = []
        for measure in try ArticleCompleteness.measure(try edition) {
            report.append("  \(measure.segment.article): \(measure.extra) of \(measure.counted) words not in \(measure.segment.source) "
                + "(\(ArticleCompleteness.percent(measure.extraShare)))"
                + (measure.extraDescription.isEmpty ? "" : "\n" + measure.extraDescription))
            for problem in measure.extraProblems { XCTFail(problem) }
        }
        print("Words of the EPUB that are not in the sources:\n" + report.joined(separator: "\n"))
    }

    /// The measure fails on a copy of the book that lost a sentence, gained one and lost a
    /// note's words: far less than 0.5% of their articles, but runs of several words.
    func testTheMeasureFindsALostSentenceAnInventedOneAndAShortenedNote() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let copy = folder.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: BuiltEdition.bookFolder.path) where name != "import" {
            try FileManager.default.copyItem(at: BuiltEdition.bookFolder.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        func edit(_ file: String, _ change: (String) -> String) throws {
            let url = copy.appendingPathComponent(file)
            let before = try String(contentsOf: url, encoding: .utf8)
            let after = change(before)
            XCTAssertNotEqual(before, after, "the edit of \(file) changed nothing")
            try after.write(to: url, atomically: true, encoding: .utf8)
        }
        // A sentence of 8 words in a 7,000-word article: 0.1%.
        let lost = "In less than five years, several governments fell."
        try edit("03-revolutionary-cycle-to-mas.md") { $0.replacingOccurrences(of: " " + lost, with: "") }
        let invented = "Nobody in La Paz had ever seen such a crowd before that morning."
        try edit("10-third-uprising-2004.md") { $0.replacingOccurrences(of: "This has been the experience", with: invented + " This has been the experience") }
        try edit("02-popular-rebellion-world-order.md") { $0.replacingOccurrences(of: "Complutense University of Madrid, ", with: "") }

        let edition = try BuiltEdition.make(book: copy)
        defer { edition.remove() }
        let problems = try ArticleCompleteness.measure(edition).flatMap(\.problems)
        print("The measure on a damaged copy of the book:\n" + problems.joined(separator: "\n"))
        // Each damage is found in its article, and nothing else (an article may report its
        // damage twice: too little found in order, and the run that is missing).
        XCTAssertEqual(Set(problems.map { String($0.prefix(3)) }), ["03-", "10-", "02-"], problems.joined(separator: "\n"))
        XCTAssertTrue(problems.contains { $0.hasPrefix("03-") && $0.contains("[In less than five years several governments fell]") },
                      problems.joined(separator: "\n"))
        XCTAssertTrue(problems.contains { $0.hasPrefix("10-") && $0.contains("not in the source") && $0.contains("[Nobody in La Paz had ever seen such a crowd before that morning]") },
                      problems.joined(separator: "\n"))
        XCTAssertTrue(problems.contains { $0.hasPrefix("02-") && $0.contains("[Complutense University of Madrid]") },
                      problems.joined(separator: "\n"))
    }

    /// The furniture rules and the alignment are themselves tested, so that a rule that
    /// removed too much or an alignment that matched too easily would show.
    func testTheFurnitureRulesRemoveOnlyFurniture() throws {
        let all = try EditionSources.mapping.map { try EditionSources.lines(of: $0.source) }
        let removed = all.flatMap { $0.filter(EditionSources.isFurniture) }
        // Every rule matches at least one line, and only whole lines of at most a few words.
        for rule in EditionSources.furnitureLines {
            XCTAssertTrue(removed.contains { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) == rule }, "rule \"\(rule)\" matches nothing")
        }
        XCTAssertTrue(removed.allSatisfy { Words.normalized($0.text).count <= 8 }, "\(removed.map(\.text))")
        // NOTES: once for each of the four articles of 000 with notes.
        let print = try EditionSources.lines(of: EditionSources.printEdition)
        XCTAssertEqual(print.filter { $0.text.trimmingCharacters(in: .whitespaces) == "NOTES" }.count, 4)

        let segments = try EditionSources.printEditionSegments()
        XCTAssertEqual(segments.count, 8)
        // Each article starts with its printed title and nothing of the cover is left.
        let contents = try EditionSources.printedContents()
        for (segment, entry) in zip(segments, contents) {
            XCTAssertEqual(Words.normalized(segment.body.first?.text ?? ""), Words.normalized(entry.title))
        }
        let first = try XCTUnwrap(segments.first?.body.first)
        XCTAssertFalse(segments.flatMap(\.body).contains { $0.number < first.number })
        XCTAssertFalse(segments.flatMap(\.bodyWords).contains { $0.text == "issn" }, "the ISSN line is cover furniture")
    }

    func testTheAlignmentFindsWhatIsMissingAndWhatIsAdded() {
        let source = Words.tokens(in: "One two three four five six seven eight nine ten eleven twelve.")
        let target = Words.tokens(in: "One two three five six SEVEN, eight — nine ten twelve thirteen")
        let alignment = WordAlignment(source: source, target: target)
        XCTAssertEqual(alignment.matchedCount, 10)
        XCTAssertEqual(WordAlignment.runs(alignment.sourceMatched).map { Array($0) }, [[3], [10]])
        XCTAssertEqual(WordAlignment.runs(alignment.targetMatched), [10..<11])
        XCTAssertTrue(alignment.missingRuns().contains("[four]"), alignment.missingRuns())
        // Order matters: a moved block is missing where it was.
        let moved = WordAlignment(source: Words.tokens(in: "a b c d e f g h"), target: Words.tokens(in: "e f g h a b c d"))
        XCTAssertEqual(moved.matchedCount, 4)
        // Repeated words only (no unique anchor, no common prefix or suffix) go through
        // Myers' diff: the longest common subsequence of (a b)×50 and (b a)×50 has 99 words.
        let repeated = WordAlignment(source: Words.tokens(in: String(repeating: "a b ", count: 50)),
                                     target: Words.tokens(in: String(repeating: "b a ", count: 50)))
        XCTAssertEqual(repeated.matchedCount, 99)
        XCTAssertEqual(WordAlignment.runs(repeated.sourceMatched).reduce(0) { $0 + $1.count }, 1)
    }

    /// On random texts the alignment pairs equal words in order, and where no word is unique
    /// (three-letter alphabet), so that Myers' diff does all the work, it finds a longest
    /// common subsequence, which a plain dynamic programme computes for comparison.
    func testTheAlignmentIsInOrderAndFindsALongestCommonSubsequence() {
        var seed: UInt64 = 29
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        for round in 0..<200 {
            let alphabet = round < 100 ? 3 : 40
            let a = (0..<(20 + next(60))).map { _ in "w\(next(alphabet))" }
            let b = (0..<(20 + next(60))).map { _ in "w\(next(alphabet))" }
            let alignment = WordAlignment(source: Words.tokens(in: a.joined(separator: " ")),
                                          target: Words.tokens(in: b.joined(separator: " ")))
            let targets = alignment.targetOfSource.enumerated().compactMap { index, target in target.map { (index, $0) } }
            XCTAssertEqual(targets.count, alignment.matchedCount)
            XCTAssertTrue(targets.allSatisfy { a[$0.0] == b[$0.1] }, "round \(round): unequal words paired")
            XCTAssertTrue(zip(targets, targets.dropFirst()).allSatisfy { $0.1 < $1.1 }, "round \(round): pairs out of order")
            var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0..<a.count {
                for j in 0..<b.count {
                    table[i + 1][j + 1] = a[i] == b[j] ? table[i][j] + 1 : max(table[i][j + 1], table[i + 1][j])
                }
            }
            if alphabet == 3 {
                XCTAssertEqual(alignment.matchedCount, table[a.count][b.count], "round \(round)")
            } else {
                XCTAssertLessThanOrEqual(alignment.matchedCount, table[a.count][b.count], "round \(round)")
            }
        }
    }

    func testTheWordsAreNormalisedWithoutHidingWording() {
        XCTAssertEqual(Words.normalized("BOLIVIA’S “Workers’” May–June U.S. population²."),
                       ["bolivia's", "workers", "may", "june", "u", "s", "population"])
        XCTAssertEqual(Words.normalized("**Reuters**, \\$1.00"), ["reuters", "1", "00"])
        XCTAssertEqual(Words.normalized(EditionSources.markdownLinksAsText("[Mining.com/Bloomberg](https://www.mining.com/bloomberg), May")),
                       ["mining", "com", "bloomberg", "may"])
        // Accents and spelling are words' own: they must differ.
        XCTAssertNotEqual(Words.normalized("Lechín"), Words.normalized("Lechin"))
        XCTAssertNotEqual(Words.normalized("Bolivia's"), Words.normalized("Bolivias"))
        XCTAssertEqual(EditionSources.superscriptNumbers(in: "a¹ b⁴⁸, c² ³"), [1, 48, 2, 3])
    }

    // MARK: - The contents page

    func testTheContentsPageReadsLikeThePrintedOne() throws {
        let edition = try edition
        let contents = try edition.document("EPUB/text/contents.xhtml")
        let nav = try XCTUnwrap(contents.first { $0.name == "nav" && $0["role"] == "doc-toc" })
        // The entries, in order, with the part title they come under.
        var partTitle: String?
        var entries: [(part: String?, href: String, title: String, byline: String?)] = []
        for element in nav.descendantsAndSelf {
            if element.name == "h2" { partTitle = element.text().trimmed }
            // An entry: a list item whose first link is the title; its byline is the element
            // marked as one ("contents-byline").
            if element.name == "li", let link = element.first({ $0.name == "a" && $0["href"] != nil }) {
                let byline = element.first { $0.classes.contains { $0.hasSuffix("byline") } }?.text().trimmed
                entries.append((partTitle, link["href"] ?? "", link.text().trimmed, byline))
            }
        }
        let files = EditionSources.mapping.flatMap(\.articles)
        XCTAssertEqual(entries.count, files.count, "\(entries.map(\.title))")
        for (entry, file) in zip(entries, files) {
            let document = try edition.article(file)
            XCTAssertEqual("EPUB/text/" + entry.href, document.entryName, "\(entry.title) links to its article")
        }
        XCTAssertEqual(entries.map(\.part), Array(repeating: nil, count: 8) + Array(repeating: "Documents", count: 4))

        // Every title printed in 000's contents is an entry, ignoring case.
        let printed = try EditionSources.printedContents()
        XCTAssertEqual(printed.count, 8)
        for (entry, title) in zip(entries, printed.map(\.title)) {
            XCTAssertEqual(comparable(entry.title), comparable(title), "printed title \"\(title)\"")
        }
        // The documents' titles are their sources' titles, ignoring case.
        for (entry, source) in zip(entries.dropFirst(8), EditionSources.mapping.dropFirst().map(\.source)) {
            let lines = try EditionSources.lines(of: source).map { comparable($0.text) }
            XCTAssertTrue(lines.contains(comparable(entry.title)), "\(entry.title) is not a line of \(source)")
        }
        for entry in entries {
            XCTAssertTrue(isProperCase(entry.title), "\"\(entry.title)\" is not in proper case")
        }
        XCTAssertFalse(printed.contains { isProperCase($0.title) }, "the printed titles, in capitals, are not proper case")

        // A byline or source line under each title, taken from the lines under the title in
        // the source: in 000 exactly (the whole byline, or its first name when the rest is a
        // source line or date, as in article 6), in the documents (web pages) in the main.
        // The bylines as the editors corrected them (book.yaml), against the source's lines.
        let segments = try EditionSources.correctedSegments(edition.book.metadata.editorial.corrections).segments
        for (index, (entry, segment)) in zip(entries, segments).enumerated() {
            // Sources 002 and 004 name no author and no publication; article 8's byline was a
            // layout placeholder, and it goes out unsigned.
            let expected = ![EditionSources.mapping[2].source, EditionSources.mapping[4].source].contains(segment.source)
                && segment.article != "08-cob-leadership-betrays.md"
            guard expected else {
                XCTAssertNil(entry.byline, "\(entry.title): \(segment.source) has no byline")
                continue
            }
            guard let byline = entry.byline, !Words.normalized(byline).isEmpty else {
                XCTFail("\(entry.title) has no byline under it in the contents")
                continue
            }
            let words = Words.tokens(in: byline)
            let opening = segment.opening.dropFirst(index < 8 ? 1 : 0).flatMap { Words.tokens(in: $0.text) }
            if index < 8 {
                XCTAssertTrue(containsRun(opening.map(\.text), words.map(\.text)),
                              "\(entry.title): byline \"\(byline)\" is not printed under the title: \(segment.opening.map(\.text))")
            } else {
                let found = WordAlignment(source: words, target: opening).sourceCoverage
                XCTAssertGreaterThanOrEqual(found, 0.75, "\(entry.title): byline \"\(byline)\" vs \(segment.opening.map(\.text))")
            }
        }
    }

    // MARK: - Helpers

    private func comparable(_ text: String) -> String {
        var result = text.lowercased()
        // The house style sets a dash closed up or spaced (book.yaml `dashes`): typography, not words.
        result = result.replacingOccurrences(of: #"\s*[–—]\s*"#, with: " - ", options: .regularExpression)
        for (from, to) in [("’", "'"), ("‘", "'"), ("–", "-"), ("—", "-")] { result = result.replacingOccurrences(of: from, with: to) }
        while result.hasSuffix(".") { result.removeLast() }
        return result.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Not set in capitals: the letters of its words are not all upper case, except acronyms
    /// of up to six letters (COB, MAS, FEJUVE), and it starts with a capital or a digit.
    private func isProperCase(_ title: String) -> Bool {
        let words = title.split { !$0.isLetter }.map(String.init)
        let shouting = words.filter { $0.count > 6 || ($0.count > 1 && !["COB", "MAS", "POR", "MNR", "FEJUVE", "CSUTCB", "IMF", "USSR", "US", "IWL"].contains($0)) }
            .filter { $0 == $0.uppercased() }
        guard let first = title.first(where: { $0.isLetter || $0.isNumber }) else { return false }
        return shouting.isEmpty && (first.isUppercase || first.isNumber) && title.contains { $0.isLowercase }
    }

    private func containsRun(_ haystack: [String], _ needle: [String]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
