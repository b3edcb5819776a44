@testable import EditionKit
import XCTest

/// The Markdown parser: cmark-gfm's tree turned into values, note labels recovered, positions
/// counted from the top of the file.
final class MarkdownParserTests: XCTestCase {
    /// Parses `text` as the body of `article.md` whose front matter takes `lineOffset` lines.
    private func parse(_ text: String, lineOffset: Int = 0, id: String = "art") -> ParsedMarkdown {
        MarkdownParser(file: "article.md", lineOffset: lineOffset, idPrefix: id).parse(text)
    }

    private func paragraph(_ parsed: ParsedMarkdown, _ index: Int = 0, file: StaticString = #filePath,
                           line: UInt = #line) -> [Inline] {
        guard index < parsed.blocks.count, case .paragraph(let content) = parsed.blocks[index] else {
            XCTFail("block \(index) is not a paragraph: \(parsed.blocks)", file: file, line: line)
            return []
        }
        return content
    }

    private func references(_ content: [Inline]) -> [NoteReference] {
        var result: [NoteReference] = []
        for inline in content {
            inline.forEachInline { if case .noteReference(let reference) = $0 { result.append(reference) } }
        }
        return result
    }

    // MARK: Inlines

    func testInlineMarkupBecomesValuesAndTextIsJoinedAgain() {
        let parsed = parse("It costs \\$5 & *more* than **that**, `code` and ~~this~~.\n")
        XCTAssertEqual(paragraph(parsed), [
            .text("It costs $5 & "), .emphasis([.text("more")]), .text(" than "), .strong([.text("that")]),
            .text(", "), .code("code"), .text(" and "), .strikethrough([.text("this")]), .text("."),
        ])
        XCTAssertEqual(parsed.diagnostics, [])
    }

    func testLinksImagesAutolinksAndBreaks() {
        let parsed = parse("A [link](https://example.org \"Title\") and ![a map](images/map.png)\nnext line  \nafter a hard break <https://iwl.org>\n")
        XCTAssertEqual(paragraph(parsed), [
            .text("A "), .link(destination: "https://example.org", title: "Title", content: [.text("link")]),
            .text(" and "), .image(source: "images/map.png", title: "", alt: [.text("a map")]),
            .softBreak, .text("next line"), .lineBreak, .text("after a hard break "),
            .link(destination: "https://iwl.org", title: "", content: [.text("https://iwl.org")]),
        ])
    }

    func testRawHTMLIsKeptAsHTML() {
        let parsed = parse("Some <span class=\"caps\">raw</span> text.\n\n<div class=\"box\">\nA box.\n</div>\n")
        XCTAssertEqual(paragraph(parsed), [.text("Some "), .html("<span class=\"caps\">"), .text("raw"), .html("</span>"), .text(" text.")])
        XCTAssertEqual(parsed.blocks.last, .html("<div class=\"box\">\nA box.\n</div>\n"))
    }

    func testParseInlineReadsATitleAndKeepsTextThatIsNotOneParagraph() {
        XCTAssertEqual(MarkdownParser.parseInline("A subtitle with *emphasis*"), [.text("A subtitle with "), .emphasis([.text("emphasis")])])
        XCTAssertEqual(MarkdownParser.parseInline("1952: Revolution"), [.text("1952: Revolution")])
        // A title that Markdown would read as a list or a heading stays the text it is.
        XCTAssertEqual(MarkdownParser.parseInline("1. Not a list"), [.text("1. Not a list")])
        XCTAssertEqual(MarkdownParser.parseInline("# Not a heading"), [.text("# Not a heading")])
    }

    // MARK: Blocks

    func testHeadingsHaveLevelsPositionsAndIdsPrefixedWithTheArticle() {
        let parsed = parse("## The Section\n\n### Año 1952\n\n## The Section\n", lineOffset: 4, id: "bolivia")
        let headings = parsed.blocks.compactMap { block -> Heading? in
            if case .heading(let heading) = block { return heading } else { return nil }
        }
        XCTAssertEqual(headings.map(\.level), [2, 3, 2])
        XCTAssertEqual(headings.map(\.id), ["bolivia--the-section", "bolivia--ano-1952", "bolivia--the-section-2"])
        XCTAssertEqual(headings.map(\.location), [
            SourceLocation(file: "article.md", line: 5, column: 1),
            SourceLocation(file: "article.md", line: 7, column: 1),
            SourceLocation(file: "article.md", line: 9, column: 1),
        ])
    }

