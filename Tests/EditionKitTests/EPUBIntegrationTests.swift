import EditionKit
import Foundation
import XCTest

/// Builds fixture books end to end and checks the EPUB container and EPUBCheck's verdict.
final class EPUBIntegrationTests: XCTestCase {
    private func buildMinimal(environment: [String: String] = [:]) throws -> URL {
        let output = try TestSupport.temporaryFolder(self)
        try TestSupport.build(book: TestSupport.fixtureBook("minimal"), into: output, epubOnly: true,
                              environment: environment)
        return output.appendingPathComponent("minimal-edition.epub")
    }

    func testFixtureBookPassesEPUBCheckWithoutErrorsOrWarnings() throws {
        let epub = try buildMinimal()
        try EPUBCheck.assertValid(epub)
    }

    func testMimetypeIsTheFirstEntryAndStored() throws {
        let reader = try EPUBReader(url: try buildMinimal())
        let first = try XCTUnwrap(reader.entries.first)
        XCTAssertEqual(first.name, "mimetype")
        XCTAssertTrue(first.isStored, "mimetype must be stored, not deflated")
        XCTAssertEqual(first.text, "application/epub+zip")
        // Raster images are compressed already: stored as they are. Every other entry is deflated.
        let raster: Set<String> = ["png", "jpg", "jpeg", "gif", "webp"]
        let images = reader.entries.dropFirst().filter { raster.contains(($0.name as NSString).pathExtension.lowercased()) }
        XCTAssertFalse(images.isEmpty, "the minimal book's cover is a PNG")
        XCTAssertTrue(images.allSatisfy(\.isStored), "raster images are stored")
        XCTAssertTrue(reader.entries.dropFirst().filter { !images.map(\.name).contains($0.name) }.allSatisfy { !$0.isStored },
                      "every other entry is deflated")
        // The bytes at offset 30 of the file are the name and then the content of mimetype,
        // which is how reading systems sniff an EPUB.
        let bytes = try Data(contentsOf: try buildMinimal())
        XCTAssertEqual(String(decoding: bytes[30..<38], as: UTF8.self), "mimetype")
        XCTAssertEqual(String(decoding: bytes[38..<58], as: UTF8.self), "application/epub+zip")
    }

    func testTwoBuildsGiveTheSameBytes() throws {
        let first = try TestSupport.run("sha256sum", [try buildMinimal().path])
        let second = try TestSupport.run("sha256sum", [try buildMinimal().path])
        let digest = { (output: String) in String(output.prefix(64)) }
        XCTAssertEqual(first.status, 0, first.output)
        XCTAssertEqual(digest(first.output).count, 64)
        XCTAssertEqual(digest(first.output), digest(second.output))
    }

    func testEntryTimesAndModifiedDateFollowTheBookDateOrSourceDateEpoch() throws {
        let byBookDate = try EPUBReader(url: try buildMinimal())
        XCTAssertTrue(try XCTUnwrap(byBookDate["EPUB/package.opf"]).text
            .contains("<meta property=\"dcterms:modified\">2025-03-01T00:00:00Z</meta>"))
        // 2001-09-09T01:46:40Z
        let epub = try buildMinimal(environment: ["SOURCE_DATE_EPOCH": "1000000000"])
        let bySourceDate = try EPUBReader(url: epub)
        XCTAssertTrue(try XCTUnwrap(bySourceDate["EPUB/package.opf"]).text
            .contains("<meta property=\"dcterms:modified\">2001-09-09T01:46:40Z</meta>"))
        let listing = try TestSupport.run("zipinfo", ["-T", epub.path])
        XCTAssertEqual(listing.status, 0, listing.output)
        let lines = listing.output.split(separator: "\n").filter { $0.contains("EPUB/") || $0.contains("mimetype") }
        XCTAssertFalse(lines.isEmpty)
        for line in lines {
            XCTAssertTrue(line.contains("20010909.014640"), "entry time: \(line)")
            XCTAssertTrue(line.hasPrefix("-rw-r--r--"), "entry attributes: \(line)")
        }
    }

