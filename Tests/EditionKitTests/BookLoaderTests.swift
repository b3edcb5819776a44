@testable import EditionKit
import XCTest

/// Small book folders written for one test, removed when it ends.
enum ScratchBook {
    static let identifier = "urn:uuid:6f9c1d2e-3a4b-4c5d-8e7f-0a1b2c3d4e5f"

    /// A book.yaml with the required keys, `extra` lines after them, and one untitled part.
    static func manifest(articles: [String] = ["article.md"], language: String = "en-US", extra: String = "") -> String {
        """
        slug: scratch
        identifier: \(identifier)
        title: Scratch Edition
        date: 2026-06-01
        language: \(language)
        \(extra)parts:
          - articles: [\(articles.joined(separator: ", "))]

        """
    }

    static func article(_ body: String, frontMatter: String = "title: An Article") -> String {
        "---\n\(frontMatter)\n---\n\n\(body)"
    }

    /// The first bytes of a PNG and a JPEG file: what the image checks read of them.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1])

    /// Writes `files` (paths relative to the book folder) and `binary` files, and returns the folder.
    static func write(_ test: XCTestCase, manifest: String? = nil, _ files: [String: String],
                      binary: [String: Data] = [:]) throws -> URL {
        let folder = try TestSupport.temporaryFolder(test)
        var all = files
        if let manifest { all["book.yaml"] = manifest } else if all["book.yaml"] == nil { all["book.yaml"] = Self.manifest() }
        for (path, text) in all {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        for (path, data) in binary {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return folder
    }

    /// Loads a folder the way `edition check` does.
    static func check(_ folder: URL) -> (book: Book?, diagnostics: [Diagnostic]) {
        Pipeline.check(book: folder.path)
    }

    /// Writes a book with one article and loads it; fails the test when it cannot be loaded.
    static func load(_ test: XCTestCase, article: String, extra: String = "", language: String = "en-US",
                     files: [String: String] = [:], binary: [String: Data] = [:],
                     file: StaticString = #filePath, line: UInt = #line) throws -> Book {
        var all = files
        all["article.md"] = article
        let folder = try write(test, manifest: manifest(language: language, extra: extra), all, binary: binary)
        return try TestSupport.load(folder, file: file, line: line)
    }
}

/// book.yaml and front matter read into the model, with every problem reported where it is.
final class BookLoaderTests: XCTestCase {
    private func codes(_ diagnostics: [Diagnostic]) -> [DiagnosticCode] { diagnostics.map(\.code) }

    func testTheMinimalFixtureLoadsCompletely() throws {
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        let metadata = book.metadata
        XCTAssertEqual(metadata.slug, "minimal-edition")
        XCTAssertEqual(metadata.title, "A Small Edition")
        XCTAssertEqual(metadata.subtitle, "Fixtures for the tests")
        XCTAssertEqual(metadata.periodical, Periodical(name: "Test Periodical", issn: "1234-5679", edition: 3))
        XCTAssertEqual(metadata.date, "2025-03-01")
        XCTAssertEqual(metadata.language, "en-US")
        XCTAssertEqual(metadata.contributors, [Contributor(name: "Ana Editor", role: .responsibleEditor),
                                               Contributor(name: "Leo Layout", role: .layout)])
        XCTAssertEqual(metadata.notePlacement, .article)
        XCTAssertNil(metadata.cover)
        XCTAssertEqual(book.parts.map(\.id), ["part-1", "part-2"])
        XCTAssertEqual(book.parts.map(\.title), [nil, "Documents"])
        XCTAssertEqual(book.articles.map(\.id), ["first-article", "second-article", "old-document"])

        let first = book.articles[0]
        XCTAssertEqual(first.plainTitle, "The First Article: Notes and Sections")
        XCTAssertEqual(first.subtitle, [.text("A subtitle with "), .emphasis([.text("emphasis")])])
        XCTAssertEqual(first.authors.map(\.name), ["María Sánchez", "John Smith"])
        XCTAssertEqual(first.authors.map(\.organization), ["PSTU Brazil", "Workers’ Voice (US)"], "typographic apostrophes in bylines")
        XCTAssertEqual(first.date, "June 2025")
        XCTAssertEqual(first.printPage, 2)
        XCTAssertNil(first.language)
        XCTAssertEqual(first.headings.map(\.id), ["first-article--the-first-section", "first-article--a-subsection"])
        XCTAssertEqual(first.notes.map(\.label), ["1", "2"])
        XCTAssertEqual(first.headings.first?.location?.line, 15, "body positions count the front matter")

        let old = book.articles[2]
        XCTAssertEqual(old.language, "es")
        XCTAssertEqual(old.source, [.text("First published in "), .emphasis([.text("Marxismo Vivo")]), .text(" No. 8, 2004, pp. 49–61")])
        XCTAssertEqual(old.notes.map(\.citationCount), [0, 0])
    }

    func testArticleIdsComeFromFileNamesWithoutTheirOrderPrefix() {
        XCTAssertEqual(BookLoader.articleId(forFile: "01-new-uprising.md"), "new-uprising")
        XCTAssertEqual(BookLoader.articleId(forFile: "texts/11_1952-trotskyism.md"), "article-1952-trotskyism")
        XCTAssertEqual(BookLoader.articleId(forFile: "Año Nuevo.md"), "ano-nuevo")
        XCTAssertEqual(BookLoader.articleId(forFile: "2003.md"), "article-2003")
        XCTAssertEqual(BookLoader.articleId(forFile: "???.md"), "article")
    }

    func testArticleIdsAreUniqueAndDoNotTakeTheNamesOfGeneratedDocuments() throws {
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(articles: [
            "a/intro.md", "b/intro.md", "notes.md", "contents.md", "01-cover.md", "part-1.md",
        ]), [
            "a/intro.md": ScratchBook.article("A."), "b/intro.md": ScratchBook.article("B."),
            "notes.md": ScratchBook.article("N."), "contents.md": ScratchBook.article("C."),
            "01-cover.md": ScratchBook.article("C."), "part-1.md": ScratchBook.article("P."),
        ])
        let book = try TestSupport.load(folder)
        XCTAssertEqual(book.articles.map(\.id), ["intro", "intro-2", "notes-2", "contents-2", "cover-2", "part-1"])
        XCTAssertEqual(book.parts.map(\.id), ["part-1-2"])
    }

    func testHeadingIdsAreUniqueAcrossTheEditionAndDependOnlyOnTheirArticle() throws {
        // Article `a` with a heading "B C" and article `a-b` with a heading "C" would both
        // give `a-b-c` with one hyphen; the print edition is one document. The double hyphen
        // keeps them apart without renaming either, so adding or editing one article never
        // changes the ids of another.
        let articles = [
            "a.md": ScratchBook.article("## B C\n\nText."),
            "a-b.md": ScratchBook.article("> ## C\n\n## Title\n\n## Note 1\n\nText.[^1]\n\n[^1]: N."),
        ]
        let both = try TestSupport.load(try ScratchBook.write(self, manifest: ScratchBook.manifest(articles: ["a.md", "a-b.md"]), articles))
        XCTAssertEqual(both.articles.flatMap(\.headings).map(\.id), ["a--b-c", "a-b--c", "a-b--title", "a-b--note-1"])
        let alone = try TestSupport.load(try ScratchBook.write(self, manifest: ScratchBook.manifest(articles: ["a-b.md"]), ["a-b.md": articles["a-b.md"]!]))
        XCTAssertEqual(alone.articles.flatMap(\.headings).map(\.id), ["a-b--c", "a-b--title", "a-b--note-1"])
    }

    func testValuesWrittenAsNumbersOrDatesAreReadAsTheirText() throws {
        let book = try ScratchBook.load(self, article: ScratchBook.article("Text.\n", frontMatter: "title: 1952\ndate: 2004\nsource: 2004-06-01\nprint-page: 15"))
        let article = try XCTUnwrap(book.articles.first)
        XCTAssertEqual(article.plainTitle, "1952")
        XCTAssertEqual(article.date, "2004")
        XCTAssertEqual(article.source, [.text("2004-06-01")])
        XCTAssertEqual(article.printPage, 15)
    }

    func testFrontMatterWithByteOrderMarkCRLFAndDotsFence() throws {
        let text = "\u{FEFF}---\r\ntitle: Windows\r\n...\r\n\r\n## A Section\r\n\r\nText.[^1]\r\n\r\n[^1]: Note.\r\n"
        let book = try ScratchBook.load(self, article: text)
        let article = try XCTUnwrap(book.articles.first)
        XCTAssertEqual(article.plainTitle, "Windows")
        XCTAssertEqual(article.headings.first?.location, SourceLocation(file: book.root.path + "/article.md", line: 5, column: 1))
        XCTAssertEqual(article.notes.first?.location?.line, 9)
        XCTAssertEqual(article.body.last, .paragraph([.text("Text."), .noteReference(NoteReference(
            label: "1", occurrence: 1, location: SourceLocation(file: book.root.path + "/article.md", line: 7, column: 6)))]))
    }

    func testBookLevelSettings() throws {
        let extra = """
        subtitle: A Subtitle
        date-label: June 2026
        publisher: The Press
        periodical:
          name: Post International
          issn: 2179-118X
          edition: 29
        contributors:
          - name: A
            role: responsible-editor
          - name: B
            role: translator
          - name: C
            role: cover-designer
        rights: All rights.
        description: What it is.
        website: https://example.org
        notes: book
        print:
          first-page: 5
          recto-openings: true

        """
        let book = try ScratchBook.load(self, article: ScratchBook.article("Text.\n"), extra: extra)
        let metadata = book.metadata
        XCTAssertEqual(metadata.dateLabel, "June 2026")
        XCTAssertEqual(metadata.periodical, Periodical(name: "Post International", issn: "2179-118X", edition: 29))
        XCTAssertEqual(metadata.contributors.map(\.role), [.responsibleEditor, .translator, .coverDesigner])
        XCTAssertEqual(metadata.contributors.map(\.role.marcRelator), ["edt", "trl", "cov"])
        XCTAssertEqual(metadata.notePlacement, .book)
        XCTAssertEqual(metadata.print, PrintSettings(firstPage: 5, rectoOpenings: true))
        XCTAssertEqual(metadata.website, "https://example.org")
        XCTAssertEqual(metadata.rights, "All rights.")
        XCTAssertEqual(metadata.description, "What it is.")
    }

    // MARK: Values

    func testDates() {
        XCTAssertTrue(BookLoader.isISODate("2026-06-01"))
        XCTAssertTrue(BookLoader.isISODate("2024-02-29"))
        XCTAssertFalse(BookLoader.isISODate("2026-02-29"))
        XCTAssertFalse(BookLoader.isISODate("2026-13-01"))
        XCTAssertFalse(BookLoader.isISODate("2026-6-1"))
        XCTAssertFalse(BookLoader.isISODate("June 2026"))
        XCTAssertFalse(BookLoader.isISODate("2026-06-01T00:00:00Z"))
    }

    func testLanguageTags() {
        for good in ["en", "es", "pt-BR", "es-419", "zh-Hant-TW", "quz"] { XCTAssertTrue(BookLoader.isLanguageTag(good), good) }
        for bad in ["English", "e", "en_US", "pt-", "", "es-ES-"] { XCTAssertFalse(BookLoader.isLanguageTag(bad), bad) }
    }

    func testISSNsAreCheckedToTheirCheckDigit() {
        XCTAssertNil(BookLoader.issnProblem("2179-118X"))
        XCTAssertNil(BookLoader.issnProblem("1234-5679"))
        XCTAssertNil(BookLoader.issnProblem("0317-8471"))
        XCTAssertEqual(BookLoader.issnProblem("1234-5678"), "'issn' 1234-5678 has the wrong check digit: it should be 9")
        XCTAssertEqual(BookLoader.issnProblem("2179-1180"), "'issn' 2179-1180 has the wrong check digit: it should be X")
        XCTAssertEqual(BookLoader.issnProblem("2179118X"), "'issn' must look like 2179-118X, not '2179118X'")
        XCTAssertEqual(BookLoader.issnProblem("2179-118x"), "'issn' must look like 2179-118X, not '2179-118x'")
    }

    func testTheFirstByteThatIsNotUTF8() {
        XCTAssertEqual(BookLoader.firstInvalidUTF8(in: Data([0x61, 0x0A, 0xC3, 0xB1, 0xF1, 0x0A])).line, 2)
        XCTAssertEqual(BookLoader.firstInvalidUTF8(in: Data([0x61, 0x0A, 0xC3, 0xB1, 0xF1, 0x0A])).column, 3)
        XCTAssertEqual(BookLoader.firstInvalidUTF8(in: Data([0xFF])).column, 1)
    }

    // MARK: Problems

    func testAnUnsupportedButValidLanguageIsAWarningAndAnInvalidOneOnlyAnError() throws {
        let german = try ScratchBook.write(self, manifest: ScratchBook.manifest(language: "de-DE"), ["article.md": ScratchBook.article("Text.\n")])
        let (book, warnings) = ScratchBook.check(german)
        XCTAssertNotNil(book, "an unsupported language does not stop the build")
        XCTAssertEqual(warnings.map(\.severity), [.warning])
        XCTAssertEqual(warnings.first?.location?.line, 5)

        let invalid = try ScratchBook.write(self, manifest: ScratchBook.manifest(language: "German"), ["article.md": ScratchBook.article("Text.\n")])
        XCTAssertEqual(ScratchBook.check(invalid).diagnostics.map(\.severity), [.error])
    }

    func testAnUnknownKeyInANestedMappingGetsAHint() throws {
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "periodical:\n  name: P\n  isnn: 2179-118X\n"),
                                           ["article.md": ScratchBook.article("Text.\n")])
        let diagnostics = ScratchBook.check(folder).diagnostics
        XCTAssertEqual(codes(diagnostics), [.keyUnknown])
        XCTAssertEqual(diagnostics.first?.hint, "did you mean 'issn'?")
        XCTAssertEqual(diagnostics.first?.location?.line, 8)
        XCTAssertEqual(diagnostics.first?.location?.column, 3)
    }

    func testAPeriodicalWithoutANameReportsOnlyTheMissingName() throws {
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "periodical:\n  issn: 2179-118X\n  edition: 29\n"),
                                           ["article.md": ScratchBook.article("Text.\n")])
        let diagnostics = ScratchBook.check(folder).diagnostics
        XCTAssertEqual(codes(diagnostics), [.keyMissing], diagnostics.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(diagnostics.first?.message, "missing required key 'name'")
    }

    func testAPartWhoseArticlesAreNotAListIsNotAlsoEmpty() throws {
        let manifest = ScratchBook.manifest() + "  - title: Broken\n    articles: chapter.md\n"
        let folder = try ScratchBook.write(self, manifest: manifest, ["article.md": ScratchBook.article("Text.\n")])
        XCTAssertEqual(codes(ScratchBook.check(folder).diagnostics), [.valueType])
    }

    func testAMissingBookYamlHasNoPlace() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let (book, diagnostics) = ScratchBook.check(folder)
        XCTAssertNil(book)
        XCTAssertEqual(codes(diagnostics), [.fileMissing])
        XCTAssertNil(diagnostics.first?.location)
    }

    func testArticlesAreStillReadWhenBookYamlIsIncomplete() throws {
        let manifest = ScratchBook.manifest().replacingOccurrences(of: "title: Scratch Edition\n", with: "")
        let folder = try ScratchBook.write(self, manifest: manifest, ["article.md": ScratchBook.article("Text.\n", frontMatter: "title: A\ncolour: red")])
        let (book, diagnostics) = ScratchBook.check(folder)
        XCTAssertNil(book)
        XCTAssertEqual(codes(diagnostics), [.keyUnknown, .keyMissing])
        XCTAssertEqual(diagnostics.map { ($0.location?.file as NSString?)?.lastPathComponent }, ["article.md", "book.yaml"])
    }

    func testYAMLErrorsInFrontMatterCountTheOpeningFence() throws {
        let folder = try ScratchBook.write(self, ["article.md": "---\ntitle: A\nauthors:\n  - name: \"Unclosed\n---\n\nText.\n"])
        let diagnostics = ScratchBook.check(folder).diagnostics
        XCTAssertEqual(codes(diagnostics), [.yamlSyntax])
        XCTAssertTrue(diagnostics.first?.message.hasSuffix("that starts at 4:11") == true, diagnostics.first?.message ?? "")
    }

    func testADuplicateKeyIsAYAMLError() throws {
        let folder = try ScratchBook.write(self, ["article.md": ScratchBook.article("Text.\n", frontMatter: "title: A\ntitle: B")])
        let diagnostics = ScratchBook.check(folder).diagnostics
        XCTAssertEqual(codes(diagnostics), [.yamlSyntax])
        XCTAssertEqual(diagnostics.first?.message, "duplicate key 'title'")
        XCTAssertEqual(diagnostics.first?.location?.line, 2)
    }

    func testBadInputNeverCrashes() throws {
        let manifests = [
            "", "---", "~", "[]", "- a", "slug: [", "parts: 3", "parts: [3, [4], {articles: 5}]",
            ScratchBook.manifest(extra: "contributors: [a, {name: [x], role: {y: z}}, {role: editor}]\n"),
            ScratchBook.manifest(extra: "print: {first-page: 99999999999999999999999, recto-openings: maybe}\n"),
            ScratchBook.manifest(extra: "anchor: &a {x: *a}\n"), "slug: &s x\nidentifier: *s\n",
            ScratchBook.manifest(extra: "periodical: {name: P, issn: 12345678901234567890, edition: -3}\n"),
            ScratchBook.manifest(articles: ["''", "'/'", "'../../../../etc/passwd'", "'a\\u0000b.md'"]),
        ]
        let articles = [
            "", "---", "---\n---", "---\n...\n", "---\n- a\n---\n", "---\ntitle: [a]\n---\n", "---\ntitle: ''\n---\n",
            "---\ntitle: T\nauthors: [[a]]\n---\n", "---\ntitle: T\nauthors: [{organization: O}]\n---\n",
            "---\ntitle: T\nprint-page: x\nlanguage: 42\n---\n[^0] [^-1] [^99999999999999999999]\n\n[^0]: a\n\n[^-1]: b\n\n[^99999999999999999999]: c\n",
            "---\ntitle: T\n---\n" + String(repeating: "#", count: 7) + " seven\n# one\n\n#\n",
        ]
        for manifest in manifests {
            let folder = try ScratchBook.write(self, manifest: manifest, ["article.md": ScratchBook.article("Text.\n")])
            XCTAssertFalse(ScratchBook.check(folder).diagnostics.isEmpty, "no diagnostic for book.yaml \(manifest.debugDescription)")
        }
        for article in articles {
            let folder = try ScratchBook.write(self, ["article.md": article])
            _ = ScratchBook.check(folder)
        }
    }
}

