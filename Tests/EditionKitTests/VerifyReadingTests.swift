@testable import EditionKit
import Foundation
import XCTest

/// How `edition verify` reads the PDF's text layer against the print edition's words
/// (TextAlignment, PDFTextLayer), and what the page-map cache's key and the incremental
/// build's PDF fingerprint depend on.
final class VerifyReadingTests: XCTestCase {
    /// PDF words on one line each unless `line` says otherwise (same line: same y).
    private func pdf(_ words: [(String, Int)]) -> (words: [PDFTextLayer.Word], letters: [[Unicode.Scalar]]) {
        var x = 0.0
        var previousLine = -1
        var result: [PDFTextLayer.Word] = []
        for (text, line) in words {
            if line != previousLine { x = 0 }
            previousLine = line
            let width = Double(text.count) * 5
            result.append(PDFTextLayer.Word(text: text, page: 0, minX: x, minY: Double(line) * 12, maxX: x + width, maxY: Double(line) * 12 + 10))
            x += width + 3
        }
        let page = PDFTextLayer.sort(result, PageMap.Page(counter: 1, numbered: true, id: nil, offset: nil, words: []))
        return (page.flow, page.flow.map { TextAlignment.letters($0.text) })
    }

    private func match(_ book: String, _ words: [(String, Int)]) -> TextAlignment.Outcome {
        let (flow, letters) = pdf(words)
        return TextAlignment.match(book.split(separator: " ").map { TextAlignment.letters(String($0)) }, flow, letters, from: 0)
    }

    func testAWordTheLayoutHyphenatedAtALineEndIsOneWord() {
        XCTAssertEqual(match("state investment. Boosted", [("state", 0), ("invest\u{2010}", 0), ("ment.", 1), ("Boosted", 1)]), .matched(next: 4))
        XCTAssertEqual(match("sector-specific demands", [("sector-", 0), ("specific", 1), ("demands", 1)]), .matched(next: 3))
        // A hyphen inside a line is a letter the book does not have.
        XCTAssertEqual(match("state investment", [("state", 0), ("invest\u{2010}", 0), ("ment", 0)]), .differs(book: 1, pdf: 1))
    }

    func testLigaturesQuotesSoftHyphensAndWordBoundariesAreRead() {
        // ﬁ and ﬂ as the font set them, curly and straight quotes, a soft hyphen, a note call
        // after its word and a no-break space.
        XCTAssertEqual(match("the \u{201C}first\u{201D} workers\u{2019} fl\u{AD}ow p.\u{A0}23 end.", [
            ("the", 0), ("\"\u{FB01}rst\"", 0), ("workers'", 0), ("\u{FB02}ow", 0), ("p.", 0), ("23", 0), ("end.", 0)]), .matched(next: 7))
        XCTAssertEqual(match("Huanuni.12 The", [("Huanuni.", 0), ("12", 0), ("The", 0)]), .matched(next: 3))
        // Capitals a stylesheet set (text-transform, synthesized small-caps) are the same letters.
        XCTAssertEqual(match("Back to the Streets", [("BACK", 0), ("TO", 0), ("THE", 0), ("STREETS", 0)]), .matched(next: 4))
    }

    func testAGeneratedListMarkerIsPassedOverAndAMissingWordIsNot() {
        XCTAssertEqual(match("decree: Supreme Decree 5503", [("decree:", 0), ("1.", 1), ("Supreme", 1), ("Decree", 1), ("5503", 1)]), .matched(next: 5))
        XCTAssertEqual(match("one two three four", [("one", 0), ("three", 0), ("four", 0)]), .differs(book: 1, pdf: 1))
        XCTAssertEqual(match("one two three", [("one", 0), ("two", 0)]), .differs(book: 2, pdf: nil))
        // A number the book has is not a marker.
        XCTAssertEqual(match("in 1. place", [("in", 0), ("1.", 0), ("place", 0)]), .matched(next: 3))
    }

