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
        built = nil
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
    }
}
