import Foundation
import XCTest

/// Issue 10's classes about files, through the built executable: files from outside the book
/// (paths and links), devices, folders and FIFOs where a file is expected, files that are not
/// what their extension claims, SVG images that carry scripts or references, and reading-order
/// spellings. For each case: `edition check` and `edition build` both exit 1 with the coded
/// error at its file, line and column, and the build writes nothing. The cases that need
/// links, FIFOs and devices are made at test time (git holds none of them).
final class HostileFilesTests: XCTestCase {
    struct Expected {
        var code: String
        var file: String
        var line: Int
        var column: Int
        var message: String
    }

    /// A book in `folder/book`: book.yaml with `extra` on line 6 (`cover: …`) and `second` as
    /// the second entry of the reading order (line 10, column 9), one article whose line 7
    /// shows `image` at column 1.
    private func makeBook(extra: String = "notes: article", second: String? = nil, image: String? = nil,
                          parts: String? = nil) throws -> URL {
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: book.appendingPathComponent("images"), withIntermediateDirectories: true)
        var yaml = """
            slug: hostile
            identifier: urn:uuid:6f9c1d2e-3a4b-4c5d-8e7f-0a1b2c3d4e5f
            title: Hostile
            date: 2026-06-01
            language: en
            \(extra)

            """
        yaml += parts ?? "parts:\n  - articles:\n      - article.md\n" + (second.map { "      - \($0)\n" } ?? "")
        try yaml.write(to: book.appendingPathComponent("book.yaml"), atomically: true, encoding: .utf8)
        let article = "---\ntitle: An Article\n---\n\nText.\n\n" + (image.map { "![An image](\($0))\n" } ?? "")
        try article.write(to: book.appendingPathComponent("article.md"), atomically: true, encoding: .utf8)
        try "---\ntitle: Outside\n---\n\nA stranger's text.\n".write(to: folder.appendingPathComponent("outside.md"),
                                                                       atomically: true, encoding: .utf8)
        try OutputSafetyTests.onePixelPNG.write(to: folder.appendingPathComponent("outside.png"))
        return folder
    }

    /// Runs check and build in `folder` and asserts the outcome of both.
    private func assertRefused(_ folder: URL, _ expected: Expected, styles: Bool = true,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let stylesArguments = styles ? ["--styles", TestSupport.styles.path] : []
        let check = try EditionProcess.run(["check", "book"] + stylesArguments, in: folder, timeout: 60)
        let build = try EditionProcess.run(["build", "book", "--out", "out"] + stylesArguments, in: folder, timeout: 60)
        for (name, run) in [("check", check), ("build", build)] {
            XCTAssertEqual(run.status, 1, "\(name):\n\(run.errors)", file: file, line: line)
            let found = run.diagnostics.first { $0.code == expected.code }
            XCTAssertNotNil(found, "\(name) printed no [\(expected.code)]:\n\(run.errors)", file: file, line: line)
            XCTAssertEqual(found?.severity, "error", file: file, line: line)
            XCTAssertEqual(found?.file, expected.file, "\(name)", file: file, line: line)
            XCTAssertEqual(found?.line, expected.line, "\(name)", file: file, line: line)
            XCTAssertEqual(found?.column, expected.column, "\(name)", file: file, line: line)
            XCTAssertTrue(found?.message.contains(expected.message) == true,
                          "\(name): '\(expected.message)' not in '\(found?.message ?? "")'", file: file, line: line)
            XCTAssertFalse(run.errors.contains("Error Domain="), "\(name): a Foundation error dump", file: file, line: line)
            XCTAssertFalse(run.errors.contains("A stranger's text") || run.errors.contains("root:x:0"), file: file, line: line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path),
                       "a refused build writes nothing: \(FolderSnapshot(folder.appendingPathComponent("out")).paths)",
                       file: file, line: line)
    }

    private func link(_ path: String, in folder: URL, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(path).path, withDestinationPath: target)
    }

    private func fifo(_ path: String, in folder: URL) throws {
        guard mkfifo(folder.appendingPathComponent(path).path, 0o644) == 0 else {
            throw SetupError(message: "mkfifo \(path) failed: \(String(cString: strerror(errno)))")
        }
    }

    // MARK: The baseline

    func testTheCleanBookBuilds() throws {
        let folder = try makeBook(image: "images/dot.png")
        try OutputSafetyTests.onePixelPNG.write(to: folder.appendingPathComponent("book/images/dot.png"))
        try """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="4" height="4">
              <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
              <rect width="4" height="4" fill="url(#g)"/><use xlink:href="#g"/>
            </svg>
            """.write(to: folder.appendingPathComponent("book/images/plain.svg"), atomically: true, encoding: .utf8)
        let article = folder.appendingPathComponent("book/article.md")
        try (try String(contentsOf: article, encoding: .utf8) + "\n![A plain drawing](images/plain.svg)\n")
            .write(to: article, atomically: true, encoding: .utf8)
        let check = try EditionProcess.run(["check", "book", "--styles", TestSupport.styles.path], in: folder)
        XCTAssertEqual(check.status, 0, check.errors)
        let build = try EditionProcess.run(["build", "book", "--out", "out", "--styles", TestSupport.styles.path], in: folder)
        XCTAssertEqual(build.status, 0, build.errors)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/hostile.epub").path))
    }

    // MARK: Files from outside the book

    func testAnArticleOutsideTheBook() throws {
        let folder = try makeBook(second: "../outside.md")
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/book.yaml", line: 10, column: 9,
                                           message: "'book/../outside.md' is outside the book folder"))
    }

    func testAnArticleThatIsALinkOutOfTheBook() throws {
        let folder = try makeBook(second: "linked.md")
        try link("book/linked.md", in: folder, to: folder.appendingPathComponent("outside.md").path)
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/book.yaml", line: 10, column: 9,
                                           message: "(it leads to \(folder.appendingPathComponent("outside.md").resolvingSymlinksInPath().path))"))
    }

    func testAnImageOutsideTheBook() throws {
        let folder = try makeBook(image: "../../../../../../../../../../etc/passwd")
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/article.md", line: 7, column: 1,
                                           message: "is outside the book folder"))
    }

    func testAnImageThatIsALinkToASystemFile() throws {
        let folder = try makeBook(image: "images/pic.png")
        try link("book/images/pic.png", in: folder, to: "/etc/passwd")
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/article.md", line: 7, column: 1,
                                           message: "(it leads to /etc/passwd)"))
    }

    func testAnImageLinkedToADeviceOutsideTheBook() throws {
        let folder = try makeBook(image: "images/zero.png")
        try link("book/images/zero.png", in: folder, to: "/dev/zero")
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/article.md", line: 7, column: 1,
                                           message: "(it leads to /dev/zero)"))
    }

    func testACoverOutsideTheBook() throws {
        let folder = try makeBook(extra: "cover: ../outside.png")
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/book.yaml", line: 6, column: 8,
                                           message: "cover image '../outside.png' is outside the book folder"))
    }

    func testAStylesheetThatIsALinkOutOfItsFolder() throws {
        let folder = try makeBook()
        let styles = folder.appendingPathComponent("book/styles")
        try FileManager.default.createDirectory(at: styles, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.styles.appendingPathComponent("print.css"),
                                         to: styles.appendingPathComponent("print.css"))
        try link("book/styles/epub.css", in: folder, to: "/etc/passwd")
        try assertRefused(folder, Expected(code: "file-outside-book", file: "book/styles/epub.css", line: 1, column: 1,
                                           message: "(it leads to /etc/passwd)"), styles: false)
    }

    // MARK: Devices, folders and FIFOs where a file is expected

    func testAFIFOAsAnImageIsAnErrorNotAHang() throws {
        let folder = try makeBook(image: "images/pipe.png")
        try fifo("book/images/pipe.png", in: folder)
        try assertRefused(folder, Expected(code: "file-unreadable", file: "book/article.md", line: 7, column: 1,
                                           message: "'images/pipe.png' is a named pipe (FIFO), not a file"))
    }

    func testAFIFOAsTheCover() throws {
        let folder = try makeBook(extra: "cover: images/pipe.jpg")
        try fifo("book/images/pipe.jpg", in: folder)
        try assertRefused(folder, Expected(code: "file-unreadable", file: "book/book.yaml", line: 6, column: 8,
                                           message: "cover image 'images/pipe.jpg' is a named pipe (FIFO), not a file"))
    }

    func testAFIFOAsAnArticle() throws {
        let folder = try makeBook(second: "pipe.md")
        try fifo("book/pipe.md", in: folder)
        try assertRefused(folder, Expected(code: "file-unreadable", file: "book/book.yaml", line: 10, column: 9,
                                           message: "'book/pipe.md' is a named pipe (FIFO), not a file"))
    }

    func testAFIFOAsAStylesheet() throws {
        let folder = try makeBook()
        let styles = folder.appendingPathComponent("book/styles")
        try FileManager.default.createDirectory(at: styles, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.styles.appendingPathComponent("epub.css"),
                                         to: styles.appendingPathComponent("epub.css"))
        try fifo("book/styles/print.css", in: folder)
        try assertRefused(folder, Expected(code: "file-unreadable", file: "book/styles/print.css", line: 1, column: 1,
                                           message: "is a named pipe (FIFO), not a file"), styles: false)
    }

    /// A character device inside the book (made with mknod, which needs root).
    func testADeviceAsAnImage() throws {
        let folder = try makeBook(image: "images/zero.png")
        let path = folder.appendingPathComponent("book/images/zero.png").path
        guard mknod(path, S_IFCHR | 0o644, dev_t((1 << 8) | 5)) == 0 else {
            throw SetupError(message: "mknod \(path) failed (it needs root): \(String(cString: strerror(errno)))")
        }
        try assertRefused(folder, Expected(code: "file-unreadable", file: "book/article.md", line: 7, column: 1,
                                           message: "'images/zero.png' is a device, not a file"))
    }

    func testAFolderAsAnImage() throws {
        let folder = try makeBook(image: "images/folder.png")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("book/images/folder.png"),
                                                withIntermediateDirectories: true)
        try assertRefused(folder, Expected(code: "file-unreadable", file: "book/article.md", line: 7, column: 1,
                                           message: "'images/folder.png' is a folder, not a file"))
    }

    // MARK: Files that are not what they claim

    func testAPNGThatIsText() throws {
        let folder = try makeBook(image: "images/pic.png")
        try "not an image".write(to: folder.appendingPathComponent("book/images/pic.png"), atomically: true, encoding: .utf8)
        try assertRefused(folder, Expected(code: "image-content", file: "book/article.md", line: 7, column: 1,
                                           message: "is named as a PNG image but is not an image at all"))
    }

    func testAJPEGThatIsAPNG() throws {
        let folder = try makeBook(image: "images/photo.jpg")
        try OutputSafetyTests.onePixelPNG.write(to: folder.appendingPathComponent("book/images/photo.jpg"))
        try assertRefused(folder, Expected(code: "image-content", file: "book/article.md", line: 7, column: 1,
                                           message: "is named as a JPEG image but is a PNG image"))
    }

    func testACoverThatIsNotAnImage() throws {
        let folder = try makeBook(extra: "cover: images/cover.jpg")
        try "<html>a web page</html>".write(to: folder.appendingPathComponent("book/images/cover.jpg"), atomically: true, encoding: .utf8)
        try assertRefused(folder, Expected(code: "image-content", file: "book/book.yaml", line: 6, column: 8,
                                           message: "cover image 'images/cover.jpg' is named as a JPEG image but is not an image"))
    }

    private func assertSVGRefused(_ svg: String, because reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = try makeBook(image: "images/drawing.svg")
        try svg.write(to: folder.appendingPathComponent("book/images/drawing.svg"), atomically: true, encoding: .utf8)
        try assertRefused(folder, Expected(code: "image-unsafe", file: "book/article.md", line: 7, column: 1,
                                           message: "SVG image 'images/drawing.svg' is refused: \(reason)"), file: file, line: line)
    }

    func testAnSVGWithAScript() throws {
        try assertSVGRefused("<svg xmlns=\"http://www.w3.org/2000/svg\"><SCRIPT>alert(1)</SCRIPT></svg>",
                             because: "it contains a <SCRIPT> element")
    }

    func testAnSVGWithAnEventHandler() throws {
        try assertSVGRefused("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\" onLoad=\"alert(1)\"/></svg>",
                             because: "<rect> has the event handler onLoad")
    }

    func testAnSVGThatLoadsAnotherFile() throws {
        try assertSVGRefused("""
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
              <image xlink:href="file:///etc/passwd" width="1" height="1"/>
            </svg>
            """, because: "<image> refers to 'file:///etc/passwd'")
    }

    func testAnSVGWithAForeignObject() throws {
        try assertSVGRefused("""
            <svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject></svg>
            """, because: "it contains a <foreignObject> element")
    }

    func testAnSVGThatDeclaresEntities() throws {
        try assertSVGRefused("""
            <?xml version="1.0"?>
            <!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>
            """, because: "it declares entities in a DOCTYPE")
    }

    func testAnSVGWhoseStyleImportsAStylesheet() throws {
        try assertSVGRefused("""
            <svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://example.org/x.css);</style></svg>
            """, because: "its <style> imports another stylesheet")
    }

    // MARK: Reading order

    func testTheSameArticleUnderTwoSpellings() throws {
        let folder = try makeBook(second: "./article.md")
        try assertRefused(folder, Expected(code: "article-duplicate", file: "book/book.yaml", line: 10, column: 9,
                                           message: "'./article.md' is already listed at book/book.yaml:9:9"))
    }

    func testAnEmptyReadingOrder() throws {
        let folder = try makeBook(parts: "parts: []\n")
        try assertRefused(folder, Expected(code: "parts-empty", file: "book/book.yaml", line: 7, column: 8,
                                           message: "the reading order lists no article"))
    }

    func testANULInAnArticleName() throws {
        let folder = try makeBook(second: "\"article.md\\0.png\"")
        try assertRefused(folder, Expected(code: "value-invalid", file: "book/book.yaml", line: 10, column: 9,
                                           message: "contains a NUL character"))
    }

    func testANULInAnImageName() throws {
        let folder = try makeBook(image: "images/dot%00.png")
        try assertRefused(folder, Expected(code: "value-invalid", file: "book/article.md", line: 7, column: 1,
                                           message: "contains a NUL character"))
    }
}