    func testTheLayerSortsWordsIntoFlowFootnotesAndMargins() {
        let page = PageMap.Page(counter: 7, numbered: true, id: nil, offset: nil, words: [], area: [50, 60, 400, 700], footnotes: 600)
        func word(_ text: String, _ y: Double) -> PDFTextLayer.Word { .init(text: text, page: 0, minX: 60, minY: y, maxX: 90, maxY: y + 10) }
        let sorted = PDFTextLayer.sort([word("Head", 30), word("flow", 100), word("note", 650), word("7", 780)], page)
        XCTAssertEqual(sorted.top.map(\.text), ["Head"])
        XCTAssertEqual(sorted.flow.map(\.text), ["flow"])
        XCTAssertEqual(sorted.notes.map(\.text), ["note"])
        XCTAssertEqual(sorted.folio, "7")
    }

    func testThePDFTextParserReadsPdftotextsBoxes() {
        let text = """
        <doc>
          <page width="595.275591" height="841.889764">
            <word xMin="51.023622" yMin="57.952647" xMax="92.425122" yMax="69.922647">spending,</word>
            <word xMin="97.702872" yMin="57.952647" xMax="113.505372" yMax="69.922647">&quot;A&amp;B&quot;</word>
          </page>
          <page width="595.275591" height="841.889764">
          </page>
        </doc>
        """
        let pages = PDFTextLayer.parse(text)
        XCTAssertEqual(pages.count, 2)
        XCTAssertEqual(pages[0].map(\.text), ["spending,", "\"A&B\""])
        XCTAssertEqual(pages[0][0].minX, 51.023622, accuracy: 0.0001)
        XCTAssertEqual(pages[0][1].maxY, 69.922647, accuracy: 0.0001)
    }

    // MARK: What the cached page maps and the PDF's fingerprint depend on

    func testThePageMapCacheKeyChangesWithWeasyPrintsVersionAndTheDriver() {
        let output = URL(fileURLWithPath: "/tmp/out")
        func key(weasyPrint: String = "70.0", driver: String = WeasyPrintDriver.source) -> String {
            PageMapCache(output: output, printHTML: "<html/>", stylesheet: "p {}", weasyPrint: weasyPrint, driver: driver, fontFolders: []).key
        }
        XCTAssertEqual(key(), key(), "the same inputs, the same key")
        XCTAssertNotEqual(key(weasyPrint: "70.0"), key(weasyPrint: "70.1"))
        XCTAssertNotEqual(key(), key(driver: WeasyPrintDriver.source + "\n# changed"))
    }

    func testTheInstalledWeasyPrintsVersionIsRead() throws {
        let python = TestSupport.repository.appendingPathComponent(".venv/bin/python3")
        let version = WeasyPrintVersion.installed(python: python, environment: ProcessInfo.processInfo.environment)
        let expected = try PrintTools.run(python.path, ["-c", "import weasyprint; print(weasyprint.__version__)"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(version, expected)
        XCTAssertEqual(WeasyPrintVersion.installed(python: URL(fileURLWithPath: "/nonexistent/bin/python3"), environment: ["HOME": "/nonexistent"]), "none")
        // PYTHONPATH first, as Python imports.
        let folder = try TestSupport.temporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("weasyprint"), withIntermediateDirectories: true)
        try Data("VERSION = __version__ = '99.1'\n".utf8).write(to: folder.appendingPathComponent("weasyprint/__init__.py"))
        XCTAssertEqual(WeasyPrintVersion.installed(python: python, environment: ["PYTHONPATH": folder.path]), "99.1")
    }

    func testThePDFFingerprintChangesWithTheDriverAndWeasyPrintsVersion() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let html = folder.appendingPathComponent("print/book.html")
        try FileManager.default.createDirectory(at: html.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("<html/>".utf8).write(to: html)
        let program = URL(fileURLWithPath: "/bin/sh")
        func fingerprint(weasyPrint: String = "70.0", driver: String = WeasyPrintDriver.source) -> String {
            IncrementalBuild.pdfFingerprint(html: html, program: program, weasyPrint: weasyPrint, driver: driver)
        }
        XCTAssertEqual(fingerprint(), fingerprint())
        XCTAssertNotEqual(fingerprint(), fingerprint(driver: WeasyPrintDriver.source + "\n# changed"))
        XCTAssertNotEqual(fingerprint(weasyPrint: "70.0"), fingerprint(weasyPrint: "71.0"))
    }
}
