@testable import EditionKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The EPUB rendered in memory: navigation, package metadata, article documents and notes,
/// read back as XML.
final class EPUBRendererTests: XCTestCase {
    // MARK: Helpers

    private struct Rendered {
        let files: [EPUBFile]

        func file(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> EPUBFile {
            try XCTUnwrap(files.first { $0.path == path }, "no \(path) among \(files.map(\.path))", file: file, line: line)
        }

        func text(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
            String(decoding: try self.file(path, file: file, line: line).data, as: UTF8.self)
        }

        func xml(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Element {
            try Element.parse(try self.file(path, file: file, line: line).data)
        }

        var xhtmlPaths: [String] { files.filter { $0.mediaType == EPUBFile.xhtml }.map(\.path) }
    }

    private func render(_ book: Book, environment: [String: String] = [:]) throws -> Rendered {
        let date = BuildDate(isoDate: book.metadata.date, environment: environment)
        return Rendered(files: try EPUBRenderer(book: book, stylesheet: "body { margin: 0; }", modified: date).render())
    }

    private func minimal() throws -> Rendered { try render(try TestSupport.load(TestSupport.fixtureBook("minimal"))) }

    /// A book with `articles` (file name → Markdown) in one untitled part.
    private func scratch(_ articles: KeyValuePairs<String, String>, language: String = "en-US", extra: String = "",
                         files: [String: String] = [:]) throws -> Book {
        var all = files
        for (name, text) in articles { all[name] = text }
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(articles: articles.map(\.key), language: language,
                                                                                extra: extra), all)
        return try TestSupport.load(folder)
    }

    // MARK: Files

    func testTheContainerFilesComeFirstAndEveryDocumentIsThere() throws {
        let rendered = try minimal()
        XCTAssertEqual(rendered.files.prefix(3).map(\.path), ["mimetype", "META-INF/container.xml", "EPUB/package.opf"])
        XCTAssertEqual(try rendered.text("mimetype"), "application/epub+zip")
        XCTAssertEqual(Set(rendered.xhtmlPaths), [
            "EPUB/text/cover.xhtml", "EPUB/text/titlepage.xhtml", "EPUB/text/contents.xhtml",
            "EPUB/text/first-article.xhtml", "EPUB/text/second-article.xhtml", "EPUB/text/part-2.xhtml",
            "EPUB/text/old-document.xhtml", "EPUB/text/colophon.xhtml", "EPUB/nav.xhtml",
        ], "an untitled part has no page; notes: article has no notes document")
        XCTAssertEqual(Set(rendered.files.map(\.path)).count, rendered.files.count, "a path is used twice")
    }

    func testEveryXMLFileIsWellFormedAndEveryIdUniqueInItsDocument() throws {
        let rendered = try minimal()
        for file in rendered.files where file.isXML {
            XCTAssertEqual(XMLCheck.problems(in: file.data), [], file.path)
            let ids = try Element.parse(file.data).all { _ in true }.compactMap { $0["id"] }
            XCTAssertEqual(ids.count, Set(ids).count, "duplicate ids in \(file.path): \(ids)")
        }
    }

    /// Every link between the publication's documents goes to a file of the publication and,
    /// when it names a fragment, to an element with that id.
    func testEveryInternalLinkArrives() throws {
        for rendered in [try minimal(), try render(notesInBook())] {
            try assertLinksArrive(rendered)
        }
    }

    private func assertLinksArrive(_ rendered: Rendered, file: StaticString = #filePath, line: UInt = #line) throws {
        var idsByPath: [String: Set<String>] = [:]
        for path in rendered.xhtmlPaths {
            idsByPath[path] = Set(try rendered.xml(path).all { _ in true }.compactMap { $0["id"] })
        }
        for path in rendered.xhtmlPaths {
            let folder = (path as NSString).deletingLastPathComponent
            for link in try rendered.xml(path).all({ $0.name == "a" || $0.name == "img" }) {
                guard let target = link["href"] ?? link["src"], !target.contains("://") else { continue }
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let targetPath = parts[0].isEmpty ? path : resolve(parts[0], in: folder)
                XCTAssertTrue(rendered.files.contains { $0.path == targetPath }, "\(path): \(target) goes to no file", file: file, line: line)
                if parts.count > 1 {
                    XCTAssertTrue(idsByPath[targetPath]?.contains(parts[1]) == true, "\(path): \(target) goes to no id", file: file, line: line)
                }
            }
        }
    }

