import EditionKit
import Foundation
import XCTest

/// `edition verify` on the print fixture built with its PDF: nothing to report on a clean
/// build, and each kind of difference caught when an output is broken on purpose.
final class VerifyTests: XCTestCase {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<URL, Error>?

    /// A clean build of the print fixture, with its PDF (once for the class).
    private func clean() throws -> URL {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let built = Self.built { return try built.get() }
        let result = Result { () throws -> URL in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edition-verify-\(UUID().uuidString)")
            try PrintTools.buildPDF(book: TestSupport.fixtureBook("print"), into: folder)
            return folder
        }
        Self.built = result
        return try result.get()
    }

    override class func tearDown() {
        if case .success(let folder) = built { try? FileManager.default.removeItem(at: folder) }
        if case .success(let folder) = broken { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        if case .success(let folder) = site { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        built = nil
        broken = nil
        site = nil
        super.tearDown()
    }

    /// A copy of the clean build to break.
    private func copy() throws -> URL {
        let folder = try TestSupport.temporaryFolder(self).appendingPathComponent("dist")
        try FileManager.default.copyItem(at: try clean(), to: folder)
        return folder
    }

    private func verify(_ output: URL) -> [Diagnostic] {
        Verifier(book: TestSupport.fixtureBook("print").path, output: output.path).verify()
    }

    /// Rewrites one document of the EPUB.
    private func editEPUB(_ output: URL, _ edit: (String, String) -> String) throws {
        let url = output.appendingPathComponent("print-edition.epub")
        let reader = try EPUBReader(url: url)
        let files = reader.entries.map { entry in
            EPUBFile(path: entry.name, mediaType: entry.name.hasSuffix(".xhtml") ? EPUBFile.xhtml : "application/octet-stream",
                     data: entry.name.hasSuffix(".xhtml") ? Data(edit(entry.name, entry.text).utf8) : entry.data)
        }
        _ = try EPUBArchive.write(files, to: url, date: BuildDate(isoDate: "2025-09-15"))
    }

    func testACleanBuildVerifiesAndTheCommandExitsZero() throws {
        let output = try clean()
        XCTAssertEqual(verify(output).map(\.description), [])
        let run = try TestSupport.run(try TestSupport.editionExecutable().path,
                                      ["verify", TestSupport.fixtureBook("print").path, "--out", output.path])
        XCTAssertEqual(run.status, 0, run.output)
    }

    func testAWordChangedInThePrintEditionIsReportedWhereItIs() throws {
        let output = try copy()
        let html = output.appendingPathComponent("print/print-edition.html")
        let text = try String(contentsOf: html, encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: "assembly"))
        try text.replacingCharacters(in: range, with: "asembly").write(to: html, atomically: true, encoding: .utf8)
        let found = verify(output).filter { $0.code == .verifyWords }
        XCTAssertFalse(found.isEmpty)
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        XCTAssertTrue(found.contains { $0.location?.file.hasSuffix("print-edition.html") == true && $0.location?.line == line
            && $0.message.contains("asembly") }, found.map(\.description).joined(separator: "\n"))
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        XCTAssertTrue(run.text.contains("print-edition.html:\(line):") && run.text.contains("[verify-words]"), run.text)
        XCTAssertTrue(run.json.contains { $0["code"] as? String == "verify-words" && $0["line"] as? Int == line }, run.text)
    }

    func testANoteDroppedFromTheEPUBIsReported() throws {
        let output = try copy()
        var dropped = ""
        try editEPUB(output) { name, text in
            guard dropped.isEmpty, let match = text.firstMatch(of: /(?s)<aside class="footnote" id="([^"]+)".*?<\/aside>\n/) else { return text }
            dropped = String(match.1)
            return text.replacingCharacters(in: match.range, with: "")
        }
        XCTAssertFalse(dropped.isEmpty)
        let found = verify(output).filter { $0.code == .verifyNote }
        XCTAssertTrue(found.contains { $0.message.contains("missing from") && $0.message.contains("note \(dropped.split(separator: "-").last!)") },
                      found.map(\.description).joined(separator: "\n"))
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        XCTAssertTrue(run.json.contains { $0["code"] as? String == "verify-note"
            && ($0["message"] as? String)?.contains("note \(dropped.split(separator: "-").last!) is missing from") == true }, run.text)
    }

