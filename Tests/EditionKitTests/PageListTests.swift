import EditionKit
import Foundation
import XCTest

/// The print edition's pages in the EPUB (issue 12), on the print fixture with right-hand
/// openings, so that it has part pages and blank left-hand pages: the WeasyPrint driver's page
/// map, the markers, the page list and its metadata, the cache for builds without a PDF, and
/// finding WeasyPrint without PATH.
final class PageListTests: XCTestCase {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<(folder: URL, book: URL, report: BuildReport, pdf: PageListCheck), Error>?

    /// The print fixture with `recto-openings: true`, built with its PDF once for the class.
    private func fixture() throws -> (folder: URL, book: URL, report: BuildReport, pdf: PageListCheck) {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let built = Self.built { return try built.get() }
        let result = Result { () throws -> (folder: URL, book: URL, report: BuildReport, pdf: PageListCheck) in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edition-page-list-\(UUID().uuidString)")
            let book = folder.appendingPathComponent("book", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TestSupport.fixtureBook("print"), to: book)
            let yaml = book.appendingPathComponent("book.yaml")
            let text = try String(contentsOf: yaml, encoding: .utf8)
                .replacingOccurrences(of: "  first-page: 4\n", with: "  first-page: 5\n  recto-openings: true\n")
            try text.write(to: yaml, atomically: true, encoding: .utf8)
            let report = try PrintTools.buildPDF(book: book, into: folder.appendingPathComponent("out"))
            let pdf = try PageListCheck(pdf: folder.appendingPathComponent("out/print-edition.pdf"))
            return (folder, book, report, pdf)
        }
        Self.built = result
        return try result.get()
    }

    override class func tearDown() {
        if case .success(let built) = built { try? FileManager.default.removeItem(at: built.folder) }
        built = nil
        super.tearDown()
    }

    private var epub: URL { get throws { try fixture().folder.appendingPathComponent("out/print-edition.epub") } }

    // MARK: The page map

    func testThePageMapHasEveryPageWithItsFolioAndFirstWords() throws {
        let (_, _, report, pdf) = try fixture()
        let map = try XCTUnwrap(report.pageMap, "a build with --pdf has a page map")
        XCTAssertEqual(map.pages.count, pdf.pages.count, "one entry per page of the PDF")
        XCTAssertTrue(["applied", "present"].contains(map.columnFix), map.columnFix)
        let folios = try pdf.folios()
        let body = try XCTUnwrap(folios.first).index
        for (index, page) in map.pages.enumerated() {
            let printed = pdf.pages[index]
            XCTAssertEqual(page.numbered, index >= body, "page \(index + 1): only the body's pages count")
            if let folio = printed.folio { XCTAssertEqual(page.counter, folio, "page \(index + 1) prints \(folio)") }
            if index >= body { XCTAssertEqual(page.counter, folios[index - body].folio) }
            if printed.body.isEmpty {
                XCTAssertNil(page.id, "page \(index + 1) is blank: its text begins nowhere")
                continue
            }
            // The cover's words are in its image: no text of the flow.
            if index == 0 { XCTAssertEqual(page.words, []); continue }
            let expected = printed.body.split(separator: " ").prefix(3).map { FixtureSource.word(String($0)) }
            let words = PrintedPDF.flatten(page.words.joined(separator: "\n").replacingOccurrences(of: "\u{2010}\n", with: ""))
                .split(separator: " ").prefix(3).map { FixtureSource.word(String($0)) }
            XCTAssertEqual(words, expected, "page \(index + 1): the map's first words are the page's")
            guard index >= body else { continue }
            XCTAssertNotNil(page.id, "page \(index + 1) has text, so the map says where it begins")
        }
        let blank = folios.filter { pdf.pages[$0.index].body.isEmpty }
        XCTAssertFalse(blank.isEmpty, "right-hand openings leave blank left-hand pages to test")
    }

