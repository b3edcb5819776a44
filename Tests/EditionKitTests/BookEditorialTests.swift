import EditionKit
import Foundation
import XCTest

/// The editors' decisions on book/, as a reader of the EPUB and of the print edition meets
/// them: an unsigned article without placeholders, metadata that library apps show right,
/// the colophon's record of corrections, and the structure readers navigate.
final class BookEditorialTests: BuiltEditionTestCase {
    static let placeholders = ["AUTOR DO TEXTO", "autor do texto", "9 de junho", "9 DE JUNHO", "junho"]

    var packageDocument: String {
        get throws { try XCTUnwrap(try edition.reader["EPUB/package.opf"]?.text) }
    }

    func testArticle8GoesOutUnsignedWithoutAPlaceholderAnywhere() throws {
        let edition = try edition
        let document = try edition.article("08-cob-leadership-betrays.md")
        let header = try XCTUnwrap(document.header)
        XCTAssertNil(header.first { $0.hasClass("byline") }, "no byline in the article's header")
        XCTAssertNil(header.first { $0.hasClass("date") }, "no date in the article's header")
        // The contents page's entry: the title alone.
        let contents = try edition.document("EPUB/text/contents.xhtml")
        let entry = try XCTUnwrap(contents.all { $0.name == "li" }.first { $0.text().contains("COB Leadership Negotiates") })
        XCTAssertNil(entry.first { $0.hasClass("contents-byline") }, entry.text())
        // Nowhere in the EPUB nor in the print edition (contents page and opening included).
        let print = PrintRenderer(book: edition.book).render()
        for entry in edition.reader.entries where entry.name.hasSuffix(".xhtml") || entry.name.hasSuffix(".opf") || entry.name.hasSuffix(".ncx") {
            for placeholder in Self.placeholders {
                XCTAssertFalse(entry.text.contains(placeholder), "\(entry.name) shows \(placeholder)")
            }
        }
        for placeholder in Self.placeholders {
            XCTAssertFalse(print.contains(placeholder), "the print edition shows \(placeholder)")
        }
        XCTAssertFalse(edition.book.articles.contains { $0.authors.contains { BookChecker.isPlaceholder($0.name) } })
    }

    func testTheCreatorIsTheMagazineAndEveryAuthorAContributorOncePerPerson() throws {
        let opf = try packageDocument
        XCTAssertTrue(opf.contains("<dc:creator id=\"creator-1\">Post International</dc:creator>"), opf)
        XCTAssertTrue(opf.contains("<meta refines=\"#creator-1\" property=\"file-as\">Post International</meta>"))
        // One entry per person, with a sort name: the bylines' "Edu Almeida" is the masthead's
        // Eduardo Almeida, who is editor and author.
        let contributors = opf.matches(of: /<dc:contributor id="(contributor-\d+)">([^<]*)<\/dc:contributor>/).map { (String($0.1), String($0.2)) }
        let names = contributors.map(\.1)
        XCTAssertEqual(Set(names).count, names.count, "\(names)")
        XCTAssertEqual(Set(names), ["Eduardo Almeida", "Miao Ferr Alves Blackrucat", "Lena Souza", "Florence Oppen",
                                    "Espi Ramó", "Eugenio Graco", "Alicia Sagra"])
        for (id, name) in contributors {
            let fileAs = opf.firstMatch(of: Regex<(Substring, Substring)>(verbatim: "<meta refines=\"#\(id)\" property=\"file-as\">") )
            XCTAssertNotNil(fileAs, "\(name) has a file-as")
        }
        XCTAssertTrue(opf.contains("property=\"file-as\">Almeida, Eduardo</meta>"))
        let eduardo = try XCTUnwrap(contributors.first { $0.1 == "Eduardo Almeida" }).0
        XCTAssertEqual(opf.matches(of: Regex<Substring>(verbatim: "refines=\"#\(eduardo)\" property=\"role\"")).count, 2, "editor and author")
        for spelling in ["Edu Almeida", "Almedia", "AUTOR"] { XCTAssertFalse(opf.contains(spelling), spelling) }
        // Every byline's author is among them.
        let book = try edition.book
        for article in book.articles {
            for author in article.authors {
                XCTAssertTrue(names.contains(book.metadata.editorial.person(named: author.name).name), author.name)
            }
        }
    }