    /// `../images/a.png` from `EPUB/text` → `EPUB/images/a.png`.
    private func resolve(_ relative: String, in folder: String) -> String {
        var components = folder.split(separator: "/").map(String.init)
        for component in relative.split(separator: "/").map(String.init) {
            if component == ".." { components.removeLast() } else if component != "." { components.append(component) }
        }
        return components.joined(separator: "/")
    }

    /// `#id` works anywhere in the book: in the EPUB it goes to the document that holds the id.
    func testLinksBetweenArticlesGoToTheRightDocument() throws {
        let book = try scratch([
            "01-a.md": ScratchBook.article("## Here\n\n[up](#a--here) [b](b.md) [b's section](02-b.md#b--there) [there](#b--there) [web](https://e.org/#b--there) [mail](mailto:x@e.org)\n"),
            "02-b.md": ScratchBook.article("## There\n\n[a](01-a.md#a--here)\n"),
        ])
        XCTAssertEqual(BookChecker(book: book).check().filter { $0.code == .linkBroken }.map(\.message), ["'b.md' is neither an article of this book nor a web address"])
        let rendered = try render(book)
        XCTAssertEqual(try rendered.xml("EPUB/text/a.xhtml").all { $0.name == "a" && $0["href"] != nil }.map { $0["href"]! },
                       ["#a--here", "b.md", "b.xhtml#b--there", "b.xhtml#b--there", "https://e.org/#b--there", "mailto:x@e.org"])
        XCTAssertEqual(try rendered.xml("EPUB/text/b.xhtml").all { $0.name == "a" }.map { $0["href"] }, ["a.xhtml#a--here"])
    }

    // MARK: Navigation

    func testTheTableOfContentsNestsPartsArticlesAndHeadings() throws {
        let nav = try minimal().xml("EPUB/nav.xhtml")
        let toc = try XCTUnwrap(nav.first { $0.name == "nav" && $0["epub:type"] == "toc" })
        XCTAssertEqual(toc.outline, [
            "The First Article: Notes and Sections -> text/first-article.xhtml",
            "  The First Section -> text/first-article.xhtml#first-article--the-first-section",
            "    A Subsection -> text/first-article.xhtml#first-article--a-subsection",
            "Second Article -> text/second-article.xhtml",
            "  Closing -> text/second-article.xhtml#second-article--closing",
            "Documents -> text/part-2.xhtml",
            "  An Old Document -> text/old-document.xhtml",
            "Colophon -> text/colophon.xhtml",
        ])
        let old = try XCTUnwrap(toc.first { $0.name == "a" && $0.text == "An Old Document" })
        XCTAssertEqual(old["lang"], "es", "an article in another language says so in the contents")
        XCTAssertEqual(old["xml:lang"], "es")
        XCTAssertNil(toc.first { $0.name == "a" && $0.text == "Second Article" }?["lang"])
    }

    /// A heading nests under the nearest open heading of a higher level, whatever levels it
    /// skips, and the article's entry takes headings above its first level; the NCX has the
    /// same tree, and its depth counts the deepest branch.
    func testHeadingsThatSkipLevelsNestUnderTheNearestHigherOne() throws {
        let book = try scratch([
            "a.md": ScratchBook.article("### Early\n\nText.\n\n## One\n\nText.\n\n#### Deep\n\nText.\n\n### Middle\n\nText.\n\n## Two\n\nText.\n",
                                        frontMatter: "title: Article A"),
        ])
        let rendered = try render(book)
        let toc = try XCTUnwrap(try rendered.xml("EPUB/nav.xhtml").first { $0.name == "nav" && $0["epub:type"] == "toc" })
        XCTAssertEqual(toc.outline, [
            "Article A -> text/a.xhtml",
            "  Early -> text/a.xhtml#a--early",
            "  One -> text/a.xhtml#a--one",
            "    Deep -> text/a.xhtml#a--deep",
            "    Middle -> text/a.xhtml#a--middle",
            "  Two -> text/a.xhtml#a--two",
            "Colophon -> text/colophon.xhtml",
        ])
        let ncx = try rendered.xml("EPUB/toc.ncx")
        XCTAssertEqual(try Self.ncxOutline(ncx), toc.outline)
        XCTAssertEqual(ncx.all { $0.name == "meta" }.first { $0["name"] == "dtb:depth" }?["content"], "3")
    }