    func testTheMapPointsIntoThePrintHTML() throws {
        let (folder, _, report, _) = try fixture()
        let html = try String(contentsOf: folder.appendingPathComponent("out/print/print-edition.html"), encoding: .utf8)
        let map = try XCTUnwrap(report.pageMap)
        var checked = 0
        for page in map.pages {
            guard let id = page.id, let offset = page.offset, let first = page.words.first else { continue }
            // The text content of the element, the way an HTML parser reads it.
            let text = try XCTUnwrap(Self.textContent(ofID: id, in: html), "#\(id) is not in the print HTML")
            let scalars = Array(text.unicodeScalars)
            XCTAssertLessThan(offset, scalars.count, "#\(id)")
            guard offset < scalars.count else { continue }
            let rest = String(String.UnicodeScalarView(scalars[offset...]))
            let word = first.hasSuffix("\u{2010}") ? String(first.dropLast()) : first
            XCTAssertTrue(rest.hasPrefix(word), "#\(id) at \(offset) reads \(rest.prefix(30)), the page begins \(first)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 5)
    }

    /// The text content of the element with `id`: every character between its tags.
    static func textContent(ofID id: String, in html: String) -> String? {
        guard let attribute = html.range(of: " id=\"\(id)\""),
              let open = html[..<attribute.lowerBound].lastIndex(of: "<"),
              let tagEnd = html[attribute.upperBound...].firstIndex(of: ">") else { return nil }
        let name = html[html.index(after: open)...].prefix { $0.isLetter || $0.isNumber }
        var depth = 1
        var text = ""
        var index = html.index(after: tagEnd)
        while index < html.endIndex, depth > 0 {
            if html[index] == "<" {
                let end = html[index...].firstIndex(of: ">")!
                let tag = html[index...end]
                if tag.hasPrefix("</\(name)") { depth -= 1 } else if tag.hasPrefix("<\(name)") && !tag.hasSuffix("/>") { depth += 1 }
                index = html.index(after: end)
            } else {
                text.append(html[index])
                index = html.index(after: index)
            }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    // MARK: The EPUB

    func testOneMarkerPerFolioWhereItsPageBegins() throws {
        let compared = try fixture().pdf.compare(with: try epub)
        XCTAssertGreaterThan(compared, 5)
    }

    func testPageListInTheNavigationTheNCXAndTheMetadata() throws {
        let reader = try EPUBReader(url: try epub)
        let folios = try fixture().pdf.folios().map(\.folio)
        let nav = try PageListCheck.navPageList(reader)
        XCTAssertEqual(nav.map(\.label), folios.map(String.init))
        let navText = try XCTUnwrap(reader["EPUB/nav.xhtml"]).text
        XCTAssertTrue(navText.contains("<nav epub:type=\"page-list\""), "a page-list nav")

        let ncx = try XCTUnwrap(reader["EPUB/toc.ncx"]).text
        let targets = ncx.matches(of: /<pageTarget id="[^"]+" type="normal" value="(\d+)" playOrder="\d+">\s*<navLabel><text>(\d+)<\/text><\/navLabel>\s*<content src="([^"]+)"\/>/)
        XCTAssertEqual(targets.map { String($0.1) }, folios.map(String.init), "toc.ncx's pageList has every folio")
        XCTAssertEqual(targets.map { String($0.3) }, nav.map(\.href), "and points where the nav does")
        XCTAssertTrue(ncx.contains("<meta name=\"dtb:totalPageCount\" content=\"\(folios.count)\"/>"))
        XCTAssertTrue(ncx.contains("<meta name=\"dtb:maxPageNumber\" content=\"\(folios.max()!)\"/>"))

        let opf = try XCTUnwrap(reader["EPUB/package.opf"]).text
        XCTAssertTrue(opf.contains("<meta property=\"schema:accessibilityFeature\">pageNavigation</meta>"))
        XCTAssertTrue(opf.contains("<meta property=\"schema:accessibilityFeature\">pageBreakMarkers</meta>"))
        let source = try XCTUnwrap(opf.firstMatch(of: /<meta property="pageBreakSource">([^<]*)<\/meta>/)).1
        XCTAssertTrue(source.contains("0000-0019") && source.contains("print edition"), "pageBreakSource names the print edition: \(source)")

        for document in reader.spineDocuments {
            for marker in document.text.matches(of: /<span epub:type="pagebreak"[^>]*\/>/) {
                let tag = String(marker.0)
                let folio = try XCTUnwrap(tag.firstMatch(of: /id="page-(\d+)"/)).1
                XCTAssertTrue(tag.contains("role=\"doc-pagebreak\"") && tag.contains("aria-label=\"\(folio)\""), tag)
            }
        }
    }

    func testEPUBCheckAcceptsThePageList() throws {
        try EPUBCheck.assertValid(try epub)
    }

    // MARK: Without a PDF

    func testAnEPUBOnlyBuildTakesThePageListOfTheSamePrintInputsAndNeverAStaleOne() throws {
        let (folder, book, _, _) = try fixture()
        let output = folder.appendingPathComponent("out", isDirectory: true)
        let withPDF = try PageListCheck.navPageList(EPUBReader(url: try epub))
        let copy = try TestSupport.temporaryFolder(self).appendingPathComponent("out", isDirectory: true)
        try FileManager.default.copyItem(at: output, to: copy)

        // The same print inputs: the same page list.
        let again = try TestSupport.build(book: book, into: copy, epubOnly: true)
        XCTAssertNotNil(again.pageMap)
        let reused = try PageListCheck.navPageList(EPUBReader(url: copy.appendingPathComponent("print-edition.epub")))
        XCTAssertEqual(reused.map(\.label), withPDF.map(\.label))
        XCTAssertEqual(reused.map(\.href), withPDF.map(\.href))

        // Another print.css: the pages may fall elsewhere, so no page list at all.
        let styles = copy.deletingLastPathComponent().appendingPathComponent("styles", isDirectory: true)
        try FileManager.default.copyItem(at: TestSupport.styles, to: styles)
        let css = styles.appendingPathComponent("print.css")
        try (try String(contentsOf: css, encoding: .utf8) + "\nhtml { font-size: 12pt; }\n").write(to: css, atomically: true, encoding: .utf8)
        var options = BuildOptions(book: book.path, output: copy.path)
        options.styles = styles.path
        options.print = false
        let changed = try Pipeline.build(options)
        XCTAssertNil(changed.pageMap, "print.css changed: no page map")
        let reader = try EPUBReader(url: copy.appendingPathComponent("print-edition.epub"))
        XCTAssertEqual(try PageListCheck.navPageList(reader).count, 0, "no page list from another layout")
        XCTAssertFalse(reader.spineDocuments.contains { $0.text.contains("doc-pagebreak") }, "no page break markers")
        XCTAssertFalse(try XCTUnwrap(reader["EPUB/package.opf"]).text.contains("pageBreakSource"))

        // Another word in an article: the same.
        let edited = try TestSupport.temporaryFolder(self).appendingPathComponent("book")
        try FileManager.default.copyItem(at: book, to: edited)
        let article = edited.appendingPathComponent("01-altiplano.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        try text.replacingOccurrences(of: "\n\n", with: "\n\nA new sentence of the editors.\n\n", options: [], range: text.range(of: "---\n\n", options: .backwards))
            .write(to: article, atomically: true, encoding: .utf8)
        XCTAssertNil(try TestSupport.build(book: edited, into: copy, epubOnly: true).pageMap, "the text changed: no page map")
    }

    // MARK: Finding WeasyPrint

    func testTheCommandFindsTheVenvWithoutPATHOrVariables() throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("edition")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw SetupError(message: "the edition executable is not built beside the tests (\(executable.path)): run swift build --build-tests")
        }
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("minimal")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        try FileManager.default.copyItem(at: TestSupport.styles, to: book.appendingPathComponent("styles"))
        // A working folder outside the repository, PATH without .venv/bin, no EDITION_ variable.
        let process = Process()
        process.executableURL = executable
        process.arguments = ["build", book.path, "--out", folder.appendingPathComponent("dist").path, "--pdf", "--quiet"]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSHomeDirectory()]
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        let pdf = try Data(contentsOf: folder.appendingPathComponent("dist/minimal-edition.pdf"))
        XCTAssertEqual(pdf.prefix(5), Data("%PDF-".utf8))
    }

    func testTheLocatorLooksBesideTheBookThenOnPATHAndSaysWhatIsMissing() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("project/book", isDirectory: true)
        try FileManager.default.createDirectory(at: book, withIntermediateDirectories: true)
        var locator = ToolLocator(environment: ["PATH": "/nonexistent"], book: book)
        locator.searchFolders = [book]
        XCTAssertThrowsError(try locator.python()) { error in
            let diagnostic = (error as? BuildFailure)?.diagnostics.first
            XCTAssertEqual(diagnostic?.code, .toolMissing)
            XCTAssertTrue(diagnostic?.hint?.contains("scripts/build") == true)
        }

        // A weasyprint on PATH: its own Python.
        let bin = folder.appendingPathComponent("elsewhere/bin", isDirectory: true)
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in ["weasyprint", "python3"] {
            try "#!/bin/sh\n".write(to: bin.appendingPathComponent(name), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent(name).path)
        }
        locator.environment["PATH"] = "/nonexistent:" + bin.path
        XCTAssertEqual(try locator.python().python.path, bin.appendingPathComponent("python3").path)

        // A .venv beside the book comes before PATH.
        let venv = folder.appendingPathComponent("project/.venv/bin", isDirectory: true)
        try FileManager.default.createDirectory(at: venv, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: bin.appendingPathComponent("python3"), to: venv.appendingPathComponent("python3"))
        XCTAssertEqual(try locator.python().python.path, venv.appendingPathComponent("python3").path)

        // EDITION_WEASYPRINT names the program: its Python; EDITION_PYTHON comes first of all.
        locator.environment[ToolLocator.weasyPrintVariable] = bin.appendingPathComponent("weasyprint").path
        XCTAssertEqual(try locator.python().python.path, bin.appendingPathComponent("python3").path)
        locator.environment[ToolLocator.pythonVariable] = venv.appendingPathComponent("python3").path
        XCTAssertEqual(try locator.python().python.path, venv.appendingPathComponent("python3").path)
        locator.environment[ToolLocator.pythonVariable] = folder.appendingPathComponent("nothing").path
        XCTAssertThrowsError(try locator.python())
    }
}
