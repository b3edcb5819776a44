@testable import EditionKit
import XCTest

/// The checks on a loaded book: each problem once, with its code, severity and place.
final class BookCheckerTests: XCTestCase {
    /// The checker's diagnostics for a one-article book whose body is `body`.
    private func check(_ body: String, frontMatter: String = "title: An Article", files: [String: String] = [:],
                       binary: [String: Data] = [:],
                       file: StaticString = #filePath, line: UInt = #line) throws -> [Diagnostic] {
        let book = try ScratchBook.load(self, article: ScratchBook.article(body, frontMatter: frontMatter), files: files,
                                        binary: binary, file: file, line: line)
        return BookChecker(book: book).check()
    }

    /// `line:column: code message` for each diagnostic: short enough to compare whole.
    private func summary(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.code.rawValue) \($0.message)" }
    }

    func testACleanArticleHasNoDiagnostics() throws {
        let body = """
        Text with a note.[^1] See [the section](#article--a-section) or [the title](#article-title).

        ## A Section

        ### A Subsection

        ## Another Section

        ![A map of Bolivia](images/map.png) and ![a drawing](images/drawing.svg)

        [^1]: The note.

        """
        XCTAssertEqual(summary(try check(body, files: ["images/drawing.svg": "<svg/>"], binary: ["images/map.png": ScratchBook.png])), [])
    }

    // MARK: Headings

    func testHeadingLevels() throws {
        let body = "# Top\n\n## Two\n\n#### Four\n\n## Two again\n\n### Three\n\n###### Six\n\n##\n"
        XCTAssertEqual(summary(try check(body)), [
            "5:1 heading-top-level a level-1 heading inside an article; the title is its only one",
            "9:1 heading-skip heading level 4 follows level 2",
            "15:1 heading-skip heading level 6 follows level 3",
            "17:1 heading-empty a heading without text",
        ])
    }

    func testASectionMayStartAtLevelTwoAndClimbBackUp() throws {
        XCTAssertEqual(summary(try check("## A\n\n### B\n\n#### C\n\n## D\n\n### E\n")), [])
    }

    func testAFirstHeadingAtLevelThreeSkipsLevelTwo() throws {
        XCTAssertEqual(summary(try check("### Too deep\n")), ["5:1 heading-skip heading level 3 follows level 1"])
    }

    // MARK: Notes

    func testNotesCitedAgainUncitedOutOfOrderAndGaps() throws {
        let body = """
        First.[^2] Second.[^1] Again.[^2]

        And again.[^2]

        [^1]: One.

        [^2]: Two.

        [^5]: Five, never cited.

        """
        XCTAssertEqual(summary(try check(body)), [
            "13:1 note-uncited note 5 is never cited; it is kept at the end of the article",
            "5:30 note-cited-again note 2 is cited again (first at 5:7)",
            "7:11 note-cited-again note 2 is cited again (first at 5:7)",
            "5:19 note-out-of-order note 1 is first cited after note 2",
            "13:1 note-number-gap the notes of this article skip numbers 3, 4",
        ])
    }

    func testAnArticleThatCitesNoneOfItsNotesGetsOneWarningWhereTheyBegin() throws {
        // The case of a text whose citation marks were lost in extraction: 3 notes, no citation.
        let body = "Text without marks.\n\n[^1]: One.\n\n[^2]: Two.\n\n[^3]: Three.\n"
        XCTAssertEqual(summary(try check(body)), [
            "7:1 note-uncited none of the article's 3 notes (1–3) is cited; they are kept at the end of the article",
        ])
    }

    func testEachGapIsReportedAtTheNoteAfterItAndLongGapsAsARange() throws {
        let body = "A.[^2] B.[^4] C.[^40]\n\n[^2]: Two.\n\n[^4]: Four.\n\n[^40]: Forty.\n"
        XCTAssertEqual(summary(try check(body)), [
            "7:1 note-number-gap the notes of this article skip number 1",
            "9:1 note-number-gap the notes of this article skip number 3",
            "11:1 note-number-gap the notes of this article skip numbers 5 to 39",
        ])
    }

    /// A note numbered 0, a negative one or a huge one is odd, not a reason to stop.
    func testOddNumbersDoNotCrashTheGapCheck() throws {
        let body = "A.[^0] B.[^1]\n\n[^0]: Zero.\n\n[^1]: One.\n"
        XCTAssertEqual(summary(try check(body)), [])
        let huge = "A.[^1] B.[^9223372036854775807]\n\n[^1]: One.\n\n[^9223372036854775807]: Huge.\n"
        XCTAssertEqual(summary(try check(huge)), ["9:1 note-number-gap the notes of this article skip numbers 2 to 9223372036854775806"])
    }

    func testNotesWithWordsForLabelsAreNotCheckedForOrderOrGaps() throws {
        let body = "A.[^b] B.[^a] C.[^9]\n\n[^a]: A.\n\n[^b]: B.\n\n[^9]: Nine.\n"
        XCTAssertEqual(summary(try check(body)), [])
    }

    // MARK: Content

    func testImagesThatAreMissingOrUndescribed() throws {
        let body = "![](images/here.png)\n\nText ![A plan](images/gone.png) and ![ ](images/Map%20of%20La%20Paz.png).\n"
        let diagnostics = try check(body, binary: ["images/here.png": ScratchBook.png, "images/Map of La Paz.png": ScratchBook.png])
        XCTAssertEqual(summary(diagnostics), [
            "5:1 image-alt-missing image 'images/here.png' has no text alternative",
            "7:6 image-missing image 'images/gone.png' does not exist",
            "7:37 image-alt-missing image 'images/Map%20of%20La%20Paz.png' has no text alternative",
        ])
        XCTAssertEqual(diagnostics.map(\.severity), [.warning, .error, .warning])
    }

    /// EPUBCheck rejects an image from the web (RSC-006) and one that is not a core media type.
    func testImagesTheEPUBCannotHold() throws {
        let body = "![A photo](https://example.org/p.jpg)\n\n![A scan](images/scan.TIFF) ![A bitmap](images/b.bmp) ![A photo](images/p.JPG)\n"
        XCTAssertEqual(summary(try check(body, files: ["images/scan.TIFF": "II*", "images/b.bmp": "BM"], binary: ["images/p.JPG": ScratchBook.jpeg])), [
            "5:1 image-missing image 'https://example.org/p.jpg' is on the web; an EPUB must contain its images",
            "7:1 image-format image 'images/scan.TIFF' is not in a format EPUB supports",
            "7:29 image-format image 'images/b.bmp' is not in a format EPUB supports",
        ])
    }

    func testTheSameImageTwiceIsReportedAtEachPlace() throws {
        let body = "![](images/gone.png)\n\n![](images/gone.png)\n"
        XCTAssertEqual(summary(try check(body)).filter { $0.contains("image-missing") }, [
            "5:1 image-missing image 'images/gone.png' does not exist",
            "7:1 image-missing image 'images/gone.png' does not exist",
        ])
    }

    func testLinksToPlacesInTheBook() throws {
        let body = "## Background\n\nSee [a](#article--background), [b](#article), [c](#article-title), [d](#nowhere), [e](https://example.org#x).\n"
        XCTAssertEqual(summary(try check(body)), ["7:68 link-broken no heading or article has the id 'nowhere'"])
    }

    func testRawHTMLIsAWarningAtItsPlace() throws {
        let body = "Text <abbr title=\"Central Obrera Boliviana\">COB</abbr>.\n\n> <aside>\n> Boxed.\n> </aside>\n"
        let diagnostics = try check(body)
        XCTAssertEqual(summary(diagnostics), [
            "7:3 html-raw raw HTML block '<aside>'",
            "5:6 html-raw raw HTML '<abbr title=\"Central Obrera Boliviana\">'",
            "5:48 html-raw raw HTML '</abbr>'",
        ])
        XCTAssertTrue(diagnostics.allSatisfy { $0.severity == .warning })
    }

    func testPlaceholderBylines() throws {
        let frontMatter = "title: T\nauthors:\n  - name: Lena Souza\n  - name: \" Nome do Autor \"\n  - name: TBD\n  - name: Authority"
        XCTAssertEqual(summary(try check("Text.\n", frontMatter: frontMatter)), [
            "5:5 byline-placeholder the byline ' Nome do Autor ' is a layout placeholder, not an author's name",
            "6:5 byline-placeholder the byline 'TBD' is a layout placeholder, not an author's name",
        ])
    }

    func testCheckingTheWholeMinimalFixture() throws {
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        let diagnostics = BookChecker(book: book).check()
        XCTAssertEqual(diagnostics.map { "\(($0.location!.file as NSString).lastPathComponent):\($0.location!.line) \($0.code.rawValue)" }, [
            "01-first-article.md:17 note-cited-again",
            "02-second-article.md:14 note-number-gap",
            "02-second-article.md:4 byline-placeholder",
            // The old document cites neither of its two notes: one warning, where they begin.
            "03-old-document.md:9 note-uncited",
        ])
    }
}
