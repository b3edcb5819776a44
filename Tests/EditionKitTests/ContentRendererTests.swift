@testable import EditionKit
import XCTest

/// Blocks, inlines and notes as markup: exact strings for small inputs, well-formedness for
/// a large one.
final class ContentRendererTests: XCTestCase {
    /// An article `art` whose body and notes are parsed from `markdown`.
    private func article(_ markdown: String, language: String? = nil) -> Article {
        let parsed = MarkdownParser(file: "art.md", lineOffset: 0, idPrefix: "art").parse(markdown)
        return Article(id: "art", file: "art.md", title: [.text("A Title")], subtitle: nil, authors: [], source: nil,
                       date: nil, language: language, printPage: nil, body: parsed.blocks, notes: parsed.notes,
                       location: SourceLocation(file: "art.md", line: 1))
    }

    private func render(_ markdown: String, dialect: ContentRenderer.Dialect = .epub) -> String {
        let article = article(markdown)
        return ContentRenderer(article: article, dialect: dialect).blocks(article.body)
    }

    // MARK: Blocks

    func testTextIsEscapedOnce() {
        XCTAssertEqual(render("Fish &amp; chips & 1 < 2 > 0, \"quoted\" and 'single'.\n"),
                       "<p>Fish &amp; chips &amp; 1 &lt; 2 &gt; 0, \"quoted\" and 'single'.</p>\n")
    }

    func testInlineMarkup() {
        XCTAssertEqual(render("*em* **strong** ~~del~~ `a < b` [link](https://e.org/?a=1&b=\"2\" \"A \\\"title\\\"\")  \nnext\n"),
                       "<p><em>em</em> <strong>strong</strong> <del>del</del> <code>a &lt; b</code> "
                       + "<a href=\"https://e.org/?a=1&amp;b=&quot;2&quot;\" title=\"A &quot;title&quot;\">link</a><br/>\nnext</p>\n")
    }

    func testHeadingsCarryTheirIds() {
        XCTAssertEqual(render("## A Section\n\n###### Deep\n"),
                       "<h2 id=\"art--a-section\">A Section</h2>\n<h6 id=\"art--deep\">Deep</h6>\n")
    }

    func testListsTightLooseAndNumberedFromElsewhere() {
        XCTAssertEqual(render("- one\n- two\n"), "<ul>\n  <li>one</li>\n  <li>two</li>\n</ul>\n")
        XCTAssertEqual(render("3. three\n\n4. four\n"),
                       "<ol start=\"3\">\n  <li>\n    <p>three</p>\n  </li>\n  <li>\n    <p>four</p>\n  </li>\n</ol>\n")
        XCTAssertEqual(render("1. one\n"), "<ol>\n  <li>one</li>\n</ol>\n")
        XCTAssertEqual(render("- a\n  - b\n"), "<ul>\n  <li>\n    <p>a</p>\n    <ul>\n      <li>b</li>\n    </ul>\n  </li>\n</ul>\n")
    }

    func testQuotationsCodeRulesAndTables() {
        XCTAssertEqual(render("> Quoted.\n"), "<blockquote>\n  <p>Quoted.</p>\n</blockquote>\n")
        XCTAssertEqual(render("```swift\nif a < b && c {}\n```\n"),
                       "<pre><code class=\"language-swift\">if a &lt; b &amp;&amp; c {}\n</code></pre>\n")
        XCTAssertEqual(render("    indented\n"), "<pre><code>indented\n</code></pre>\n")
        XCTAssertEqual(render("***\n"), "<hr/>\n")
        XCTAssertEqual(render("| Year | Event |\n|-----:|-------|\n| 1952 | Revolution |\n"), """
        <table>
          <thead><tr><th style="text-align: right">Year</th><th>Event</th></tr></thead>
          <tbody>
            <tr><td style="text-align: right">1952</td><td>Revolution</td></tr>
          </tbody>
        </table>

        """)
    }