/// The byte-level helpers of loading give the places the characters have.
final class LoadingBytesTests: XCTestCase {
    func testControlCharactersAreFoundWithTheirLineAndByteColumn() throws {
        XCTAssertNil(BookLoader.firstControlCharacter(in: "a\tb\r\nç ok \u{FFFD}"))
        let formFeed = try XCTUnwrap(BookLoader.firstControlCharacter(in: "line\nçé\u{0C}x"))
        XCTAssertEqual([formFeed.line, formFeed.column], [2, 5])
        XCTAssertEqual(formFeed.scalar, "\u{0C}")
        let nonCharacter = try XCTUnwrap(BookLoader.firstControlCharacter(in: "a\n\nb\u{FFFF}"))
        XCTAssertEqual([nonCharacter.line, nonCharacter.column], [3, 2])
        XCTAssertEqual(nonCharacter.scalar.value, 0xFFFF)
        XCTAssertEqual(BookLoader.firstControlCharacter(in: "\u{FFFE}")?.scalar.value, 0xFFFE)
        XCTAssertNil(BookLoader.firstControlCharacter(in: "\u{FFBE}\u{EFBF}"), "other characters of those bytes' neighbours")
    }

    /// Wherever the character falls among the eight-byte steps the search takes, and after
    /// any number of lines and accented letters, its line and byte column are the same as
    /// counted byte by byte.
    func testControlCharactersAreFoundAtEveryOffset() throws {
        let lines = ["Una línea\n", "otra, más larga que ocho bytes\n", "\n", "fin "]
        for bad in ["\u{01}", "\u{1B}", "\u{FFFE}", "\u{FFFF}"] {
            for length in 0..<60 {
                let before = String(String(repeating: lines.joined(), count: 3).prefix(length))
                let text = before + bad + "y después\n\u{0B}"
                let found = try XCTUnwrap(BookLoader.firstControlCharacter(in: text), "after \(length) bytes")
                let beforeLines = before.split(separator: "\n", omittingEmptySubsequences: false)
                XCTAssertEqual([found.line, found.column], [beforeLines.count, beforeLines.last!.utf8.count + 1], "after \(length) bytes")
                XCTAssertEqual(found.scalar, bad.unicodeScalars.first, "after \(length) bytes")
            }
        }
    }