    func testSubjectsAndTheRevisionDateAreInThePackageAndThePDFMetadata() throws {
        let book = try edition.book
        let opf = try packageDocument
        XCTAssertFalse(book.metadata.editorial.subjects.isEmpty)
        for subject in book.metadata.editorial.subjects {
            XCTAssertTrue(opf.contains("<dc:subject>\(subject)</dc:subject>"), subject)
        }
        let revised = try XCTUnwrap(book.metadata.editorial.revised)
        XCTAssertTrue(opf.contains("<meta property=\"dcterms:modified\">\(revised)T00:00:00Z</meta>"), opf)
        XCTAssertTrue(opf.contains("<dc:date>\(book.metadata.date)</dc:date>"), "the first publication date stays")
        let print = PrintRenderer(book: book)
        XCTAssertEqual(print.subject, book.metadata.editorial.subjects.first)
        XCTAssertLessThan(print.subject.count, 40, "a subject line, not the description")
        XCTAssertEqual(print.keywords, book.metadata.editorial.subjects)
    }

    func testTheColophonShowsTheEditionAndItsCorrectionsButNoIdentifier() throws {
        let edition = try edition
        let colophon = try edition.document("EPUB/text/colophon.xhtml")
        let text = colophon.text()
        XCTAssertFalse(text.contains("urn:uuid"), text)
        for expected in ["Edition 29", "2179-118X", "International Workers League – Fourth International (IWL-FI)",
                         "First published", "June 2026", "Revised edition", "2026-11-22"] {
            XCTAssertTrue(text.contains(expected), "the colophon lacks \(expected)")
        }
        let corrections = try XCTUnwrap(colophon.first { $0.hasClass("corrections") })
        XCTAssertEqual(corrections.first { $0.name == "h2" }?.text().trimmingCharacters(in: .whitespacesAndNewlines), "Corrections")
        let items = corrections.all { $0.name == "li" }
        let listed = edition.book.metadata.editorial.corrections
        XCTAssertEqual(items.count, listed.count)
        for (item, correction) in zip(items, listed) {
            XCTAssertEqual(item.first { $0.name == "time" }?["datetime"], correction.date)
            func plain(_ text: some StringProtocol) -> String { text.lowercased().replacingOccurrences(of: "’", with: "'") }
            XCTAssertTrue(plain(item.text()).contains(plain(correction.reason.prefix(20))), item.text())
        }
        for word in ["Durkerley", "Dunkerley", "Almedia", "beeing"] {
            XCTAssertTrue(corrections.text().contains(word), word)
        }
    }

    /// The print edition's last page is the colophon, the EPUB's own markup: the corrections on
    /// record are in print too, dated, the placeholders described, never quoted.
    func testThePrintEditionEndsWithTheEPUBsColophonAndItsCorrections() throws {
        let edition = try edition
        let html = PrintRenderer(book: edition.book).render()
        let root = try XHTMLTree.parse(Data(html.utf8), name: "the print HTML")
        let body = try XCTUnwrap(root.first { $0.name == "body" })
        let blocks = body.children.compactMap { child -> XElement? in
            if case .element(let element) = child { return element } else { return nil }
        }
        let colophon = try XCTUnwrap(blocks.last, "the print HTML has a body")
        XCTAssertTrue(colophon.hasClass("colophon"), "the last block of the print edition is the colophon, not \(colophon.name).\(colophon.classes)")
        XCTAssertEqual(root.all { $0.hasClass("colophon") && $0.name == "section" }.count, 1)
        // The same words as the EPUB's colophon page.
        let epubColophon = try XCTUnwrap(try edition.document("EPUB/text/colophon.xhtml").first { $0.hasClass("colophon") })
        XCTAssertEqual(colophon.text().split(whereSeparator: \.isWhitespace), epubColophon.text().split(whereSeparator: \.isWhitespace))
        let text = colophon.text()
        for expected in ["Colophon", "Edition 29", "2179-118X", "First published", "June 2026", "Revised edition", "2026-11-22",
                         "Corrections", "Dunkerley", "Durkerley", "beeing"] {
            XCTAssertTrue(text.contains(expected), "the print colophon lacks \(expected)")
        }
        if let rights = edition.book.metadata.rights { XCTAssertTrue(text.contains(rights), "the print colophon lacks the rights") }
        let items = try XCTUnwrap(colophon.first { $0.hasClass("corrections") }).all { $0.name == "li" }
        let listed = edition.book.metadata.editorial.corrections
        XCTAssertEqual(items.count, listed.count)
        for (item, correction) in zip(items, listed) {
            XCTAssertEqual(item.first { $0.name == "time" }?["datetime"], correction.date)
            if let shown = correction.shown {
                XCTAssertTrue(item.text().replacingOccurrences(of: "’", with: "'").contains(shown), "\(shown) stands for the source's text")
            }
        }
        for placeholder in Self.placeholders {
            XCTAssertFalse(text.contains(placeholder), "the print colophon shows \(placeholder)")
        }
    }

