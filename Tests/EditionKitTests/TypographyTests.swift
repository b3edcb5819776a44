@testable import EditionKit
import Foundation
import XCTest

/// Typographic punctuation: cmark-gfm's smart punctuation, the language's quotation marks and
/// the house dashes, in the text, titles, bylines and metadata; code, addresses and ids untouched.
final class TypographyTests: XCTestCase {
    /// The article's paragraphs as plain text, and the book.
    private func load(_ body: String, frontMatter: String = "title: An Article", extra: String = "",
                      language: String = "en") throws -> (paragraphs: [String], book: Book) {
        let book = try ScratchBook.load(self, article: ScratchBook.article(body, frontMatter: frontMatter),
                                        extra: extra, language: language)
        let paragraphs = book.articles[0].body.compactMap { block -> String? in
            if case .paragraph(let content) = block { return content.plainText }
            return nil
        }
        return (paragraphs, book)
    }

    private func text(_ markdown: String, extra: String = "", language: String = "en") throws -> String {
        try load(markdown, extra: extra, language: language).paragraphs.joined(separator: "\n")
    }

    func testQuotesAndApostrophes() throws {
        XCTAssertEqual(try text(#"The workers' union and James' book; "He said 'no' to me," she wrote."#),
                       "The workers’ union and James’ book; “He said ‘no’ to me,” she wrote.")
        XCTAssertEqual(try text("In the '70s, rock 'n' roll."), "In the ’70s, rock ’n’ roll.")
        XCTAssertEqual(try text("’Tis done; 'Tis done."), "’Tis done; ’Tis done.")
    }

    func testQuotesAfterDashesAndBrackets() throws {
        XCTAssertEqual(try text(#"He said—"Yes"—and ("maybe") and ["no"]."#),
                       "He said—“Yes”—and (“maybe”) and [“no”].")
    }

    func testNestedQuotesAndQuotesAtParagraphStarts() throws {
        XCTAssertEqual(try text(#""'Quoted' first," he said. "A quotation that runs on"#),
                       "“‘Quoted’ first,” he said. “A quotation that runs on")
    }

    func testQuotesAroundLinksEmphasisAndBeforeNotes() throws {
        let loaded = try load(#"""
        See "[the report](https://example.org/a--b...)" and "*emphasis*" and '**strong**'.

        A "quote."[^1] And "another"[^2].

        [^1]: Note "one".
        [^2]: Two.
        """#)
        XCTAssertEqual(loaded.paragraphs, ["See “the report” and “emphasis” and ‘strong’.", "A “quote.” And “another”."])
        guard case .paragraph(let content) = loaded.book.articles[0].body[0] else { return XCTFail("no paragraph") }
        XCTAssertTrue(content.contains { if case .link(let destination, _, _) = $0 { return destination == "https://example.org/a--b..." } else { return false } },
                      "the address is untouched: \(content)")
        guard case .paragraph(let note)? = loaded.book.articles[0].notes.first?.blocks.first else { return XCTFail("no note") }
        XCTAssertEqual(note.plainText, "Note “one”.")
    }

    func testEllipsesDashesAndCodeUntouched() throws {
        XCTAssertEqual(try text(#"Wait... then -- and --- and `code "x" ... --` and https://example.com/it's--here"#),
                       #"Wait… then – and — and code "x" ... -- and https://example.com/it's--here"#)
    }

    func testTheHouseDashes() throws {
        let source = "A - b, c – d, e — f, g—h, 1952–1956 and May–June, i -- j."
        XCTAssertEqual(try text(source, extra: "dashes: em\n"), "A—b, c—d, e—f, g—h, 1952–1956 and May–June, i—j.")
        XCTAssertEqual(try text(source, extra: "dashes: en\n"), "A – b, c – d, e – f, g – h, 1952–1956 and May–June, i – j.")
        XCTAssertEqual(try text(source), "A - b, c – d, e — f, g—h, 1952–1956 and May–June, i – j.")
    }

    func testTheLanguagesMarks() throws {
        let source = #""Dijo 'no' a los obreros' jefes," escribió."#
        XCTAssertEqual(try text(source, language: "es"), "«Dijo “no” a los obreros’ jefes,» escribió.")
        XCTAssertEqual(try text(source, language: "pt-BR"), "“Dijo ‘no’ a los obreros’ jefes,” escribió.")
        XCTAssertEqual(try text(source, extra: "quotes:\n  es: \"‹›«»\"\n", language: "es"),
                       "‹Dijo «no» a los obreros’ jefes,› escribió.")
        let article = try load(source, frontMatter: "title: Un artículo\nlanguage: es")
        XCTAssertEqual(article.paragraphs, ["«Dijo “no” a los obreros’ jefes,» escribió."], "the article's own language")
    }

    func testPlainTurnsItOff() throws {
        let source = #"The workers' "union"... -- and 'so'."#
        XCTAssertEqual(try text(source, extra: "typography: plain\n"), source)
        let book = try load("Text.", frontMatter: "title: \"A Workers' Uprising\"", extra: "typography: plain\n").book
        XCTAssertEqual(book.articles[0].plainTitle, "A Workers' Uprising")
    }

    func testTitlesBylinesAndMetadata() throws {
        let book = try load("Text.", frontMatter: """
        title: "A New Popular and Workers' Uprising"
        subtitle: "The \\"Water War\\" -- again"
        authors:
          - name: Martín O'Brien
            organization: Workers' League - "Fourth International"
        """, extra: "subtitle: The \"Book\"...\ndashes: em\ndescription: A *not emphasis* & <b>not HTML</b> of the '70s.\n").book
        let article = book.articles[0]
        XCTAssertEqual(article.plainTitle, "A New Popular and Workers’ Uprising")
        XCTAssertEqual(article.subtitle?.plainText, "The “Water War”—again")
        XCTAssertEqual(article.authors.first?.name, "Martín O’Brien")
        XCTAssertEqual(article.authors.first?.organization, "Workers’ League - “Fourth International”", "a name keeps its dashes")
        XCTAssertEqual(book.metadata.subtitle, "The “Book”…")
        XCTAssertEqual(book.metadata.description, "A *not emphasis* & <b>not HTML</b> of the ’70s.", "markup characters stay text")
        XCTAssertEqual(book.metadata.identifier, ScratchBook.identifier)
    }

    func testIdsDoNotChange() throws {
        let smart = try load("## The Workers' \"Union\" -- Now...\n", extra: "dashes: em\n").book
        let plain = try load("## The Workers' \"Union\" -- Now...\n", extra: "typography: plain\n").book
        XCTAssertEqual(smart.articles[0].headings.map(\.id), plain.articles[0].headings.map(\.id))
        XCTAssertEqual(smart.articles[0].headings.first?.content.plainText, "The Workers’ “Union”—Now…")
    }

    /// A doubled space, or a space before a comma or a full stop, is found at its column
    /// wherever it falls among the eight-byte steps the line is read in; single spaces are not.
    func testSpacingIsFoundAtEveryOffset() throws {
        var lines: [String] = []
        var expected: [String] = []
        let marks = [("  ", "a doubled space"), (" ,", "a space before a comma"), (" .", "a space before a full stop")]
        for offset in 0..<20 {
            for (mark, message) in marks {
                let prefix = "Pal" + String(repeating: "b", count: offset)
                lines.append(prefix + mark + " y luego sigue la frase, hasta el final.")
                expected.append("article.md:\(5 + 2 * (lines.count - 1)):\(prefix.utf8.count + 1): \(message)")
            }
            lines.append("Pal" + String(repeating: "b", count: offset) + " y, luego. sigue la frase, hasta el final.")
        }
        let folder = try ScratchBook.write(self, ["article.md": ScratchBook.article(lines.joined(separator: "\n\n") + "\n")])
        let found = Pipeline.check(book: folder.path).diagnostics.filter { $0.code == .spacingWrong }
            .map { "\($0.location.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line):\($0.column)" } ?? "-"): \($0.message)" }
        XCTAssertEqual(found, expected)
    }

    func testBadSettingsAreReported() throws {
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "typography: fancy\ndashes: long\nquotes:\n  es: \"<>\"\n"),
                                           ["article.md": ScratchBook.article("Text.")])
        let diagnostics = Pipeline.check(book: folder.path).diagnostics
        XCTAssertEqual(diagnostics.filter { $0.code == .valueInvalid }.count, 3, diagnostics.map(\.description).joined(separator: "\n"))
    }
}

/// The real edition: no typewriter quote, apostrophe or "..." left in its EPUB's text, counted
/// by scripts/count-straight-marks, which finds them when they are there.
final class BookTypographyTests: BuiltEditionTestCase {
    static let script = TestSupport.repository.appendingPathComponent("scripts/count-straight-marks").path

    func testTheEditionHasNoTypewriterMarksLeft() throws {
        let run = try TestSupport.run("python3", [Self.script, try edition.epub.path])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("0 straight ' , 0 straight \" , 0 \"...\""), run.output)
    }

    func testTheScriptCountsWhatIsLeft() throws {
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "typography: plain\n"),
                                           ["article.md": ScratchBook.article("The workers' \"union\"... and `code's \"x\"...`.")])
        let output = try TestSupport.temporaryFolder(self)
        let report = try TestSupport.build(book: folder, into: output, epubOnly: true)
        let epub = try XCTUnwrap(report.outputs.first { $0.pathExtension == "epub" })
        let run = try TestSupport.run("python3", [Self.script, epub.path])
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("1 straight ' , 2 straight \" , 1 \"...\""), run.output)
    }
}

/// The print edition's text: names kept whole, listed words broken only where listed.
final class PrintTextTests: XCTestCase {
    func testCapitalizedWordsAreKeptWholeAndListedWordsGetSoftHyphens() {
        let text = PrintText(exceptions: ["po-liti-cal"])
        XCTAssertEqual(text.render("In October, Sánchez & the political COB <b>"),
                       "In <span class=\"name\">October</span>, <span class=\"name\">Sánchez</span> &amp; the po\u{AD}liti\u{AD}cal COB &lt;b&gt;")
        XCTAssertEqual(PrintText().render("Bolivia’s Left-Indigenous unions"),
                       "<span class=\"name\">Bolivia’s</span> <span class=\"name\">Left-Indigenous</span> unions")
    }

    /// Words with letters beyond ASCII: looked up when a listed word has such letters too, or
    /// when lower-casing can make them an ASCII word (only the Kelvin sign does).
    func testListedWordsAreFoundWhateverTheirLetters() {
        XCTAssertEqual(PrintText(exceptions: ["kel-vin"]).render("the \u{212A}elvin scale, kelvins"),
                       "the \u{212A}el\u{AD}vin scale, kelvins")
        XCTAssertEqual(PrintText(exceptions: ["po-liti-cal"]).render("la política, POLITICAL"),
                       "la política, PO\u{AD}LITI\u{AD}CAL")
        XCTAssertEqual(PrintText(exceptions: ["polí-ti-ca"]).render("la política, las políticas"),
                       "la polí\u{AD}ti\u{AD}ca, las políticas")
    }

    /// Names are what the regular expression the print edition's rule is written as finds
    /// (ICU's, through NSRegularExpression), on texts made of the characters that decide it:
    /// capitals in and beyond ASCII, small letters, digits and other numbers, combining marks,
    /// apostrophes, hyphens, `&`, a title-case letter, an emoji and the zero-width joiner, and
    /// runs of small ASCII letters long enough to be passed over eight bytes at a time.
    func testNamesAreWhatTheRegularExpressionFinds() throws {
        let rule = try NSRegularExpression(pattern: #"(?<![\p{L}\p{M}\p{N}&])\p{Lu}[\p{L}\p{M}’'\-]{5,}(?![\p{L}\p{M}\p{N}])"#)
        let alphabet: [String] = ["A", "B", "É", "Ł", "Σ", "Ａ", "a", "z", "é", "ß", "ς", "0", "7", "²", "Ⅻ", "’", "'", "-",
                                  "&", " ", ",", "\u{301}", "ǅ", "🙂", "\u{200D}", "abc", "Bolivia", " de los trabajadores "]
        // A fixed linear congruential sequence: the same texts on every run.
        var state: UInt64 = 0x5DEECE66D
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var names = 0
        for _ in 0..<4000 {
            let text = (0..<next(24)).map { _ in alphabet[next(alphabet.count)] }.joined()
            let expected = rule.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                                         withTemplate: "<span class=\"name\">$0</span>")
            XCTAssertEqual(PrintText.markNames(text), expected, "in \(text.unicodeScalars.map { String($0.value, radix: 16) })")
            if expected != text { names += 1 }
        }
        // The texts hold names often enough for the comparison to mean something.
        XCTAssertGreaterThan(names, 400)
    }

    /// A listed word, or the Kelvin sign that may start one, is found wherever it falls among
    /// the eight-byte steps the search takes through a text.
    func testListedWordsAreFoundAtEveryOffset() {
        let text = PrintText(exceptions: ["kel-vin"])
        for offset in 0..<20 {
            let (before, after) = (String(repeating: "x", count: offset) + " ", " " + String(repeating: "y", count: offset))
            XCTAssertEqual(text.render(before + "kelvin" + after), before + "kel\u{AD}vin" + after, "at \(offset)")
            XCTAssertEqual(text.render(before + "\u{212A}elvin" + after), before + "\u{212A}el\u{AD}vin" + after, "at \(offset)")
            XCTAssertEqual(text.render(before + "kelvins" + after), before + "kelvins" + after, "at \(offset)")
        }
    }

    func testTheHyphenationListIsRead() throws {
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "print:\n  hyphenation: [po-liti-cal, -bad, x1-y]\n"),
                                           ["article.md": ScratchBook.article("Text.")])
        let (book, diagnostics) = Pipeline.check(book: folder.path)
        XCTAssertEqual(book?.metadata.print.hyphenation, ["po-liti-cal"])
        XCTAssertEqual(diagnostics.filter { $0.code == .valueInvalid }.count, 2, diagnostics.map(\.description).joined(separator: "\n"))
    }
}