    /// The markup sketch's text: a forbidden character reported at its column, and the
    /// markup characters and line feeds blanked, wherever they fall among the eight-byte
    /// steps it takes; with the sketch written and without.
    func testTheSketchFindsAndBlanksAtEveryOffset() {
        let text = "Una línea, <b> & otra > más\nlarga que ocho bytes "
        for bad in ["\u{01}", "\u{1F}", "\u{FFFE}", "\u{FFFF}", "<", "&", ">", "\n", "\t"] {
            for length in 0..<40 {
                let before = String(text.prefix(length))
                let whole = before + bad + "y después, sin nada"
                for recording in [true, false] {
                    var sketch = MarkupSketch(firstLine: 5, recording: recording)
                    let start = sketch.bytes.count
                    sketch.text(whole, atLine: 5, column: 3)
                    let forbidden = bad.unicodeScalars.first!.value < 0x20 && bad != "\n" && bad != "\t" || bad.utf8.first == 0xEF
                    var expectedColumns: [Int] = []
                    if forbidden { expectedColumns.append(3 + before.utf8.count) }
                    XCTAssertEqual(sketch.findings.map(\.column), expectedColumns, "\(bad.unicodeScalars.first!.value) after \(length) bytes")
                    guard recording else { continue }
                    let blanked = whole.utf8.map { "<&>\n".utf8.contains($0) ? UInt8(ascii: "_") : $0 }
                    var expected = Array(blanked)
                    if forbidden {
                        let at = before.utf8.count
                        expected = Array(blanked[..<at]) + [UInt8(ascii: "_")] + Array(blanked[(at + bad.utf8.count)...])
                    }
                    XCTAssertEqual(String(decoding: sketch.bytes[start...], as: UTF8.self), String(decoding: expected, as: UTF8.self),
                                   "\(bad.unicodeScalars.first!.value) after \(length) bytes")
                }
            }
        }
    }