    /// toc.ncx's navMap as the outline nav.xhtml's list gives (`label -> src`, two spaces a level).
    private static func ncxOutline(_ ncx: Element) throws -> [String] {
        func outline(_ point: Element, depth: Int) -> [String] {
            let label = point.children.first { $0.name == "navLabel" }?.text ?? "?"
            let src = point.children.first { $0.name == "content" }?["src"] ?? "?"
            return [String(repeating: "  ", count: depth) + "\(label) -> \(src)"]
                + point.children.filter { $0.name == "navPoint" }.flatMap { outline($0, depth: depth + 1) }
        }
        let map = try XCTUnwrap(ncx.first { $0.name == "navMap" })
        return map.children.filter { $0.name == "navPoint" }.flatMap { outline($0, depth: 0) }
    }

    func testLandmarks() throws {
        let nav = try minimal().xml("EPUB/nav.xhtml")
        let landmarks = try XCTUnwrap(nav.first { $0.name == "nav" && $0["epub:type"] == "landmarks" })
        XCTAssertNotNil(landmarks["hidden"])
        XCTAssertEqual(landmarks.all { $0.name == "a" }.map { "\($0["epub:type"] ?? "") \($0["href"] ?? "")" }, [
            "cover text/cover.xhtml", "titlepage text/titlepage.xhtml", "toc text/contents.xhtml",
            "bodymatter text/first-article.xhtml",
        ])
        let withEndnotes = try render(notesInBook()).xml("EPUB/nav.xhtml")
        XCTAssertTrue(withEndnotes.all { $0.name == "a" }.contains { $0["epub:type"] == "endnotes" && $0["href"] == "text/notes.xhtml" })
    }

    func testTheNCXHasTheSameTreeAndCountsItsPlayOrder() throws {
        let rendered = try minimal()
        let ncx = try rendered.xml("EPUB/toc.ncx")
        let nav = try rendered.xml("EPUB/nav.xhtml").first { $0.name == "nav" && $0["epub:type"] == "toc" }
        XCTAssertEqual(try Self.ncxOutline(ncx), nav?.outline)
        XCTAssertEqual(ncx.all { $0.name == "navPoint" }.map { $0["playOrder"] }, (1...8).map(String.init))
        let meta = Dictionary(uniqueKeysWithValues: ncx.all { $0.name == "meta" }.map { ($0["name"] ?? "", $0["content"] ?? "") })
        XCTAssertEqual(meta["dtb:depth"], "3")
        XCTAssertEqual(meta["dtb:uid"], "urn:uuid:2f1f8a4e-5b0c-4d7e-9a61-3c2b8e9d0a11")
    }

    // MARK: Package document

    /// `property value` for each `meta` of the package, with `refines` resolved to the element's text.
    private func metadata(_ package: Element) -> [String] {
        let byId = Dictionary(package.all { $0["id"] != nil }.map { ($0["id"]!, $0) }) { first, _ in first }
        return package.all { $0.name == "meta" || $0.name.hasPrefix("dc:") }.map { element in
            var line = element.name == "meta" ? (element["property"] ?? "") : element.name
            if let refines = element["refines"], let target = byId[String(refines.dropFirst())] {
                line = "\(target.text) / \(line)"
            }
            return "\(line): \(element.text)"
        }
    }

    func testPackageMetadata() throws {
        let rendered = try minimal()
        let package = try rendered.xml("EPUB/package.opf")
        XCTAssertEqual(package["unique-identifier"], "pub-id")
        let lines = metadata(package)
        for expected in [
            "dc:identifier: urn:uuid:2f1f8a4e-5b0c-4d7e-9a61-3c2b8e9d0a11",
            "dc:title: A Small Edition", "A Small Edition / title-type: main",
            "dc:title: Fixtures for the tests", "Fixtures for the tests / title-type: subtitle",
            "belongs-to-collection: Test Periodical",
            "Test Periodical / collection-type: series",
            "Test Periodical / group-position: 3",
            "Test Periodical / dcterms:identifier: urn:issn:1234-5679",
            "dc:language: en-US", "dc:language: es", "dc:date: 2025-03-01",
            "dcterms:modified: 2025-03-01T00:00:00Z",
            "dc:publisher: The Test Press", "dc:rights: Free to copy.",
            "Ana Editor / role: edt", "Leo Layout / role: bkd", "María Sánchez / role: aut", "John Smith / role: aut",
        ] {
            XCTAssertTrue(lines.contains(expected), "no '\(expected)' in\n\(lines.joined(separator: "\n"))")
        }
        XCTAssertFalse(lines.contains { $0.contains("AUTOR DO TEXTO") }, "a placeholder byline is not a contributor")
        XCTAssertFalse(lines.contains { $0.hasPrefix("dc:subject") }, "the title is not a subject")
        XCTAssertEqual(lines.filter { $0.hasPrefix("dc:language") }, ["dc:language: en-US", "dc:language: es"], "the book's language first")
    }

