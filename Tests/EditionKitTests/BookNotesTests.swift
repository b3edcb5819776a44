import EditionKit
import Foundation
import XCTest

/// Checks every note of the edition in the built EPUB against the notes of the source texts
/// (book/import/), read independently of the importer: its number, its text, its citations
/// and the links between them.
final class BookNotesTests: BuiltEditionTestCase {
    /// The notes the edition is known to have (book/import/README.md and the seeds' README):
    /// 162 in part one, 24 in the Sagra document, none elsewhere.
    static let expectedNotes: [String: ClosedRange<Int>] = [
        "02-popular-rebellion-world-order.md": 1...34,
        "03-revolutionary-cycle-to-mas.md": 1...65,
        "05-april-1952.md": 1...39,
        // Note 1 is missing in the source.
        "06-uprising-betrayed-1985.md": 2...25,
        "11-1952-trotskyism-sagra.md": 1...24,
    ]
    /// Notes cited twice in the source: article 3's note 48 and article 6's note 14.
    static let citedTwice: [String: [Int]] = [
        "03-revolutionary-cycle-to-mas.md": [48],
        "06-uprising-betrayed-1985.md": [14],
    ]
    /// A note's source words that must be in its EPUB note, in order. Notes are short (one
    /// word, "Ibid.", to a few dozen), so 99% means every word of all but the longest notes.
    static let requiredCoverage = 0.99


    // MARK: - The sources

    func testTheSourcesHaveTheNotesTheEditionIsKnownToHave() throws {
        let segments = try EditionSources.allSegments()
        for segment in segments {
            let expected = Self.expectedNotes[segment.article].map(Array.init) ?? []
            XCTAssertEqual(segment.notes.map(\.number), expected, "\(segment.article): notes of \(segment.source)")
            XCTAssertEqual(segment.unnumberedNoteText.map(\.text), [], "\(segment.article): text before the first note")
            XCTAssertFalse(segment.notes.contains { Words.normalized($0.text).isEmpty }, "\(segment.article): an empty note")
        }
        let partOne = segments.filter { $0.source == EditionSources.printEdition }
        XCTAssertEqual(partOne.reduce(0) { $0 + $1.notes.count }, 162)
        XCTAssertEqual(segments.first { $0.source == EditionSources.sagra }?.notes.count, 24)

        for segment in segments {
            let counts = Dictionary(segment.citations.map { ($0, 1) }, uniquingKeysWith: +)
            XCTAssertEqual(counts.filter { $0.value > 1 }.keys.sorted(), Self.citedTwice[segment.article] ?? [],
                           "\(segment.article): notes cited more than once")
            // Every mark in the text has its note.
            XCTAssertEqual(Set(segment.citations).subtracting(segment.notes.map(\.number)), [], "\(segment.article): marks without a note")
        }
        // The Sagra text kept its note marks as "(2)" … "(24)": note 1's was lost.
        XCTAssertEqual(segments.first { $0.source == EditionSources.sagra }?.citations, Array(2...24))
    }

    // MARK: - The notes in the EPUB

    func testEveryNoteIsInTheEPUBWithItsNumberAndItsText() throws {
        let edition = try edition
        var partOne = 0, sagra = 0
        // The notes as the editors corrected them (book.yaml: "Durkerley" is Dunkerley).
        for segment in try EditionSources.correctedSegments(edition.book.metadata.editorial.corrections).segments {
            let document = try edition.article(segment.article)
            let footnotes = document.allNotes
            let labels = footnotes.map { ArticleDocument.label($0) ?? "?" }
            XCTAssertEqual(labels, segment.notes.map { "\($0.number)" }, "\(segment.article): the notes' numbers, in order")
            XCTAssertEqual(Set(footnotes.compactMap(\.id)).count, footnotes.count, "\(segment.article): note ids are unique")
            if segment.source == EditionSources.printEdition { partOne += footnotes.count }
            if segment.source == EditionSources.sagra { sagra += footnotes.count }
            // Notes at the end of the article (book.yaml: notes: article), after the text.
            if !document.footnotes.isEmpty {
                let notes = try XCTUnwrap(document.notesSection, "\(segment.article): no notes section")
                XCTAssertTrue(document.footnotes.allSatisfy { $0.isInside { $0 === notes } })
            }

            for note in segment.notes {
                let label = "\(note.number)"
                guard let footnote = footnotes.first(where: { ArticleDocument.label($0) == label }) else {
                    XCTFail("\(segment.article): note \(label) (\(segment.source) line \(note.line)) is not in the EPUB")
                    continue
                }
                XCTAssertEqual(footnote.id, "\(document.article.id)-note-\(label)", "\(segment.article): note \(label)'s id")
                if ArticleDocument.isFootnote(footnote) { XCTAssertEqual(footnote["role"], "doc-footnote") }
                let text = WordAlignment(source: note.words, target: ArticleDocument.noteWords(footnote))
                XCTAssertGreaterThanOrEqual(text.sourceCoverage, Self.requiredCoverage, """
                    \(segment.article): note \(label) (\(segment.source) line \(note.line)) lacks words:
                    \(text.missingRuns())
                    EPUB: \(footnote.text().trimmingCharacters(in: .whitespacesAndNewlines))
                    """)
                XCTAssertLessThanOrEqual(text.target.count - text.matchedCount, max(1, text.target.count / 50), """
                    \(segment.article): note \(label) has words that are not in the source:
                    \(text.extraRuns())
                    """)
            }
        }
        XCTAssertEqual(partOne, 162, "notes of part one")
        XCTAssertEqual(sagra, 24, "notes of the Sagra document")
        // No other document of the spine has notes.
        let articleDocuments = try EditionSources.mapping.flatMap(\.articles)
            .filter { Self.expectedNotes[$0] != nil }.map { try edition.article($0).entryName }
        for document in edition.spine where !articleDocuments.contains(document.name) {
            XCTAssertEqual(document.root.all(ArticleDocument.isFootnote).count, 0, "\(document.name) has notes")
        }
    }