    func testAShiftedPageMarkerIsReported() throws {
        let output = try copy()
        var shifted = ""
        try editEPUB(output) { name, text in
            // The first marker inside a paragraph: moved three words on.
            guard shifted.isEmpty, name.contains("/text/"),
                  let marker = text.firstMatch(of: /<span epub:type="pagebreak" role="doc-pagebreak" id="(page-\d+)" aria-label="\d+"\/>(\w+ \w+ \w+ )/)
            else { return text }
            shifted = String(marker.1)
            let tag = String(marker.0.dropLast(marker.2.count))
            return text.replacingCharacters(in: marker.range, with: String(marker.2) + tag)
        }
        XCTAssertFalse(shifted.isEmpty, "a marker before three words")
        let found = verify(output).filter { $0.code == .verifyPageList }
        XCTAssertTrue(found.contains { $0.message.hasPrefix("page \(shifted.dropFirst(5)) ") }, found.map(\.description).joined(separator: "\n"))
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        XCTAssertTrue(run.json.contains { $0["code"] as? String == "verify-page-list"
            && ($0["message"] as? String)?.hasPrefix("page \(shifted.dropFirst(5)) ") == true }, run.text)
    }

    // MARK: Through the command, each kind of difference

    /// Runs `edition verify` on `output` (with `extra` arguments), in text and in JSON.
    private func command(_ output: URL, book: URL? = nil, _ extra: [String] = []) throws -> (status: Int32, text: String, json: [[String: Any]]) {
        let executable = try TestSupport.editionExecutable().path
        let arguments = ["verify", (book ?? TestSupport.fixtureBook("print")).path, "--out", output.path] + extra
        let text = try TestSupport.run(executable, arguments)
        let json = try TestSupport.run(executable, arguments + ["--json"])
        XCTAssertEqual(text.status, json.status)
        let objects = json.output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
        return (text.status, text.output, objects)
    }

    /// The line (1-based) of the first occurrence of `needle` in `text`.
    private func line(of needle: String, in text: String) throws -> Int {
        let range = try XCTUnwrap(text.range(of: needle), "“\(needle)” is in the text")
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    private static let brokenLock = NSLock()
    nonisolated(unsafe) private static var broken: Result<URL, Error>?

    /// The print fixture built with its PDF from a print.css that (1) hides the third paragraph
    /// of the first article's body, (2) hides the first article's second note and (3) numbers
    /// the contents with the contents page's own number instead of each article's (a rule
    /// written with counter() where target-counter() was meant). Built once for the class.
    private func brokenStyles() throws -> URL {
        Self.brokenLock.lock()
        defer { Self.brokenLock.unlock() }
        if let broken = Self.broken { return try broken.get() }
        let result = Result { () throws -> URL in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edition-verify-broken-\(UUID().uuidString)")
            let styles = folder.appendingPathComponent("styles")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: TestSupport.repository.appendingPathComponent("styles"), to: styles)
            let html = try String(contentsOf: try clean().appendingPathComponent("print/print-edition.html"), encoding: .utf8)
            let article = try XCTUnwrap(html.firstMatch(of: /<article id="([^"]+)"/)).1
            let css = styles.appendingPathComponent("print.css")
            let rules = """

                /* Broken on purpose by VerifyTests. */
                #\(article) .article-body > p:nth-of-type(3) { display: none; }
                #\(article)-note-2 { display: none; }
                .contents-title a::after { content: leader(". ") counter(page); }

                """
            try (try String(contentsOf: css, encoding: .utf8) + rules).write(to: css, atomically: true, encoding: .utf8)
            let run = try TestSupport.run(try TestSupport.editionExecutable().path,
                                          ["build", TestSupport.fixtureBook("print").path, "--pdf", "--styles", styles.path,
                                           "--out", folder.appendingPathComponent("dist").path, "--quiet"])
            guard run.status == 0 else { throw SetupError(message: "building with the broken print.css failed:\n\(run.output)") }
            return folder.appendingPathComponent("dist")
        }
        Self.broken = result
        return try result.get()
    }

    func testAParagraphPrintCSSHidesIsMissingFromThePDFAtItsPlace() throws {
        let output = try brokenStyles()
        let html = try String(contentsOf: output.appendingPathComponent("print/print-edition.html"), encoding: .utf8)
        let article = try XCTUnwrap(html.firstMatch(of: /<article id="([^"]+)"/)).1
        // The third <p> of that article's body.
        let body = try XCTUnwrap(html.range(of: "<article id=\"\(article)\"").flatMap { html.range(of: "class=\"article-body\"", range: $0.upperBound..<html.endIndex) })
        let paragraphs = html[body.upperBound...].ranges(of: "<p>")
        XCTAssertGreaterThan(paragraphs.count, 3)
        let hidden = html[..<paragraphs[2].lowerBound].filter { $0 == "\n" }.count + 1
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        let found = run.json.filter { $0["code"] as? String == "verify-pdf-text" && ($0["message"] as? String)?.contains("paragraph 3") == true }
        XCTAssertEqual(found.count, 1, run.text)
        XCTAssertEqual(found.first?["line"] as? Int, hidden, "reported at the hidden paragraph's line of the print HTML")
        XCTAssertTrue((found.first?["file"] as? String)?.hasSuffix("print/print-edition.html") == true)
        XCTAssertTrue((found.first?["message"] as? String)?.contains("01-altiplano.md") == true, run.text)
        XCTAssertTrue(run.text.contains("print-edition.html:\(hidden):"), run.text)
        XCTAssertTrue(run.text.contains("[verify-pdf-text]"), run.text)
    }