    func testManifestAndSpine() throws {
        let rendered = try minimal()
        let package = try rendered.xml("EPUB/package.opf")
        let items = package.all { $0.name == "item" }
        let inContainer = Set(rendered.files.map(\.path)).subtracting(["mimetype", "META-INF/container.xml", "EPUB/package.opf"])
        XCTAssertEqual(Set(items.compactMap { $0["href"] }.map { "EPUB/" + $0 }), inContainer)
        XCTAssertEqual(items.count, inContainer.count)
        let hrefById = Dictionary(uniqueKeysWithValues: items.map { ($0["id"]!, $0["href"]!) })
        XCTAssertEqual(package.all { $0.name == "itemref" }.map { hrefById[$0["idref"]!] }, [
            "text/cover.xhtml", "text/titlepage.xhtml", "text/contents.xhtml", "text/first-article.xhtml",
            "text/second-article.xhtml", "text/part-2.xhtml", "text/old-document.xhtml", "text/colophon.xhtml",
        ])
        XCTAssertEqual(items.first { $0["href"] == "nav.xhtml" }?["properties"], "nav")
        XCTAssertEqual(items.filter { $0["properties"] == "cover-image" }.map { $0["href"] }, ["images/cover.png"], "the raster is the cover-image")
        XCTAssertNotNil(items.first { $0["href"] == "images/cover.svg" }, "the SVG cover stays, for the cover page")
        XCTAssertEqual(package.first { $0.name == "spine" }?["toc"], items.first { $0["href"] == "toc.ncx" }?["id"])
    }

    func testModifiedIsTheBookDateOrSourceDateEpoch() throws {
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        func modified(_ environment: [String: String]) throws -> [String] {
            metadata(try render(book, environment: environment).xml("EPUB/package.opf")).filter { $0.hasPrefix("dcterms:modified") }
        }
        XCTAssertEqual(try modified([:]), ["dcterms:modified: 2025-03-01T00:00:00Z"])
        XCTAssertEqual(try modified(["SOURCE_DATE_EPOCH": "1700000000"]), ["dcterms:modified: 2023-11-14T22:13:20Z"])
        XCTAssertEqual(try modified(["SOURCE_DATE_EPOCH": "not a number"]), ["dcterms:modified: 2025-03-01T00:00:00Z"])
        XCTAssertEqual(try modified(["SOURCE_DATE_EPOCH": "-1"]), ["dcterms:modified: 2025-03-01T00:00:00Z"])
    }

    // MARK: Accessibility metadata

    private func accessibility(_ book: Book) throws -> [String] {
        metadata(try render(book).xml("EPUB/package.opf"))
            .filter { $0.hasPrefix("schema:") || $0.hasPrefix("dcterms:conformsTo") || $0.hasPrefix("a11y:") }
    }

    func testAccessibilityMetadataOfABookWithoutImages() throws {
        let lines = try accessibility(try TestSupport.load(TestSupport.fixtureBook("minimal")))
        XCTAssertEqual(lines.filter { !$0.hasPrefix("schema:accessibilitySummary") }, [
            "schema:accessMode: textual", "schema:accessModeSufficient: textual",
            "schema:accessibilityFeature: tableOfContents", "schema:accessibilityFeature: structuralNavigation",
            "schema:accessibilityFeature: readingOrder", "schema:accessibilityFeature: displayTransformability",
            "schema:accessibilityHazard: none",
            "dcterms:conformsTo: EPUB Accessibility 1.1 - WCAG 2.2 Level AA", "a11y:certifiedBy: The Test Press",
        ])
        XCTAssertTrue(lines.contains { $0.hasPrefix("schema:accessibilitySummary") && $0.contains("no images") })
    }