    func testEveryCitationShowsItsLabelAndLinksToItsNoteWhichLinksBack() throws {
        let edition = try edition
        for document in edition.spine {
            let noterefs = document.root.all(ArticleDocument.isNoteref)
            let footnotes = document.root.all(ArticleDocument.isFootnote)
            let byId = Dictionary(footnotes.compactMap { note in note.id.map { ($0, note) } }, uniquingKeysWith: { first, _ in first })
            var citations: [String: [String]] = [:]     // note id → ids of its citations
            for noteref in noterefs {
                let href = noteref["href"] ?? ""
                let target = String(href.dropFirst())
                guard href.hasPrefix("#"), let note = byId[target] else {
                    XCTFail("\(document.name): citation \(noteref.text()) links to \(href), which is not a note of the document")
                    continue
                }
                XCTAssertEqual(noteref.text().trimmingCharacters(in: .whitespacesAndNewlines), ArticleDocument.label(note),
                               "\(document.name): the citation of \(target) shows its label")
                XCTAssertEqual(noteref["role"], "doc-noteref")
                guard let id = noteref.id, !id.isEmpty else {
                    XCTFail("\(document.name): citation of \(target) has no id to link back to")
                    continue
                }
                citations[target, default: []].append(id)
            }
            let ids = citations.values.flatMap { $0 }
            XCTAssertEqual(Set(ids).count, ids.count, "\(document.name): citation ids are unique")
            for note in footnotes {
                let backlinks = note.all(ArticleDocument.isBacklink).compactMap { $0["href"] }
                let expected = (citations[note.id ?? ""] ?? []).map { "#" + $0 }
                XCTAssertEqual(backlinks.sorted(), expected.sorted(), "\(document.name): back-links of \(note.id ?? "?")")
            }
        }
    }

    func testCitationsAreWhereTheSourcesMarkThem() throws {
        let edition = try edition
        for segment in try EditionSources.allSegments() {
            let document = try edition.article(segment.article)
            let cited = document.noterefs.map { $0.text().trimmingCharacters(in: .whitespacesAndNewlines) }
            // The same marks in the same order (article 6 cites note 12 after note 15).
            XCTAssertEqual(cited, segment.citations.map { "\($0)" }, "\(segment.article): note citations in reading order")
            // Each citation follows the same word as the mark in the source.
            let sourceWords = segment.body.flatMap { line in wordsBeforeMarks(line.text) }
            let epubWords = document.noterefs.map { wordBefore($0) }
            XCTAssertEqual(epubWords, sourceWords, "\(segment.article): the words the notes are cited after")
        }
    }

    func testNotesCitedTwiceLinkBackToBothCitations() throws {
        let edition = try edition
        for (file, numbers) in Self.citedTwice {
            let document = try edition.article(file)
            for number in numbers {
                let note = try XCTUnwrap(document.footnotes.first { ArticleDocument.label($0) == "\(number)" })
                let citations = document.noterefs.filter { $0["href"] == "#" + (note.id ?? "") }
                XCTAssertEqual(citations.count, 2, "\(file): note \(number)")
                XCTAssertEqual(Set(note.all(ArticleDocument.isBacklink).compactMap { $0["href"] }),
                               Set(citations.compactMap { $0.id.map { "#" + $0 } }), "\(file): note \(number)'s back-links")
            }
        }
    }