    func testImagesKeepAnAltAttributeEvenWhenEmpty() {
        let article = article("![A *map* of Bolivia](images/map%201.png \"The map\") ![](x.png)\n")
        var renderer = ContentRenderer(article: article, dialect: .epub)
        XCTAssertEqual(renderer.blocks(article.body),
                       "<p><img src=\"images/map%201.png\" alt=\"A map of Bolivia\" title=\"The map\"/> <img src=\"x.png\" alt=\"\"/></p>\n")
        renderer.resolveImage = { "../images/figures/" + ($0 as NSString).lastPathComponent }
        XCTAssertTrue(renderer.blocks(article.body).contains("src=\"../images/figures/x.png\""))
    }

    func testLinksAreResolvedByTheOutput() {
        let article = article("[Next](02-next.md#a-section) and [web](https://example.org).\n")
        let renderer = ContentRenderer(article: article, dialect: .epub, resolveLink: { $0.hasSuffix(".md#a-section") ? "next.xhtml#next-a-section" : $0 })
        XCTAssertEqual(renderer.blocks(article.body),
                       "<p><a href=\"next.xhtml#next-a-section\">Next</a> and <a href=\"https://example.org\">web</a>.</p>\n")
    }

    func testRawHTMLPassesThrough() {
        XCTAssertEqual(render("A <abbr title=\"x\">COB</abbr>.\n\n<div class=\"box\">\n<p>Boxed</p>\n</div>\n"),
                       "<p>A <abbr title=\"x\">COB</abbr>.</p>\n<div class=\"box\">\n<p>Boxed</p>\n</div>\n")
    }

    // MARK: Notes

    func testANoteReferenceIsALinkWhoseTextIsTheBareLabel() {
        XCTAssertEqual(render("Text.[^14] Again.[^14]\n\n[^14]: Fourteen.\n"),
                       "<p>Text.<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"art-ref-14\" href=\"#art-note-14\">14</a>"
                       + " Again.<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"art-ref-14-2\" href=\"#art-note-14\">14</a></p>\n")
        let html = render("Text.[^14]\n\n[^14]: Fourteen.\n", dialect: .html)
        XCTAssertEqual(html, "<p>Text.<a class=\"noteref\" role=\"doc-noteref\" id=\"art-ref-14\" href=\"#art-note-14\">14</a></p>\n")
        XCTAssertFalse(html.contains("<sup"))
    }

    func testWhereANoteLivesAndHowACitationLooksAreTheOutputsChoice() {
        let article = article("Text.[^a]\n\n[^a]: A.\n")
        var renderer = ContentRenderer(article: article, dialect: .epub, noteHref: { "notes.xhtml#" + Ids.note(article, $0) })
        XCTAssertTrue(renderer.blocks(article.body).contains("href=\"notes.xhtml#art-note-a\""))
        renderer.renderNoteReference = { "<span class=\"call\">\($0.label)/\($0.occurrence)</span>" }
        XCTAssertEqual(renderer.blocks(article.body), "<p>Text.<span class=\"call\">a/1</span></p>\n")
    }

    private func noteBody(_ markdown: String, label: String, language: String = "en") -> String {
        let article = article(markdown)
        let note = article.notes.first { $0.label == label }!
        return ContentRenderer(article: article, dialect: .epub)
            .noteBody(note, labels: Localization(language: language), citationHref: { "#" + $0 })
    }

    func testANoteLinksBackToEachOfItsCitations() {
        XCTAssertEqual(noteBody("A.[^7] B.[^7] C.[^7]\n\n[^7]: Seven.\n", label: "7"),
                       "<p><a class=\"note-number\" href=\"#art-ref-7\" role=\"doc-backlink\">7</a><span class=\"note-separator\">. </span>Seven."
                       + " <a class=\"backlink\" href=\"#art-ref-7-2\" role=\"doc-backlink\" aria-label=\"Back to citation 2\">↩2</a>"
                       + " <a class=\"backlink\" href=\"#art-ref-7-3\" role=\"doc-backlink\" aria-label=\"Back to citation 3\">↩3</a></p>\n")
    }