    func testDescribedImagesKeepTheConformanceClaim() throws {
        let book = try scratch(["article.md": ScratchBook.article("![A map of Bolivia](images/map.png)\n")], files: ["images/map.png": "png"])
        let lines = try accessibility(book)
        for expected in ["schema:accessMode: visual", "schema:accessModeSufficient: textual", "schema:accessModeSufficient: textual,visual",
                         "schema:accessibilityFeature: alternativeText"] {
            XCTAssertTrue(lines.contains(expected), "no '\(expected)' in \(lines)")
        }
        // No conformance claim: its book.yaml names no one who evaluated it.
        XCTAssertFalse(lines.contains { $0.hasPrefix("dcterms:conformsTo") || $0.hasPrefix("a11y:") }, "\(lines)")
    }

    func testAnImageWithoutAltTextWithdrawsTheConformanceClaim() throws {
        let book = try scratch(["article.md": ScratchBook.article("![A map](images/map.png)\n\n![](images/map.png)\n")],
                               files: ["images/map.png": "png"])
        let lines = try accessibility(book)
        XCTAssertFalse(lines.contains { $0.hasPrefix("dcterms:conformsTo") }, "\(lines)")
        XCTAssertFalse(lines.contains { $0.hasPrefix("a11y:certifiedBy") })
        XCTAssertFalse(lines.contains("schema:accessibilityFeature: alternativeText"))
        XCTAssertFalse(lines.contains("schema:accessModeSufficient: textual"), "text alone is not enough when an image is not described")
        XCTAssertTrue(lines.contains("schema:accessModeSufficient: textual,visual"))
    }

    func testSkippedHeadingsOrRawHTMLWithdrawTheConformanceClaim() throws {
        for body in ["## A\n\n#### B\n", "Text <span>raw</span>.\n", "<div>\nraw\n</div>\n"] {
            let lines = try accessibility(try scratch(["article.md": ScratchBook.article(body)]))
            XCTAssertFalse(lines.contains { $0.hasPrefix("dcterms:conformsTo") }, body)
        }
    }

    // MARK: Articles and notes

    func testNoteReferencesAndFootnotes() throws {
        let document = try minimal().xml("EPUB/text/first-article.xhtml")
        XCTAssertTrue(document.all { $0.name == "sup" }.isEmpty, "no <sup>: CSS raises the number")
        let references = document.all { $0["epub:type"] == "noteref" }
        XCTAssertEqual(references.map(\.text), ["1", "2", "1"])
        XCTAssertTrue(references.allSatisfy { $0.name == "a" && $0["role"] == "doc-noteref" && $0.children.isEmpty })
        XCTAssertEqual(references.map { $0["href"] }, ["#first-article-note-1", "#first-article-note-2", "#first-article-note-1"])

        let notes = document.all { $0["epub:type"] == "footnote" }
        XCTAssertEqual(notes.map { $0["id"] }, ["first-article-note-1", "first-article-note-2"])
        XCTAssertTrue(notes.allSatisfy { $0.name == "aside" && $0["role"] == "doc-footnote" })
        // Each note links back to every citation of it.
        for note in notes {
            let citing = references.filter { $0["href"] == "#" + note["id"]! }.compactMap { $0["id"] }
            let backlinks = note.all { $0["role"] == "doc-backlink" }.compactMap { $0["href"] }
            XCTAssertEqual(backlinks, citing.map { "#" + $0 }, note["id"]!)
        }
        XCTAssertEqual(notes.first?.text.trimmingCharacters(in: .whitespacesAndNewlines), "1. The first note, with italic text. ↩2")
    }

    func testTheNumberShownIsTheLabelOfTheSource() throws {
        let book = try scratch(["article.md": ScratchBook.article("A.[^14] B.[^3a]\n\n[^14]: Fourteen.\n\n[^3a]: Three a.\n\n[^20]: Uncited.\n")])
        let document = try render(book).xml("EPUB/text/article.xhtml")
        XCTAssertEqual(document.all { $0["epub:type"] == "noteref" }.map(\.text), ["14", "3a"])
        XCTAssertEqual(document.all { $0.hasClass("note-number") }.map(\.text), ["14", "3a", "20"])
        XCTAssertEqual(document.all { $0["epub:type"] == "footnote" }.map { $0["id"] }, ["article-note-14", "article-note-3a"])
        // The uncited note is listed visibly, not as a footnote aside that reading systems hide.
        XCTAssertEqual(document.all { $0.hasClass("unlinked-note") }.map { $0["id"] }, ["article-note-20"])
    }

