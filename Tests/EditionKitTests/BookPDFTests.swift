import EditionKit
import Foundation
import XCTest

/// The real edition's PDF, built once for the class, with a copy of WeasyPrint that does NOT
/// have the column fix in its files: the fix must reach the build through the driver. Every note
/// at the foot of the page that cites it; the EPUB's page list against the PDF's pages.
final class BookPDFTests: XCTestCase {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: Result<(folder: URL, report: BuildReport), Error>?

    private func built() throws -> (folder: URL, report: BuildReport) {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let built = Self.built { return try built.get() }
        let result = Result { () throws -> (folder: URL, report: BuildReport) in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edition-book-pdf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let modules = try Self.weasyPrintWithoutTheFix(in: folder.appendingPathComponent("python"))
            let bookFolder = TestSupport.repository.appendingPathComponent("book")
            do {
                let report = try TestSupport.build(book: bookFolder, into: folder.appendingPathComponent("out"), pdf: true,
                                                   environment: ["PYTHONPATH": modules.path])
                return (folder, report)
            } catch let failure as BuildFailure {
                throw SetupError(message: "building book/ with --pdf failed:\n\(failure)")
            }
        }
        Self.built = result
        return try result.get()
    }

    override class func tearDown() {
        if case .success(let built) = built { try? FileManager.default.removeItem(at: built.folder) }
        built = nil
        super.tearDown()
    }

    /// A copy of the installed WeasyPrint package in `folder` (for PYTHONPATH) with
    /// columns_layout as WeasyPrint 70.0 ships it, whether or not the installed one was patched.
    static func weasyPrintWithoutTheFix(in folder: URL) throws -> URL {
        let python = TestSupport.repository.appendingPathComponent(".venv/bin/python3").path
        let package = try PrintTools.run(python, ["-c", "import os, weasyprint; print(os.path.dirname(weasyprint.__file__))"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let copy = folder.appendingPathComponent("weasyprint")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: package), to: copy)
        let column = copy.appendingPathComponent("layout/column.py")
        var source = try String(contentsOf: column, encoding: .utf8)
        source = source.replacingOccurrences(
            of: #"if \(last_footnotes_height not in footnote_area_heights or\s+last_footnotes_height > footnote_area_heights\[-1\]\):"#,
            with: "if last_footnotes_height not in footnote_area_heights:", options: .regularExpression)
        guard !source.contains("footnote_area_heights[-1]):"),
              source.contains("if last_footnotes_height not in footnote_area_heights:") else {
            throw SetupError(message: "cannot make an unfixed copy of \(column.path)")
        }
        try source.write(to: column, atomically: true, encoding: .utf8)
        return folder
    }

    func testTheDriverAppliedTheColumnFixItself() throws {
        let map = try XCTUnwrap(try built().report.pageMap)
        XCTAssertEqual(map.columnFix, "applied", "the WeasyPrint the build ran lacks the fix in its files")
        XCTAssertEqual(map.weasyprint, "70.0")
    }

    /// WeasyPrint keeps each id of the print HTML as a named destination, so `pdfinfo -dests`
    /// tells the page of every citation and every note without reading the text.
    func testEveryNoteOfTheEditionIsOnThePageOfItsFirstCitation() throws {
        let report = try built().report
        let book = try TestSupport.load(TestSupport.repository.appendingPathComponent("book"))
        let pdf = try XCTUnwrap(report.outputs.first { $0.pathExtension == "pdf" })

        // Lines such as `  13 [ XYZ   68  177 null      ] "article-note-24"`.
        var pages: [String: Int] = [:]
        for line in try PrintTools.run("pdfinfo", ["-dests", pdf.path]).split(separator: "\n") {
            guard let match = line.firstMatch(of: /^\s*(\d+)\s+\[.*\]\s+"([^"]+)"\s*$/) else { continue }
            pages[String(match.2)] = Int(match.1)
        }

        var checked = 0
        var misplaced: [String] = []
        for article in book.articles {
            for note in article.notes {
                let noteId = Ids.note(article, note.label)
                let notePage = try XCTUnwrap(pages[noteId], "note \(note.label) of \(article.file) is not in the PDF")
                guard note.citationCount > 0 else { continue }
                let citation = Ids.noteReference(article, note.label, occurrence: 1)
                let citingPage = try XCTUnwrap(pages[citation], "the citation of note \(note.label) of \(article.file) is not in the PDF")
                if notePage != citingPage {
                    misplaced.append("\(article.file): note \(note.label) cited on page \(citingPage), printed on page \(notePage)")
                }
                checked += 1
            }
        }
        // The eight articles cite all their 162 notes; the Sagra document 23 of its 24 (note
        // 1's mark was lost).
        XCTAssertEqual(checked, 162 + 23)
        XCTAssertEqual(misplaced, [], "\(misplaced.count) of \(checked) notes are not on the page that cites them")
    }

    /// Issue 12: exactly one page-list entry per folio of the PDF, and after every marker the
    /// words its page begins with.
    func testThePageListHasEveryFolioAndEachMarkerIsWhereItsPageBegins() throws {
        let (folder, report) = try built()
        let pdf = try PageListCheck(pdf: try XCTUnwrap(report.outputs.first { $0.pathExtension == "pdf" }))
        let epub = folder.appendingPathComponent("out/post-international-29.epub")
        let compared = try pdf.compare(with: epub)
        let folios = try pdf.folios()
        XCTAssertEqual(compared, folios.count, "every page compared")
        print("BookPDFTests: \(compared) pages of book/ compared, folios \(folios.first!.folio)–\(folios.last!.folio)")
    }

    /// `edition verify` finds no difference between the edition's outputs, its PDF included.
    func testVerifyFindsNothingOnTheEdition() throws {
        let folder = try built().folder
        let found = Verifier(book: TestSupport.repository.appendingPathComponent("book").path,
                             output: folder.appendingPathComponent("out").path).verify()
        XCTAssertEqual(found.map(\.description), [])
    }

    func testEPUBCheckAcceptsTheEditionWithItsPageList() throws {
        let folder = try built().folder
        let epub = folder.appendingPathComponent("out/post-international-29.epub")
        XCTAssertTrue(try EPUBReader(url: epub)["EPUB/nav.xhtml"]!.text.contains("epub:type=\"page-list\""))
        try EPUBCheck.assertValid(epub)
    }
}
