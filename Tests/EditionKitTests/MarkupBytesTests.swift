@testable import EditionKit
import Foundation
import XCTest

/// The byte writer of the navigation document and the NCX escapes exactly as `Markup` does,
/// and the plain text of inlines is what joining each node's text gives.
final class MarkupBytesTests: XCTestCase {
    func testEscapingIsMarkups() {
        let pieces = ["", "a", "&", "<", ">", "\"", "'", "é", "–", "𝄞", "plain words", "&amp;", "a\"b<c>d&e"]
        var generator = SystemRandomNumberGenerator()
        var texts = pieces
        for _ in 0..<2_000 {
            texts.append((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for text in texts {
            var bytes = MarkupBytes(capacity: 0)
            bytes.append("<x ")
            bytes.attribute(text)
            bytes.append(">")
            bytes.text(text)
            bytes.number(-42)
            bytes.spaces(3)
            XCTAssertEqual(String(decoding: bytes.data, as: UTF8.self),
                           "<x " + Markup.attribute(text) + ">" + Markup.text(text) + "-42   ", text)
        }
    }

    func testPlainTextJoinsEveryNodesText() {
        let inlines: [Inline] = [
            .text("A "), .emphasis([.text("b"), .strong([.text("c")])]), .softBreak, .code("d"),
            .link(destination: "x", title: "t", content: [.text("e"), .noteReference(NoteReference(label: "1", occurrence: 1, location: nil))]),
            .lineBreak, .image(source: "i.png", title: "", alt: [.text("f")]), .html("<br/>"), .strikethrough([.text("g")]),
        ]
        // Breaks are spaces; notes and raw HTML show nothing; an image shows its alternative.
        XCTAssertEqual(inlines.plainText, "A " + "bc" + " " + "d" + "e" + " " + "f" + "g")
        XCTAssertEqual([Inline.text("only")].plainText, "only")
        XCTAssertEqual(Inline.emphasis([.text("x"), .text("y")]).plainText, "xy")
        XCTAssertEqual([Inline]().plainText, "")
    }
}