    func testAnArticleInAnotherLanguage() throws {
        let document = try minimal().xml("EPUB/text/old-document.xhtml")
        XCTAssertEqual(document["lang"], "es")
        XCTAssertEqual(document["xml:lang"], "es")
        XCTAssertEqual(document.first { $0.name == "h2" }?.text, "Notas sin llamada en el texto", "the tool's words follow the document's language")
        XCTAssertEqual(try minimal().xml("EPUB/text/first-article.xhtml")["lang"], "en-US")
    }

    private func notesInBook() throws -> Book {
        try scratch([
            "a.md": ScratchBook.article("A one.[^1] A two.[^2] A one again.[^1]\n\n[^1]: A's first.\n\n[^2]: A's second.\n", frontMatter: "title: Article A"),
            "b.md": ScratchBook.article("B one.[^1]\n\n[^1]: B's first.\n\n[^9]: B's uncited.\n", frontMatter: "title: Article B\nlanguage: pt"),
            "c.md": ScratchBook.article("No notes.\n", frontMatter: "title: Article C"),
        ], extra: "notes: book\n")
    }

    func testNotesForTheWholeBookLiveInOneDocumentWithIdsUniqueAcrossTheEdition() throws {
        let rendered = try render(notesInBook())
        let notes = try rendered.xml("EPUB/text/notes.xhtml")
        let entries = notes.all { $0["epub:type"] == "endnote" }
        XCTAssertEqual(entries.map { $0["id"] }, ["a-note-1", "a-note-2", "b-note-1", "b-note-9"])
        XCTAssertEqual(entries.compactMap { $0["role"] }, [], "DPUB-ARIA 1.1 deprecates doc-endnote; EPUBCheck warns")
        XCTAssertEqual(notes.all { $0.name == "section" && $0["id"] != nil }.map { $0["id"] }, ["a-notes", "b-notes"], "no section for an article without notes")
        XCTAssertEqual(notes.first { $0["id"] == "b-notes" }?["lang"], "pt")

        let a = try rendered.xml("EPUB/text/a.xhtml")
        XCTAssertTrue(a.all { $0["epub:type"] == "footnote" || $0.hasClass("footnotes") }.isEmpty, "no notes left in the article")
        XCTAssertEqual(a.all { $0["epub:type"] == "noteref" }.map { $0["href"] },
                       ["notes.xhtml#a-note-1", "notes.xhtml#a-note-2", "notes.xhtml#a-note-1"])
        XCTAssertEqual(entries.first?.all { $0["role"] == "doc-backlink" }.map { $0["href"] }, ["a.xhtml#a-ref-1", "a.xhtml#a-ref-1-2"])

        var all: [String] = []
        for path in rendered.xhtmlPaths where path.hasPrefix("EPUB/text/") {
            all += try rendered.xml(path).all { _ in true }.compactMap { $0["id"] }.filter { $0.contains("-note-") || $0.contains("-ref-") }
        }
        XCTAssertEqual(all.count, Set(all).count, "note ids repeat across the edition: \(all)")
        XCTAssertEqual(try rendered.xml("EPUB/nav.xhtml").first { $0.name == "nav" && $0["epub:type"] == "toc" }?.outline.suffix(2),
                       ["Notes -> text/notes.xhtml", "Colophon -> text/colophon.xhtml"])
    }

    // MARK: Localization