    func testTheBacklinksOfALongNoteFollowItsLastParagraph() {
        XCTAssertEqual(noteBody("A.[^1] B.[^1]\n\n[^1]: First.\n\n    Second.\n", label: "1", language: "es"),
                       "<p><a class=\"note-number\" href=\"#art-ref-1\" role=\"doc-backlink\">1</a><span class=\"note-separator\">. </span>First.</p>\n"
                       + "<p>Second.</p>\n"
                       + "<p class=\"backlinks\"> <a class=\"backlink\" href=\"#art-ref-1-2\" role=\"doc-backlink\" aria-label=\"Volver a la cita 2\">↩2</a></p>\n")
    }

    func testAnUncitedNoteShowsItsNumberWithoutALink() {
        XCTAssertEqual(noteBody("Text.\n\n[^3]: Lost mark.\n", label: "3"),
                       "<p><span class=\"note-number\">3</span><span class=\"note-separator\">. </span>Lost mark.</p>\n")
    }

    func testANoteThatStartsWithAQuotation() {
        XCTAssertEqual(noteBody("Text.[^1]\n\n[^1]:\n    > Quoted.\n", label: "1"),
                       "<p><a class=\"note-number\" href=\"#art-ref-1\" role=\"doc-backlink\">1</a><span class=\"note-separator\">. </span></p>\n"
                       + "<blockquote>\n  <p>Quoted.</p>\n</blockquote>\n")
    }

    // MARK: Whole articles

    /// Everything the format allows, rendered and parsed back as XML.
    func testARichArticleIsWellFormedXHTML() {
        let markdown = """
        Intro with *emphasis*, **strong**, `code <x>`, ~~del~~, a [link](#art-a) and an autolink <https://e.org/?a&b>.[^1]

        ## A & B, 1 < 2

        > A quotation with a note.[^2]
        >
        > - a list in it
        > - two

        1. First
        2. Second with a [^1] again

        | A | B |
        |:-:|---|
        | `|` & | ![alt & "more"](i.png) |

        ```
        <not markup> & stuff
        ```

        ---

        Line  
        break.

        [^1]: Note *one* & more.

        [^2]: Note two.

            > quoted
        """
        let article = article(markdown)
        let renderer = ContentRenderer(article: article, dialect: .epub)
        var body = renderer.blocks(article.body)
        for note in article.notes {
            body += renderer.noteBody(note, labels: Localization(language: "en"), citationHref: { "#" + $0 })
        }
        let document = "<div xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\">\n\(body)</div>\n"
        XCTAssertEqual(XMLCheck.problems(in: Data(document.utf8)), [], document)
    }

    func testBylinesAndHeadersInTheBooksLanguage() {
        var article = article("Text.\n")
        article.authors = [Author(name: "Lena Souza", organization: "PSTU Brazil"), Author(name: "Florence Oppen", organization: nil),
                           Author(name: "A & B", organization: nil)]
        article.subtitle = [.text("A subtitle")]
        let content = ContentRenderer(article: article, dialect: .epub)
        let furniture = ArticleFurniture(article: article, labels: Localization(language: "pt"), content: content)
        XCTAssertEqual(furniture.bylineText, "Lena Souza, PSTU Brazil, Florence Oppen e A & B")
        XCTAssertEqual(furniture.bylineMarkup, "<span class=\"author\">Lena Souza</span>, <span class=\"organization\">PSTU Brazil</span>, "
                       + "<span class=\"author\">Florence Oppen</span> e <span class=\"author\">A &amp; B</span>")
        let epub = furniture.header(titleLevel: 1, indent: "", dialect: .epub)
        XCTAssertTrue(epub.contains("<h1 class=\"title\" id=\"art-title\">A Title</h1>"))
        XCTAssertTrue(epub.contains("<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">A subtitle</p>"))
        XCTAssertFalse(furniture.header(titleLevel: 2, indent: "", dialect: .html).contains("epub:"))
    }
}