    func testUTF8IsDecodedWithoutItsByteOrderMark() {
        XCTAssertEqual(BookLoader.decodeUTF8(Data([0xEF, 0xBB, 0xBF, 0x61, 0xC3, 0xA7])), "aç")
        XCTAssertEqual(BookLoader.decodeUTF8(Data("---\n".utf8)), "---\n")
        XCTAssertNil(BookLoader.decodeUTF8(Data([0x61, 0xC3])))
    }

    func testFrontMatterIsSplitAtItsClosingFence() {
        let split = FrontMatter.split("---\ntitle: A\nx: 1\n...\n\nBody\n")
        XCTAssertEqual(split.yaml, "title: A\nx: 1")
        XCTAssertEqual(split.body, "\nBody\n")
        XCTAssertEqual(split.bodyLineOffset, 4)
        XCTAssertEqual(FrontMatter.split("--- \n---").yaml, "")
        XCTAssertEqual(FrontMatter.split("--- \n---").body, "")
        XCTAssertTrue(FrontMatter.split("---\ntitle: A\n").unclosed)
        XCTAssertTrue(FrontMatter.split("---").unclosed)
        XCTAssertFalse(FrontMatter.split("Text\n---\n").unclosed)
        XCTAssertNil(FrontMatter.split("Text\n---\n").yaml)
    }

    func testEscapingWorksOnBytes() {
        XCTAssertEqual(Markup.text("a & b < c > d \"e\" ç"), "a &amp; b &lt; c &gt; d \"e\" ç")
        XCTAssertEqual(Markup.attribute("&\"<>é"), "&amp;&quot;&lt;&gt;é")
        XCTAssertEqual(Markup.text("&\u{301}"), "&amp;\u{301}", "an ampersand with a combining mark is still escaped")
        XCTAssertEqual(Markup.text(""), "")
    }
}
