@testable import EditionKit
import Foundation
import XCTest

/// The build cache's binary form of a loaded article: every article of the fixtures and of
/// book/ comes back equal, damaged bytes are refused without a crash, and a field added to the
/// model cannot be left out of the cache unnoticed.
final class ModelCodingTests: XCTestCase {
    private func books() throws -> [Book] {
        try [TestSupport.fixtureBook("minimal"), TestSupport.fixtureBook("print"),
             TestSupport.repository.appendingPathComponent("book")].map { try TestSupport.load($0) }
    }

    func testEveryArticleComesBackEqual() throws {
        var count = 0
        for book in try books() {
            for article in book.articles {
                let diagnostics = [Diagnostic.warning(.noteUncited, "a warning", at: article.location, hint: "a hint"),
                                   Diagnostic.error(.linkBroken, "an error without a place", at: nil)]
                let encoded = ModelCoding.encode(article: article, diagnostics: diagnostics)
                let decoded = try XCTUnwrap(ModelCoding.decode(encoded.head, content: { encoded.content }), article.file)
                XCTAssertEqual(decoded.article, article, article.file)
                XCTAssertEqual(decoded.diagnostics, diagnostics)
                // The same article, the same bytes (the cache names objects by their hash).
                XCTAssertEqual(ModelCoding.encode(article: decoded.article, diagnostics: decoded.diagnostics), encoded)
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 10)
        let nothing = ModelCoding.encode(article: nil, diagnostics: [])
        XCTAssertEqual(nothing.content, Data())
        XCTAssertNil(try XCTUnwrap(ModelCoding.decode(nothing.head, content: { nil })).article)
        let lists = [[Diagnostic.warning(.spacingWrong, "a doubled space", at: SourceLocation(file: "a.md", line: 3, column: 9))], []]
        XCTAssertEqual(ModelCoding.decodeDiagnostics(ModelCoding.encode(diagnostics: lists)), lists)
    }

    /// A decoded article's content is neither read nor decoded until asked for; its outline,
    /// read at once, is the one the content gives. Content that is missing or does not decode
    /// then is loaded again.
    func testTheContentIsReadAndDecodedWhenAskedFor() throws {
        let article = try XCTUnwrap(try books().last?.articles.first { !$0.notes.isEmpty && $0.headings.count > 1 })
        let encoded = ModelCoding.encode(article: article, diagnostics: [])
        final class Reads: @unchecked Sendable { var count = 0 }
        let reads = Reads()
        let decoded = try XCTUnwrap(ModelCoding.decode(encoded.head, content: { reads.count += 1; return encoded.content })?.article)
        XCTAssertFalse(decoded.contentIsDecoded)
        XCTAssertEqual(decoded.outline, ArticleOutline(article.content))
        XCTAssertEqual(decoded.headings, article.headings)
        XCTAssertEqual(decoded.outline.noteCount, article.notes.count)
        XCTAssertFalse(decoded.contentIsDecoded, "reading the outline decoded the content")
        XCTAssertEqual(reads.count, 0, "the content was read before it was asked for")
        XCTAssertEqual(decoded.body, article.body)
        XCTAssertTrue(decoded.contentIsDecoded)
        XCTAssertEqual(decoded.content, article.content)
        XCTAssertEqual(reads.count, 1, "the content was read more than once")

        // The body's Markdown, the content's last value, made not UTF-8; or the content gone:
        // the front matter and outline still decode; the content is loaded again, or is empty
        // without a way to.
        var damaged = encoded.content
        let text = try XCTUnwrap(damaged.range(of: Data(article.bodyText.utf8), options: .backwards))
        damaged[text.lowerBound] = 0xFF
        let reloaded = ArticleContent(bodyText: "loaded again")
        XCTAssertEqual(ModelCoding.decode(encoded.head, content: { damaged }, reload: { reloaded })?.article?.content, reloaded)
        XCTAssertEqual(ModelCoding.decode(encoded.head, content: { nil }, reload: { reloaded })?.article?.content, reloaded)
        let unloadable = try XCTUnwrap(ModelCoding.decode(encoded.head, content: { damaged })?.article)
        XCTAssertEqual(unloadable.outline, article.outline)
        XCTAssertEqual(unloadable.content, ArticleContent())
    }

    func testDamagedBytesAreRefused() throws {
        let article = try XCTUnwrap(try books().last?.articles.first)
        let encoded = ModelCoding.encode(article: article, diagnostics: [])
        let data = encoded.head
        for length in stride(from: 0, to: data.count, by: max(1, data.count / 200)) {
            XCTAssertNil(ModelCoding.decode(data.prefix(length), content: { encoded.content }), "a truncation to \(length) bytes decoded")
        }
        XCTAssertNil(ModelCoding.decode(data + Data([0]), content: { encoded.content }), "trailing bytes decoded")
        // A truncated content, or one with bytes after it, is not decoded: the article's
        // content is then empty (no way to load it again here), never a crash.
        let content = encoded.content
        for length in stride(from: 0, to: content.count, by: max(1, content.count / 200)) {
            XCTAssertEqual(ModelCoding.decode(data, content: { content.prefix(length) })?.article?.content, ArticleContent(),
                           "a truncation to \(length) bytes decoded")
        }
        XCTAssertEqual(ModelCoding.decode(data, content: { content + Data([0]) })?.article?.content, ArticleContent())
        // Flipped bytes never crash; they decode to nil or to some article, whose content,
        // decoded when asked for, is some content too.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bytes = [UInt8](data)
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = ModelCoding.decode(Data(bytes), content: { content })?.article?.content
            var flipped = [UInt8](content)
            flipped[Int.random(in: 0..<flipped.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            _ = ModelCoding.decode(data, content: { Data(flipped) })?.article?.content
        }
        XCTAssertNil(ModelCoding.decodeDiagnostics(Data([0xff, 0xff, 0xff])))
    }

    /// A string whose bytes are not UTF-8 is damage, even when the text the standard library
    /// would repair it to has as many bytes (a truncated sequence and a letter: U+FFFD and it).
    func testAStringThatIsNotUTF8IsRefused() throws {
        let message = "wxyz"
        let data = ModelCoding.encode(diagnostics: [[Diagnostic.warning(.spacingWrong, message, at: nil)]])
        let start = try XCTUnwrap(data.firstRange(of: Data(message.utf8))).lowerBound
        XCTAssertEqual(ModelCoding.decodeDiagnostics(data)?.first?.first?.message, message)
        for bytes: [UInt8] in [[0xF0, 0x90, 0x80, 0x61], [0x80, 0x61, 0x62, 0x63], [0xED, 0xA0, 0x80, 0x61],
                               [0xC0, 0xAF, 0x61, 0x62], [0x61, 0x62, 0x63, 0xE2]] {
            var damaged = data
            damaged.replaceSubrange(start..<start + 4, with: bytes)
            XCTAssertNil(ModelCoding.decodeDiagnostics(damaged), "\(bytes) decoded")
        }
        // U+FFFD itself is text like any other.
        var replacement = data
        replacement.replaceSubrange(start..<start + 4, with: Array("\u{FFFD}a".utf8))
        XCTAssertEqual(ModelCoding.decodeDiagnostics(replacement)?.first?.first?.message, "\u{FFFD}a")
    }

    /// A field added to one of these types must be written by `ModelCoding` too (and one of
    /// TypographySettings named by its `cacheKey`): update it, bump its format, then the counts.
    func testTheCodingKnowsEveryField() throws {
        let article = try XCTUnwrap(try books().first?.articles.first)
        let location = SourceLocation(file: "a.md", line: 1)
        let values: [String: Any] = [
            "Article": article, "ArticleContent": article.content, "ArticleOutline": article.outline,
            "ShownImage": ArticleOutline.ShownImage(source: "a.png", altIsBlank: false),
            "Author": Author(name: "A", organization: nil, location: nil),
            "Heading": Heading(level: 2, content: [], id: "h", location: nil),
            "ListBlock": ListBlock(ordered: false, start: 1, tight: true, items: []),
            "Table": Table(alignments: [], header: [], rows: []),
            "Note": Note(label: "1", blocks: [], citationCount: 1, location: nil),
            "NoteReference": NoteReference(label: "1", occurrence: 1, location: nil), "SourceLocation": location,
            "Diagnostic": Diagnostic.warning(.noteUncited, "m", at: location), "TypographySettings": TypographySettings(),
        ]
        XCTAssertEqual(Set(values.keys), Set(ModelCoding.fieldCounts.keys))
        for (name, value) in values {
            XCTAssertEqual(Mirror(reflecting: value).children.count, ModelCoding.fieldCounts[name], "\(name) has another field count")
        }
    }
}
