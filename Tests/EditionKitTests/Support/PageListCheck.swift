import EditionKit
import Foundation
import XCTest

/// Compares an EPUB's page list with the PDF it came from, both read back from the files: the
/// PDF with pdftotext (its page numbers in the bottom margin, the text of its page area), the
/// EPUB as text. Nothing here uses the page map the build made.
struct PageListCheck {
    struct PDFPage {
        /// The page area's text, one line, hyphens of broken lines joined.
        var body: String
        /// The number printed in the bottom margin.
        var folio: Int?
    }

    let pages: [PDFPage]

    init(pdf: URL) throws {
        let info = try PrintTools.run("pdfinfo", [pdf.path])
        let count = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
        let size = info.split(separator: "\n").first { $0.hasPrefix("Page size:") }
            .map { $0.split(separator: " ").compactMap { Double($0) } } ?? []
        guard count > 0, size.count >= 2 else { throw SetupError(message: "pdfinfo cannot read \(pdf.path):\n\(info)") }
        let (width, height) = (size[0], size[1])
        let band = (height * 0.06).rounded(.down)
        var pages: [PDFPage] = []
        for number in 1...count {
            func crop(_ top: Double, _ bandHeight: Double) throws -> String {
                try PrintTools.run("pdftotext", ["-f", "\(number)", "-l", "\(number)", "-enc", "UTF-8", "-r", "72", "-x", "0",
                                                 "-y", "\(Int(top))", "-W", "\(Int(width))", "-H", "\(Int(bandHeight))", pdf.path, "-"])
            }
            let foot = try crop(height - band, band).trimmingCharacters(in: .whitespacesAndNewlines)
            pages.append(PDFPage(body: PrintedPDF.flatten(try crop(band, height - 2 * band)), folio: Int(foot)))
        }
        self.pages = pages
    }

    /// The folios the PDF's body has, in order: from the first page that prints a number to the
    /// last page, one each (a blank page between two numbered ones has the number between them).
    func folios() throws -> [(folio: Int, index: Int)] {
        guard let first = pages.firstIndex(where: { $0.folio != nil }), let start = pages[first].folio else {
            throw SetupError(message: "no page of the PDF prints a number")
        }
        for index in first..<pages.count {
            if let printed = pages[index].folio, printed != start + index - first {
                throw SetupError(message: "page \(index + 1) prints \(printed), not \(start + index - first): the numbers do not follow each other")
            }
        }
        return (first..<pages.count).map { (start + $0 - first, $0) }
    }

    /// The page list of the EPUB: the nav's page-list links, in order (label, href).
    static func navPageList(_ reader: EPUBReader) throws -> [(label: String, href: String)] {
        let nav = try XCTUnwrap(reader["EPUB/nav.xhtml"]).text
        guard let start = nav.range(of: "epub:type=\"page-list\""), let end = nav.range(of: "</nav>", range: start.upperBound..<nav.endIndex) else {
            return []
        }
        let list = String(nav[start.upperBound..<end.lowerBound])
        return list.matches(of: /<a href="([^"]+)">([^<]*)<\/a>/).map { (String($0.2), String($0.1)) }
    }

    /// The words after the marker `href` points to (`text/x.xhtml#page-12`), as a reader reads
    /// them: tags, note citations and other markers left out.
    static func words(after href: String, in reader: EPUBReader, count: Int = 6) throws -> [String] {
        let parts = href.split(separator: "#").map(String.init)
        let document = try XCTUnwrap(reader["EPUB/" + parts[0]], "\(href): no such document").text
        let marker = try XCTUnwrap(document.range(of: "id=\"\(parts[1])\""), "\(href): no element has the id")
        let tagEnd = try XCTUnwrap(document.range(of: ">", range: marker.upperBound..<document.endIndex))
        let before = document[..<marker.lowerBound]
        let tagStart = try XCTUnwrap(before.lastIndex(of: "<"))
        XCTAssertTrue(document[tagStart..<tagEnd.upperBound].contains("epub:type=\"pagebreak\""),
                      "\(href) is not a page break: \(document[tagStart..<tagEnd.upperBound])")
        var rest = String(document[tagEnd.upperBound...])
        rest = rest.replacingOccurrences(of: #"<a class="noteref"[^>]*>[^<]*</a>"#, with: "", options: .regularExpression)
        rest = rest.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            rest = rest.replacingOccurrences(of: entity, with: character)
        }
        return Array(rest.split(whereSeparator: { $0.isWhitespace }).prefix(count).map(String.init))
    }

    /// Compares every folio of the PDF with the EPUB's page list: one entry per folio, in
    /// order, and after each marker the words the page begins with (the first page at or after
    /// it with text, for a blank page). Returns the number of pages compared.
    func compare(with epub: URL, words: Int = 4, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let reader = try EPUBReader(url: epub)
        let list = try Self.navPageList(reader)
        let folios = try folios()
        XCTAssertEqual(list.map(\.label), folios.map { String($0.folio) }, "one page-list entry per folio of the PDF, in order",
                       file: file, line: line)
        var compared = 0
        for (folio, index) in folios {
            guard let entry = list.first(where: { $0.label == String(folio) }) else { continue }
            XCTAssertTrue(entry.href.hasSuffix("#page-\(folio)"), "page \(folio) links to \(entry.href)", file: file, line: line)
            guard let page = pages[index...].first(where: { !$0.body.isEmpty }) else { continue }
            // Words without the punctuation around them; numbers left out, since the PDF prints
            // note citations as numbers in the line and the EPUB's words leave citations out.
            func plain(_ words: [String]) -> [String] {
                words.map(FixtureSource.word).filter { !$0.isEmpty && !$0.allSatisfy(\.isNumber) }
            }
            let expected = Array(plain(page.body.split(separator: " ").prefix(words * 3).map(String.init)).prefix(words))
            let found = Array(plain(try Self.words(after: entry.href, in: reader, count: words * 3)).prefix(words))
            // A word broken across the page break: the page shows its end, the marker is before it.
            let same = found.count == expected.count && !expected.isEmpty
                && found.first!.hasSuffix(expected.first!) && Array(found.dropFirst()) == Array(expected.dropFirst())
            XCTAssertTrue(same, "page \(folio): the PDF page begins \(expected), the EPUB's marker is before \(found)",
                          file: file, line: line)
            compared += 1
        }
        return compared
    }
}