    func testAFailedBuildLeavesThePreviousEPUBAsItWas() throws {
        let output = try TestSupport.temporaryFolder(self)
        let book = output.appendingPathComponent("book")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        let dist = output.appendingPathComponent("dist")
        try TestSupport.build(book: book, into: dist, epubOnly: true)
        let epub = dist.appendingPathComponent("minimal-edition.epub")
        let before = try Data(contentsOf: epub)

        // Raw HTML that is not well-formed XHTML stops the build (at load time).
        let article = book.appendingPathComponent("02-second-article.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        try (text + "\nA line break the old way<br>and more.\n").write(to: article, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TestSupport.build(book: book, into: dist, epubOnly: true)) { error in
            let failure = error as? BuildFailure
            XCTAssertTrue(failure?.diagnostics.contains { $0.code == .htmlMalformed } ?? false, "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: epub), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dist.path)
        XCTAssertEqual(leftovers.sorted(), ["minimal-edition.epub", "print"].sorted().filter { leftovers.contains($0) })
        XCTAssertFalse(leftovers.contains { $0.contains(".tmp") }, "temporary files left: \(leftovers)")
    }

    func testImagesArePackagedAndDescribedInTheAccessibilityMetadata() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("book")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        // A 1×1 red PNG.
        let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==")!
        try FileManager.default.createDirectory(at: book.appendingPathComponent("images"), withIntermediateDirectories: true)
        try png.write(to: book.appendingPathComponent("images/Map of La Paz.png"))
        let article = book.appendingPathComponent("02-second-article.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        try (text + "\n![A map of La Paz](images/Map%20of%20La%20Paz.png)\n").write(to: article, atomically: true, encoding: .utf8)

        let dist = folder.appendingPathComponent("dist")
        try TestSupport.build(book: book, into: dist)
        let epub = dist.appendingPathComponent("minimal-edition.epub")
        try EPUBCheck.assertValid(epub)
        // The print edition keeps its copy beside the HTML, where the HTML points.
        let html = try String(contentsOf: dist.appendingPathComponent("print/minimal-edition.html"), encoding: .utf8)
        let href = try XCTUnwrap(html.firstMatch(of: /<img src="([^"]+)" alt="A map of La Paz"/)?.1)
        XCTAssertEqual(try Data(contentsOf: dist.appendingPathComponent("print").appendingPathComponent(String(href))), png)
        let reader = try EPUBReader(url: epub)
        let packaged = try XCTUnwrap(reader.entries.first { $0.name.hasPrefix("EPUB/images/figures/") })
        XCTAssertEqual(packaged.data, png)
        let document = try XCTUnwrap(reader["EPUB/text/second-article.xhtml"]).text
        XCTAssertTrue(document.contains("alt=\"A map of La Paz\""), document)
        let package = try XCTUnwrap(reader["EPUB/package.opf"]).text
        XCTAssertTrue(package.contains(">alternativeText</meta>"))
        XCTAssertTrue(package.contains(">visual</meta>"))
        XCTAssertTrue(package.contains("EPUB Accessibility 1.1 - WCAG 2.2 Level AA"))

        // Without its text alternative the book no longer claims conformance.
        try (text + "\n![](images/Map%20of%20La%20Paz.png)\n").write(to: article, atomically: true, encoding: .utf8)
        try TestSupport.build(book: book, into: dist, epubOnly: true)
        let withoutAlt = try XCTUnwrap(try EPUBReader(url: epub)["EPUB/package.opf"]).text
        XCTAssertFalse(withoutAlt.contains("alternativeText"))
        XCTAssertFalse(withoutAlt.contains("dcterms:conformsTo"))
    }

    func testEveryXMLDocumentInTheEPUBIsWellFormed() throws {
        let reader = try EPUBReader(url: try buildMinimal())
        let xml = reader.entries.filter { entry in
            [".xhtml", ".opf", ".ncx", ".xml", ".svg"].contains { entry.name.hasSuffix($0) }
        }
        XCTAssertGreaterThanOrEqual(xml.count, 10)
        for entry in xml {
            XCTAssertEqual(XMLCheck.problems(in: entry.data), [], entry.name)
        }
    }
}

/// Runs EPUBCheck 5 and fails the test with its messages unless it reports nothing.
enum EPUBCheck {
    static func assertValid(_ epub: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let jar = try TestSupport.epubcheckJar()
        let result = try TestSupport.run("java", ["-jar", jar, epub.path])
        XCTAssertEqual(result.status, 0, result.output, file: file, line: line)
        XCTAssertTrue(result.output.contains("Messages: 0 fatals / 0 errors / 0 warnings"), result.output,
                      file: file, line: line)
    }
}