    /// The surviving marks "(2)" … "(24)" are citations, linked both ways; note 1, whose mark
    /// was lost, is not a footnote aside (which reading systems hide) but a visible note under
    /// a heading of its own at the end of the article, in the EPUB and in print.
    func testTheSagraNotesAreCitedWhereTheirMarksSurviveAndTheLostOneIsListedVisibly() throws {
        let document = try edition.article("11-1952-trotskyism-sagra.md")
        XCTAssertEqual(document.noterefs.map { $0.text().trimmingCharacters(in: .whitespaces) }, (2...24).map(String.init))
        XCTAssertEqual(document.footnotes.compactMap(ArticleDocument.label), (2...24).map(String.init))
        for note in document.footnotes {
            XCTAssertEqual(note.all(ArticleDocument.isBacklink).count, 1, "\(note.id ?? "?") links back to its citation")
        }
        XCTAssertEqual(document.unlinkedNotes.compactMap(ArticleDocument.label), ["1"])
        let list = try XCTUnwrap(document.section.first { $0.hasClass("unlinked-notes") })
        XCTAssertEqual(list.first { $0.name == "h2" }?.text().trimmingCharacters(in: .whitespacesAndNewlines), "Notes Without a Reference Mark")
        XCTAssertFalse(list.descendantsAndSelf.contains { ($0["epub:type"] ?? "").contains("footnote") || $0.name == "aside" },
                       "no part of the list is a footnote that reading systems hide")
        XCTAssertEqual(document.unlinkedNotes.first?.all(ArticleDocument.isBacklink).count, 0)
        // The print edition: 23 footnotes at their citations, note 1 under the same title.
        let html = PrintRenderer(book: try edition.book).render()
        let article = try XCTUnwrap(html.range(of: "id=\"article-1952-trotskyism-sagra\"")).lowerBound
        let rest = html[article...]
        let end = rest.range(of: "</article>")?.lowerBound ?? rest.endIndex
        let printed = rest[..<end]
        XCTAssertEqual(printed.matches(of: /class="footnote"/).count, 23)
        XCTAssertTrue(printed.contains("class=\"endnotes-title\">Notes Without a Reference Mark</h2>"), String(printed.suffix(600)))
        XCTAssertTrue(printed.contains("id=\"article-1952-trotskyism-sagra-note-1\""))
    }

    /// The accessibility summary claims links both ways only for the notes that have them.
    func testTheAccessibilitySummarySaysWhichNotesAreLinked() throws {
        let opf = try XCTUnwrap(try edition.reader["EPUB/package.opf"]?.text)
        let summary = try XCTUnwrap(opf.firstMatch(of: /property="schema:accessibilitySummary">([^<]*)</)?.1)
        XCTAssertFalse(summary.contains("Every note is linked"), String(summary))
        XCTAssertTrue(summary.contains("185 of the 186 notes are linked"), String(summary))
        // No conformance claim: book.yaml names no one who evaluated the edition.
        XCTAssertFalse(opf.contains("dcterms:conformsTo"))
        XCTAssertFalse(opf.contains("a11y:certifiedBy"))
    }

    // MARK: - Helpers

    /// For each superscript mark in a source line, the normalised word just before it.
    private func wordsBeforeMarks(_ text: String) -> [String] {
        var result: [String] = []
        var previous = ""
        var before = ""
        for character in text {
            if Words.superscriptDigits[character] != nil {
                if Words.superscriptDigits[previous.last ?? " "] == nil {
                    result.append(Words.normalized(EditionSources.markdownLinksAsText(before)).last ?? "")
                }
            } else {
                before.append(character)
            }
            previous.append(character)
        }
        return result
    }

    /// The normalised word just before a citation in the EPUB text.
    private func wordBefore(_ noteref: XElement) -> String {
        var text = ""
        var container = noteref
        while !XElement.blockElements.contains(container.name), let parent = container.parent {
            container = parent
        }
        var found = false
        collect(container, until: noteref, into: &text, found: &found)
        return Words.normalized(text).last ?? ""
    }

    private func collect(_ element: XElement, until stop: XElement, into text: inout String, found: inout Bool) {
        for child in element.children {
            if found { return }
            switch child {
            case .text(let string):
                text += string
            case .element(let inner):
                if inner === stop { found = true; return }
                if ArticleDocument.isNoteref(inner) { text += " "; continue }
                collect(inner, until: stop, into: &text, found: &found)
            }
        }
    }
}