    func testANoteMissingFromTheFootnotesIsReported() throws {
        let run = try command(try brokenStyles())
        XCTAssertEqual(run.status, 1)
        let notes = run.json.filter { $0["code"] as? String == "verify-pdf-text" && ($0["message"] as? String)?.contains("note 2") == true }
        XCTAssertEqual(notes.count, 1, run.text)
        let html = try String(contentsOf: try brokenStyles().appendingPathComponent("print/print-edition.html"), encoding: .utf8)
        let article = try XCTUnwrap(html.firstMatch(of: /<article id="([^"]+)"/)).1
        XCTAssertEqual(notes.first?["line"] as? Int, try line(of: "id=\"\(article)-note-2\"", in: html), run.text)
    }

    func testWrongPageNumbersInThePrintedContentsAreReported() throws {
        let output = try brokenStyles()
        let run = try command(output)
        XCTAssertEqual(run.status, 1)
        let contents = run.json.filter { $0["code"] as? String == "verify-contents" }
        let html = try String(contentsOf: output.appendingPathComponent("print/print-edition.html"), encoding: .utf8)
        let entries = html.matches(of: /<p class="contents-title"><a href="#([^"]+)">/)
        XCTAssertGreaterThan(entries.count, 1)
        // Every entry but one that happens to open on the contents' own number is wrong.
        XCTAssertGreaterThanOrEqual(contents.count, entries.count - 1, run.text)
        for entry in entries {
            let line = try line(of: "<a href=\"#\(entry.1)\">", in: html)
            let here = contents.filter { $0["line"] as? Int == line }
            XCTAssertLessThanOrEqual(here.count, 1)
            if let message = here.first?["message"] as? String {
                XCTAssertTrue(message.contains("its title is on page"), message)
            }
        }
        // The clean build's contents are right.
        XCTAssertEqual(verify(try clean()).filter { $0.code == .verifyContents }.map(\.description), [])
    }

    func testAPageDroppedFromThePageListIsReported() throws {
        let output = try copy()
        var dropped = ""
        try editEPUB(output) { name, text in
            guard name == "EPUB/nav.xhtml", let entry = text.firstMatch(of: /\n\s*<li><a href="[^"]+#page-(\d+)">\d+<\/a><\/li>/) else { return text }
            dropped = String(entry.1)
            return text.replacingCharacters(in: entry.range, with: "")
        }
        XCTAssertFalse(dropped.isEmpty)
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        let found = run.json.filter { $0["code"] as? String == "verify-page-list" }
        XCTAssertEqual(found.count, 1, run.text)
        XCTAssertTrue((found.first?["message"] as? String)?.contains("not in the list: \(dropped)") == true, run.text)
        XCTAssertTrue((found.first?["file"] as? String)?.hasSuffix("print-edition.epub/EPUB/nav.xhtml") == true, run.text)
    }

    /// A page map that says a page begins where the print HTML has no such element: the
    /// build leaves the page out of the list with a page-list-mismatch warning, and verify
    /// finds the list one page short of the PDF.
    func testAPageTheEPUBCannotPlaceIsAMismatchWarningAndVerifyCatchesIt() throws {
        let output = try copy()
        let maps = output.appendingPathComponent(".edition-page-maps")
        let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(at: maps, includingPropertiesForKeys: nil).first { $0.pathExtension == "json" })
        var map = try PageMap.decode(try Data(contentsOf: file))
        let index = try XCTUnwrap(map.pages.indices.last { map.pages[$0].numbered && map.pages[$0].id != nil && $0 > 0 && map.pages[$0 - 1].id != nil })
        let folio = try XCTUnwrap(map.pages[index].counter)
        map.pages[index].id = "no-such-element"
        try map.encoded().write(to: file)
        let build = try TestSupport.run(try TestSupport.editionExecutable().path,
                                        ["build", TestSupport.fixtureBook("print").path, "--out", output.path, "--no-cache"])
        XCTAssertEqual(build.status, 0, build.output)
        XCTAssertTrue(build.output.contains("page \(folio) of the PDF begins in #no-such-element") && build.output.contains("[page-list-mismatch]"), build.output)
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        XCTAssertTrue(run.json.contains { $0["code"] as? String == "verify-page-list" && ($0["message"] as? String)?.contains("not in the list: \(folio)") == true },
                      run.text)
    }

    /// Without the page map the driver wrote with it, the PDF's areas are not known: verify
    /// says so rather than reading its text without them.
    func testAPDFWithoutItsPageMapIsAnError() throws {
        let output = try copy()
        try FileManager.default.removeItem(at: output.appendingPathComponent(".edition-page-maps"))
        let run = try command(output)
        XCTAssertEqual(run.status, 1, run.text)
        XCTAssertEqual(run.json.map { $0["code"] as? String }, ["verify-pdf-text"], run.text)
        XCTAssertTrue((run.json.first?["message"] as? String)?.contains("has no page map") == true, run.text)
        XCTAssertTrue((run.json.first?["file"] as? String)?.hasSuffix("print-edition.pdf") == true, run.text)
    }

    // MARK: The web edition

    private static let siteLock = NSLock()
    nonisolated(unsafe) private static var site: Result<URL, Error>?

    /// The print fixture published (without its PDF), once for the class.
    private func published() throws -> URL {
        Self.siteLock.lock()
        defer { Self.siteLock.unlock() }
        if let site = Self.site { return try site.get() }
        let result = Result { () throws -> URL in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edition-verify-site-\(UUID().uuidString)")
            let run = try TestSupport.run(try TestSupport.editionExecutable().path,
                                          ["publish", TestSupport.fixtureBook("print").path, "--out", folder.appendingPathComponent("site").path,
                                           "--cache", folder.appendingPathComponent("cache").path, "--no-pdf"])
            guard run.status == 0 else { throw SetupError(message: "publishing the print fixture failed:\n\(run.output)") }
            return folder.appendingPathComponent("site")
        }
        Self.site = result
        return try result.get()
    }

    /// A copy of the published site to break.
    private func copySite() throws -> URL {
        let folder = try TestSupport.temporaryFolder(self).appendingPathComponent("site")
        try FileManager.default.copyItem(at: try published(), to: folder)
        return folder
    }

    func testThePublishedWebEditionVerifies() throws {
        let run = try command(try clean(), ["--web", try published().path])
        XCTAssertEqual(run.status, 0, run.text)
        XCTAssertEqual(run.json.count, 0, run.text)
    }

    func testAWordChangedInAWebPageIsReportedWhereItIs() throws {
        let site = try copySite()
        let page = try XCTUnwrap(try FileManager.default.subpathsOfDirectory(atPath: site.path).sorted()
            .first { $0.hasPrefix("print-edition/") && $0.hasSuffix(".html") && !$0.hasSuffix("index.html") })
        let url = site.appendingPathComponent(page)
        let text = try String(contentsOf: url, encoding: .utf8)
        let range = try XCTUnwrap(text.range(of: "assembly"))
        try text.replacingCharacters(in: range, with: "asembly").write(to: url, atomically: true, encoding: .utf8)
        let run = try command(try clean(), ["--web", site.path])
        XCTAssertEqual(run.status, 1, run.text)
        let found = run.json.filter { $0["code"] as? String == "verify-words" }
        XCTAssertEqual(found.count, 1, run.text)
        XCTAssertTrue((found.first?["file"] as? String)?.hasSuffix(page) == true, run.text)
        XCTAssertEqual(found.first?["line"] as? Int, text[..<range.lowerBound].filter { $0 == "\n" }.count + 1)
        XCTAssertTrue((found.first?["message"] as? String)?.contains("asembly") == true, run.text)
    }

    func testANoteDroppedFromAWebPageIsReported() throws {
        let site = try copySite()
        var dropped = ""
        for page in try FileManager.default.subpathsOfDirectory(atPath: site.path).sorted() where page.hasSuffix(".html") && dropped.isEmpty {
            let url = site.appendingPathComponent(page)
            let text = try String(contentsOf: url, encoding: .utf8)
            guard let match = text.firstMatch(of: /(?s)<aside class="footnote" id="([^"]+)".*?<\/aside>\n/) else { continue }
            dropped = String(match.1)
            try text.replacingCharacters(in: match.range, with: "").write(to: url, atomically: true, encoding: .utf8)
        }
        XCTAssertFalse(dropped.isEmpty, "a web page with a note")
        let run = try command(try clean(), ["--web", site.path])
        XCTAssertEqual(run.status, 1, run.text)
        XCTAssertTrue(run.json.contains { $0["code"] as? String == "verify-note"
            && ($0["message"] as? String)?.contains("note \(dropped.split(separator: "-").last!) is missing from") == true }, run.text)
    }
}