    /// The title is `<id>-title` and the notes section `<id>-notes`; a heading must not take them.
    func testHeadingIdsDoNotTakeTheIdsOfTheTitleTheNotesOrANote() {
        let parsed = parse("## Title\n\n## Notes\n\n## Note 1\n\nText.[^1]\n\n[^1]: A note.\n", id: "art")
        let ids = parsed.blocks.compactMap { block -> String? in
            if case .heading(let heading) = block { return heading.id } else { return nil }
        }
        XCTAssertEqual(ids.count, 3)
        for reserved in ["art-title", "art-notes", "art-note-1", "art-ref-1"] {
            XCTAssertFalse(ids.contains(reserved), "a heading took \(reserved): \(ids)")
        }
        XCTAssertEqual(Set(ids).count, 3)
    }

    func testListsQuotesCodeAndRules() {
        let parsed = parse("""
        3. three
        4. four

        - loose

        - list

        > A quotation.

        ```swift
        let x = 1 < 2
        ```

        ---

        """)
        XCTAssertEqual(parsed.blocks, [
            .list(ListBlock(ordered: true, start: 3, tight: true, items: [[.paragraph([.text("three")])], [.paragraph([.text("four")])]])),
            .list(ListBlock(ordered: false, start: 0, tight: false, items: [[.paragraph([.text("loose")])], [.paragraph([.text("list")])]])),
            .blockQuote([.paragraph([.text("A quotation.")])]),
            .codeBlock(info: "swift", text: "let x = 1 < 2\n"),
            .thematicBreak,
        ])
    }

    func testTablesKeepHeaderRowsAndAlignments() {
        let parsed = parse("| Year | Event | Note |\n|-----:|:------|:----:|\n| 1952 | *Revolution* | x |\n| 1985 | Siege | |\n")
        guard case .table(let table)? = parsed.blocks.first else { return XCTFail("no table: \(parsed.blocks)") }
        XCTAssertEqual(table.alignments, [.right, .left, .center])
        XCTAssertEqual(table.header, [[.text("Year")], [.text("Event")], [.text("Note")]])
        XCTAssertEqual(table.rows, [
            [[.text("1952")], [.emphasis([.text("Revolution")])], [.text("x")]],
            [[.text("1985")], [.text("Siege")], []],
        ])
    }

    // MARK: Notes

    func testANoteShowsTheLabelItIsWrittenWith() {
        let parsed = parse("Text.[^14] More.[^15]\n\n[^14]: Fourteen.\n\n[^15]: Fifteen.\n")
        XCTAssertEqual(references(paragraph(parsed)).map(\.label), ["14", "15"])
        XCTAssertEqual(parsed.notes.map(\.label), ["14", "15"])
        XCTAssertEqual(parsed.notes.map(\.blocks), [[.paragraph([.text("Fourteen.")])], [.paragraph([.text("Fifteen.")])]])
    }

    /// cmark-gfm numbers notes by first citation; the labels must survive any order of
    /// definitions and any label.
    func testLabelsSurviveDefinitionsInAnotherOrderAndLabelsThatAreNotNumbers() {
        let parsed = parse("A.[^b] B.[^a] C.[^7]\n\n[^7]: Seven.\n\n[^a]: Alpha.\n\n[^b]: Beta.\n")
        XCTAssertEqual(references(paragraph(parsed)).map(\.label), ["b", "a", "7"])
        XCTAssertEqual(parsed.notes.map(\.label), ["7", "a", "b"], "notes stay in the order the source defines them")
        XCTAssertEqual(parsed.notes.map { $0.blocks.first }, [.paragraph([.text("Seven.")]), .paragraph([.text("Alpha.")]), .paragraph([.text("Beta.")])])
    }

    func testCitationsAreCountedAndPlacedInBytes() {
        let parsed = parse("Año uno.[^1]\n\nOtra vez.[^1] Y [^2].\n\n[^1]: Uno.\n\n[^2]: Dos.\n", lineOffset: 4)
        let all = references(paragraph(parsed, 0)) + references(paragraph(parsed, 1))
        XCTAssertEqual(all.map(\.label), ["1", "1", "2"])
        XCTAssertEqual(all.map(\.occurrence), [1, 2, 1])
        XCTAssertEqual(all.map(\.location), [
            SourceLocation(file: "article.md", line: 5, column: 10),  // "Año uno." is 9 bytes
            SourceLocation(file: "article.md", line: 7, column: 10),
            SourceLocation(file: "article.md", line: 7, column: 17),
        ])
        XCTAssertEqual(parsed.notes.map(\.citationCount), [2, 1])
        XCTAssertEqual(parsed.notes.map(\.location), [
            SourceLocation(file: "article.md", line: 9, column: 1),
            SourceLocation(file: "article.md", line: 11, column: 1),
        ])
    }