    func testTheToolsWordsInSpanishAndPortuguese() throws {
        for (language, contents, notes, landmarks, date) in [
            ("en", "Contents", "Notes", "Landmarks", "Edition 7 · June 2026"),
            ("es", "Índice", "Notas", "Puntos de referencia", "Edición 7 · junio de 2026"),
            ("pt-BR", "Sumário", "Notas", "Pontos de referência", "Edição 7 · junho de 2026"),
        ] {
            let book = try scratch(["article.md": ScratchBook.article("Text.[^1]\n\n[^1]: Note.\n")], language: language,
                                   extra: "periodical:\n  name: P\n  edition: 7\n")
            let rendered = try render(book)
            let nav = try rendered.xml("EPUB/nav.xhtml")
            XCTAssertEqual(nav.first { $0["id"] == "toc-title" }?.text, contents, language)
            XCTAssertEqual(nav.first { $0["id"] == "landmarks-title" }?.text, landmarks, language)
            XCTAssertEqual(try rendered.xml("EPUB/text/article.xhtml").first { $0["id"] == "article-notes-heading" }?.text, notes, language)
            XCTAssertEqual(try rendered.xml("EPUB/text/titlepage.xhtml").first { $0.hasClass("edition-line") }?.text, date, language)
            XCTAssertEqual(nav["lang"], language)
        }
    }

    func testLocalization() {
        let en = Localization(language: "en"), es = Localization(language: "es-419"), pt = Localization(language: "pt")
        XCTAssertEqual(en.list(["A", "B", "C"]), "A, B and C")
        XCTAssertEqual(es.list(["A", "B"]), "A y B")
        XCTAssertEqual(pt.list(["A"]), "A")
        XCTAssertEqual(en.list([]), "")
        XCTAssertEqual(en.monthAndYear("2026-06-01"), "June 2026")
        XCTAssertEqual(es.monthAndYear("2026-06-01"), "junio de 2026")
        XCTAssertEqual(pt.monthAndYear("2026-12-01"), "dezembro de 2026")
        XCTAssertEqual(en.monthAndYear("2026-13-01"), "2026-13-01")
        XCTAssertEqual(pt.backToCitation(3), "Voltar à citação 3")
        XCTAssertEqual(es.role(.responsibleEditor), "Editor responsable")
        XCTAssertEqual(pt.role(.layout), "Diagramação")
        XCTAssertTrue(Localization.isSupported("pt-BR"))
        XCTAssertFalse(Localization.isSupported("de"))
        XCTAssertEqual(Localization(language: "de")[.contents], "Contents")
        // Every word translated: none empty, none left in English (but the ISSN).
        for key in Localization.Key.allCases where key != .issn {
            for language in ["es", "pt"] {
                XCTAssertFalse(Localization(language: language)[key].isEmpty, "\(language) \(key)")
                XCTAssertNotEqual(Localization(language: language)[key], en[key], "\(language) \(key) is English")
            }
        }
    }
}

/// A small XML tree (FoundationXML's parser, no namespace processing: names keep their prefix).
private final class Element {
    let name: String
    let attributes: [String: String]
    private(set) var children: [Element] = []
    private var pieces: [Piece] = []
    private enum Piece { case text(String), element(Element) }

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(attribute: String) -> String? { attributes[attribute] }

    func hasClass(_ name: String) -> Bool { (attributes["class"] ?? "").split(separator: " ").contains { $0 == name } }

    /// The text inside, all levels joined.
    var text: String {
        pieces.map { piece in
            switch piece {
            case .text(let text): return text
            case .element(let element): return element.text
            }
        }.joined()
    }

    /// This element and every one inside it, in document order, that `predicate` accepts.
    func all(_ predicate: (Element) -> Bool) -> [Element] {
        (predicate(self) ? [self] : []) + children.flatMap { $0.all(predicate) }
    }

    func first(_ predicate: (Element) -> Bool) -> Element? { all(predicate).first }

    /// A nav's lists as indented `label -> href` lines.
    var outline: [String] {
        func lines(_ list: Element, depth: Int) -> [String] {
            list.children.filter { $0.name == "li" }.flatMap { item -> [String] in
                let link = item.children.first { $0.name == "a" }
                let head = String(repeating: "  ", count: depth) + "\(link?.text ?? "?") -> \(link?["href"] ?? "?")"
                return [head] + item.children.filter { $0.name == "ol" }.flatMap { lines($0, depth: depth + 1) }
            }
        }
        return children.filter { $0.name == "ol" }.flatMap { lines($0, depth: 0) }
    }

    static func parse(_ data: Data) throws -> Element {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw SetupError(message: "not XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let element = Element(name: name, attributes: attributes)
            if let parent = stack.last {
                parent.children.append(element)
                parent.pieces.append(.element(element))
            } else {
                root = element
            }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.pieces.append(.text(string))
        }
    }
}
