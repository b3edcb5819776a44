@testable import EditionKit
import Foundation
import XCTest

/// The stylesheets a build reads: the files their `url()`s and `@import`s name (a CSS tokenizer
/// that skips comments and strings), and a styles folder that is missing or not a folder,
/// reported by `check` as `build` fails on them.
final class StylesheetCheckTests: XCTestCase {
    // MARK: The tokenizer

    private func scan(_ css: String) -> [String] {
        StylesheetReferences.scan(css).map { "\($0.line):\($0.column) \($0.isImport ? "@import" : "url") \($0.target)" }
    }

    func testFindsEveryFormOfAReferenceAtItsPlace() {
        let css = """
        @import "a.css";
        @IMPORT url(b.css) screen;
        @import 'c.css';
        x { background: url( d.png ) , Url("e f.png"), URL('g.png'); }
        é { src: url(h\\2e otf) }
        """
        XCTAssertEqual(scan(css), [
            "1:9 @import a.css", "2:9 @import b.css", "3:9 @import c.css",
            "4:17 url d.png", "4:32 url e f.png", "4:48 url g.png",
            "5:11 url h.otf",
        ])
    }

    func testCommentsStringsAndOtherFunctionsNameNothing() {
        let css = """
        /* url(in-a-comment.png) @import "commented.css"; */
        a::before { content: "url(in-a-string.png)"; quotes: '\\'' 'url(x)'; }
        b { background: myurl(not-a-url.png) no-url(y.png); --url: 1; }
        c { background-image: image(url-like.png); }
        /* unclosed comment url(z.png)
        """
        XCTAssertEqual(scan(css), [])
    }

    func testAnImportNeedsItsStringOrURLNext() {
        // `@import` followed by something else names nothing; a string later is a value.
        XCTAssertEqual(scan("@import ; p { content: \"x.css\" }"), [])
        XCTAssertEqual(scan("@media print { @import /* note */ \"late.css\"; }"), ["1:35 @import late.css"])
    }

    func testBadURLsAndLinesOfEveryKind() {
        // An unquoted url with a space inside, or a quote, is a bad url: it names nothing.
        XCTAssertEqual(scan("a { b: url(one two.png); c: url(th\"ree.png) }"), [])
        // CR LF, a lone CR and a form feed each end a line.
        XCTAssertEqual(scan("a {}\r\nb {}\rc {}\u{0C}d { e: url(f.png) }"), ["4:8 url f.png"])
        // Columns count UTF-8 bytes: "é" is two.
        XCTAssertEqual(scan("é{e:url(x)}"), ["1:6 url x"])
        // A string with an escaped quote and a continued line.
        XCTAssertEqual(scan("@import \"a\\\"b\\\nc.css\";"), ["1:9 @import a\"bc.css"])
    }

    // MARK: Through the executable

    /// A book in a temporary folder with its own styles folder, print.css as given.
    private func book(printCSS: String) throws -> URL {
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("book")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        let styles = book.appendingPathComponent("styles")
        try? FileManager.default.removeItem(at: styles)
        try FileManager.default.createDirectory(at: styles, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.styles.appendingPathComponent("epub.css"), to: styles.appendingPathComponent("epub.css"))
        try printCSS.write(to: styles.appendingPathComponent("print.css"), atomically: true, encoding: .utf8)
        return folder
    }

    func testAStylesheetThatNamesAFileOutsideTheBookStopsCheckAndBuild() throws {
        let folder = try book(printCSS: "body { margin: 0; }\n@font-face {\n  src: url(../../secret.txt);\n}\n")
        try "a secret".write(to: folder.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        let check = try EditionProcess.run(["check", "book"], in: folder)
        let build = try EditionProcess.run(["build", "book", "--out", "out"], in: folder)
        for (name, run) in [("check", check), ("build", build)] {
            XCTAssertEqual(run.status, 1, "\(name): \(run.errors)")
            XCTAssertEqual(run.diagnostics.filter { $0.severity == "error" }.map(\.description),
                           ["book/styles/print.css:3:8: error: url '../../secret.txt' is outside the styles folder book/styles; only files inside it are published [file-outside-book]"],
                           name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path), "a refused build writes nothing")
    }

    func testAStylesheetThatNamesItsOwnFilesPasses() throws {
        let folder = try book(printCSS: "@import url(\"print.css\");\n@font-face { src: url(fonts/face.otf) format(\"opentype\"); }\nbody { background: url(data:image/gif;base64,R0lGOD) url(#x) url(https://example.org/x.png); }\n")
        let fonts = folder.appendingPathComponent("book/styles/fonts")
        try FileManager.default.createDirectory(at: fonts, withIntermediateDirectories: true)
        try Data([0]).write(to: fonts.appendingPathComponent("face.otf"))
        let check = try EditionProcess.run(["check", "book"], in: folder)
        XCTAssertEqual(check.status, 0, check.errors)
        XCTAssertEqual(check.diagnostics.filter { $0.severity == "error" }, [])
    }

    func testAMissingStylesFolderIsReportedByCheckAsBuildReportsIt() throws {
        let folder = try TestSupport.temporaryFolder(self)
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: folder.appendingPathComponent("book"))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("book/styles"))

        // --styles naming nothing.
        for command in [["check", "book", "--styles", "nowhere"], ["build", "book", "--out", "out", "--styles", "nowhere"]] {
            let run = try EditionProcess.run(command, in: folder)
            XCTAssertEqual(run.status, 1, run.errors)
            XCTAssertEqual(run.diagnostics.filter { $0.severity == "error" }.map(\.description),
                           ["edition: error: the styles folder 'nowhere' given with --styles does not exist [file-missing]"], command[0])
        }
        // No --styles, no book/styles, no ./styles.
        for command in [["check", "book"], ["build", "book", "--out", "out"]] {
            let run = try EditionProcess.run(command, in: folder)
            XCTAssertEqual(run.status, 1, run.errors)
            XCTAssertEqual(run.diagnostics.filter { $0.severity == "error" }.map(\.description),
                           ["edition: error: no styles folder: neither 'book/styles' nor './styles' exists [file-missing]"], command[0])
        }
        // book/styles that is a file: an error at it, not a silent fall-back to ./styles.
        try "not a folder".write(to: folder.appendingPathComponent("book/styles"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: TestSupport.styles, to: folder.appendingPathComponent("styles"))
        for command in [["check", "book"], ["build", "book", "--out", "out"]] {
            let run = try EditionProcess.run(command, in: folder)
            XCTAssertEqual(run.status, 1, run.errors)
            XCTAssertEqual(run.diagnostics.filter { $0.severity == "error" }.map(\.description),
                           ["book/styles:1:1: error: the book's styles folder 'book/styles' is a file, not a folder [file-unreadable]"], command[0])
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
        // With the folder given, both pass.
        for command in [["check", "book", "--styles", "styles"], ["build", "book", "--out", "out", "--styles", "styles"]] {
            XCTAssertEqual(try EditionProcess.run(command, in: folder).status, 0, command[0])
        }
    }
}