    func testAnUncitedNoteIsKeptAndNothingIsAddedToTheText() {
        let parsed = parse("Text without marks.\n\n[^1]: A note whose mark was lost.\n\n[^2]: Another.\n")
        XCTAssertEqual(parsed.blocks, [.paragraph([.text("Text without marks.")])])
        XCTAssertEqual(parsed.notes.map(\.label), ["1", "2"])
        XCTAssertEqual(parsed.notes.map(\.citationCount), [0, 0])
        XCTAssertEqual(parsed.notes[0].blocks, [.paragraph([.text("A note whose mark was lost.")])])
        XCTAssertEqual(parsed.diagnostics, [])
    }

    func testANoteOfSeveralParagraphs() {
        let parsed = parse("Text.[^1]\n\n[^1]: First paragraph.\n\n    Second paragraph.\n\n    > A quotation in a note.\n")
        XCTAssertEqual(parsed.notes.first?.blocks, [
            .paragraph([.text("First paragraph.")]), .paragraph([.text("Second paragraph.")]),
            .blockQuote([.paragraph([.text("A quotation in a note.")])]),
        ])
    }

    func testAnUndefinedNoteIsReportedOnceWhereItIsFirstCitedAndStaysText() {
        let parsed = parse("One.[^9] Two.[^9]\n", lineOffset: 4)
        XCTAssertEqual(paragraph(parsed), [.text("One.[^9] Two.[^9]")])
        XCTAssertEqual(parsed.diagnostics.map(\.code), [.noteUndefined])
        XCTAssertEqual(parsed.diagnostics.first?.location, SourceLocation(file: "article.md", line: 5, column: 5))
        XCTAssertEqual(parsed.notes, [])
    }

    func testADuplicateDefinitionIsReportedAndTheFirstIsUsed() {
        let parsed = parse("Text.[^1]\n\n[^1]: The first.\n\n[^1]: The second.\n", lineOffset: 4)
        XCTAssertEqual(parsed.diagnostics.map(\.code), [.noteDuplicate])
        XCTAssertEqual(parsed.diagnostics.first?.location, SourceLocation(file: "article.md", line: 9, column: 1))
        XCTAssertEqual(parsed.notes.count, 1)
        XCTAssertEqual(parsed.notes.first?.blocks, [.paragraph([.text("The first.")])], "the hint says the first is used")
    }

    func testNoteSyntaxInCodeIsNotANote() {
        let parsed = parse("Code `[^1]` here.\n\n```\n[^2]: not a definition\n```\n")
        XCTAssertEqual(parsed.notes, [])
        XCTAssertEqual(parsed.diagnostics, [])
        XCTAssertEqual(paragraph(parsed), [.text("Code "), .code("[^1]"), .text(" here.")])
    }

    // MARK: Places of inlines

    func testImagesLinksAndRawHTMLAreLocated() {
        let parsed = parse("Intro.\n\n> See [here](#x) and ![map](m.png)\n\nAnd <b>bold</b> with [here](#x).\n", lineOffset: 3)
        let link = Inline.link(destination: "#x", title: "", content: [.text("here")])
        XCTAssertEqual(parsed.inlineLocations[link], [
            SourceLocation(file: "article.md", line: 6, column: 7),
            SourceLocation(file: "article.md", line: 8, column: 22),
        ])
        XCTAssertEqual(parsed.inlineLocations[.image(source: "m.png", title: "", alt: [.text("map")])],
                       [SourceLocation(file: "article.md", line: 6, column: 22)])
        XCTAssertEqual(parsed.inlineLocations[.html("<b>")], [SourceLocation(file: "article.md", line: 8, column: 5)])
    }

    // MARK: Bad input

    func testBadInputDoesNotCrash() {
        let inputs = [
            "", "\n\n\n", "[^", "[^]", "[^]: x", "[^ ]: x", "[^1]:", "[^1]: [^1]", "x[^1][^1][^1]\n\n[^1]:",
            "[^a]: x\n[^a]: y\n[^a]: z\n", "```\nunclosed fence [^1]\n\n[^1]: x", "[^1]: note\n\n```\nunclosed",
            "> [^1]: in a quote\n\nText[^1]", "- [^1]: in a list\n\nText[^1]", String(repeating: "> ", count: 200) + "deep",
            String(repeating: "[", count: 5000), "\u{0}\u{1}\u{FFFD}", "| a |\n|---|\n| [^1] |\n\n[^1]: n",
            "[^\u{1F600}]: emoji\n\n[^\u{1F600}]", "# \n## \n###### ", "<!-- unclosed comment\n\n[^1]: x",
        ]
        for input in inputs {
            let parsed = parse(input)
            for note in parsed.notes { XCTAssertFalse(note.label.isEmpty, "input \(input.debugDescription)") }
        }
    }
}