    func testTheCorrectedTextIsInTheEPUB() throws {
        let edition = try edition
        for correction in edition.book.metadata.editorial.corrections {
            let document = try edition.article(correction.file)
            let text = document.section.text().replacingOccurrences(of: "’", with: "'")
            let markdown = try String(contentsOf: BuiltEdition.bookFolder.appendingPathComponent(correction.file), encoding: .utf8)
            if !correction.now.isEmpty {
                let now = correction.now.replacingOccurrences(of: "’", with: "'")
                XCTAssertTrue(text.contains(now) || markdown.contains(correction.now), "\(correction.file): \(correction.now)")
            }
            if !correction.was.isEmpty, !correction.now.contains(correction.was) {
                XCTAssertFalse(markdown.localizedCaseInsensitiveContains(correction.was.trimmingCharacters(in: .whitespaces)),
                               "\(correction.file) still has \(correction.was)")
            }
        }
    }

    func testEveryChronologyYearIsAHeadingInTheNavigation() throws {
        let edition = try edition
        let document = try edition.article("07-chronology.md")
        let years = document.section.all { $0.name == "h2" && !($0.isInside { ArticleDocument.isNotesSection($0) }) }
            .map { $0.text().trimmingCharacters(in: .whitespacesAndNewlines) }
        // One heading per entry of the printed chronology: its lines that start with a year.
        let segment = try XCTUnwrap(try EditionSources.printEditionSegments().first { $0.article == "07-chronology.md" })
        let printedYears = segment.body.compactMap { $0.text.firstMatch(of: /^((?:19|20)\d\d)\s*[—–:-]/).map { String($0.1) } }
        XCTAssertGreaterThan(printedYears.count, 20)
        XCTAssertEqual(years, printedYears)
        XCTAssertTrue(years.allSatisfy { $0.wholeMatch(of: /(19|20)\d\d/) != nil }, "\(years)")
        XCTAssertEqual(years, years.sorted())
        XCTAssertFalse(document.section.all { $0.name == "li" }.contains { $0.text().hasPrefix("1952") }, "no year left as a list item")
        let nav = try XCTUnwrap(edition.reader["EPUB/nav.xhtml"]?.text)
        for year in years { XCTAssertTrue(nav.contains("\">\(year)</a>"), "\(year) is not in the navigation") }
    }

    func testArticle5HasSectionsAndSubsectionsAndTheDocumentsTitleCaseHeadings() throws {
        let edition = try edition
        let article5 = try edition.article("05-april-1952.md")
        let levels = article5.section.all { ["h2", "h3"].contains($0.name) && !$0.isInside { ArticleDocument.isNotesSection($0) } }
            .map { "\($0.name) \($0.text().trimmingCharacters(in: .whitespacesAndNewlines))" }
        XCTAssertEqual(levels.prefix(12).map { $0.replacingOccurrences(of: "’", with: "'") }, [
            "h2 Why Did the Revolution Break Out in Bolivia?",
            "h3 The Combination of Factors That Made the Uprising Possible",
            "h3 A Concentrated Mining Proletariat",
            "h3 The Formation of a Revolutionary Workers' Tradition",
            "h3 The Absence of the Communist Party and the Rise of Trotskyism",
            "h3 Imperialist Domination",
            "h3 The Indigenous Composition of the Proletariat",
            "h3 The Postwar Crisis and the Rise of the MNR",
            "h2 The Qualitative Factor: The Emergence of the COB",
            "h3 The April Uprising",
            "h3 The Founding of the COB",
            "h3 The Comparison with the Soviets",
        ])
        XCTAssertEqual(levels.dropFirst(12).first, "h2 The Historic Opportunity: The COB as the Real Power")
        // The Documents: every word of four letters or more in their headings starts with a capital.
        for file in ["09-unfinished-revolution-2003.md", "10-third-uprising-2004.md", "11-1952-trotskyism-sagra.md", "12-insurrection-la-paz-2003.md"] {
            let document = try edition.article(file)
            for heading in document.section.all({ $0.name == "h2" && !$0.isInside { ArticleDocument.isNotesSection($0) } }) {
                let words = heading.text().split { !$0.isLetter && $0 != "-" }.filter { $0.count >= 4 }
                XCTAssertTrue(words.allSatisfy { $0.first!.isUppercase }, "\(file): \(heading.text())")
            }
        }
    }

    func testTitlesInNotesAreInItalicsNotBold() throws {
        let edition = try edition
        for file in ["02-popular-rebellion-world-order.md", "03-revolutionary-cycle-to-mas.md", "05-april-1952.md", "06-uprising-betrayed-1985.md"] {
            let document = try edition.article(file)
            XCTAssertEqual(document.allNotes.flatMap { $0.all { $0.name == "strong" } }.count, 0, file)
            XCTAssertGreaterThan(document.allNotes.flatMap { $0.all { $0.name == "em" } }.count, 10, file)
        }
    }
}
