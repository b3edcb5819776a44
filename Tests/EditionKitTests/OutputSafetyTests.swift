import Foundation
import XCTest

/// Issue 13, through the built executable: a build over an earlier good output that fails at
/// any step (a file where a folder goes, an unwritable folder, WeasyPrint missing or failing,
/// a full disk, a rename that fails half-way) exits non-zero and leaves every earlier file
/// byte for byte as it was, and nothing new in the folder.
final class OutputSafetyTests: XCTestCase {
    /// A working folder with `book/` (the minimal fixture with an image, so that the print
    /// edition has a print/images folder), the fake WeasyPrint programs, and `out/`.
    struct Scene {
        let folder: URL
        var book: URL { folder.appendingPathComponent("book") }
        var out: URL { folder.appendingPathComponent("out") }
        var weasyPrint: URL { folder.appendingPathComponent("weasyprint-ok") }
        var failingWeasyPrint: URL { folder.appendingPathComponent("weasyprint-fails") }
        var styles: String { TestSupport.styles.path }

        /// `edition build book --out out` with `extra` arguments and the working fake WeasyPrint.
        func build(_ extra: [String] = [], weasyPrint program: URL? = nil, limitFileSize: Int? = nil) throws -> EditionProcess.Run {
            try EditionProcess.run(["build", "book", "--out", "out", "--styles", styles] + extra, in: folder,
                                   environment: [EditionProcess.PDFWriterVariable: (program ?? weasyPrint).path],
                                   limitFileSize: limitFileSize)
        }

        /// Changes the book's title, so that a build that replaced anything would show it.
        func retitle(_ title: String = "A Changed Title") throws {
            let yaml = book.appendingPathComponent("book.yaml")
            let text = try String(contentsOf: yaml, encoding: .utf8)
                .replacingOccurrences(of: "title: A Small Edition", with: "title: \(title)")
            try text.write(to: yaml, atomically: true, encoding: .utf8)
        }
    }

    static let onePixelPNG = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    /// `cover` names the given cover (the dot): without one, the cover is drawn from the SVG.
    static func makeScene(_ test: XCTestCase, cover: Bool = true) throws -> Scene {
        let folder = try TestSupport.temporaryFolder(test)
        let scene = Scene(folder: folder)
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: scene.book)
        try FileManager.default.createDirectory(at: scene.book.appendingPathComponent("images"), withIntermediateDirectories: true)
        try onePixelPNG.write(to: scene.book.appendingPathComponent("images/dot.png"))
        let article = scene.book.appendingPathComponent("01-first-article.md")
        try (try String(contentsOf: article, encoding: .utf8) + "\n![A dot](images/dot.png)\n")
            .write(to: article, atomically: true, encoding: .utf8)
        if cover {
            let yaml = scene.book.appendingPathComponent("book.yaml")
            try (try String(contentsOf: yaml, encoding: .utf8).replacingOccurrences(of: "notes: article", with: "notes: article\ncover: images/dot.png"))
                .write(to: yaml, atomically: true, encoding: .utf8)
        }
        try writeProgram(scene.weasyPrint, """
            #!/bin/sh
            printf '%%PDF-1.7 made from %s\\n' "$3" > "$4"; printf '{"weasyprint": "fake", "columnFix": "present", "pages": []}' > "$5"
            """)
        try writeProgram(scene.failingWeasyPrint, """
            #!/bin/sh
            echo "ERROR: Failed to lay out the page" >&2
            printf 'half a PDF' > "$4"
            exit 2
            """)
        return scene
    }

    static func writeProgram(_ url: URL, _ text: String) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// Builds the earlier good output (with the PDF unless `pdf` is false) and returns it.
    private func goodOutput(_ scene: Scene, pdf: Bool = true, extra: [String] = [],
                            file: StaticString = #filePath, line: UInt = #line) throws -> FolderSnapshot {
        let run = try scene.build((pdf ? ["--pdf"] : []) + extra)
        XCTAssertEqual(run.status, 0, run.errors, file: file, line: line)
        let snapshot = FolderSnapshot(scene.out)
        XCTAssertTrue(snapshot.files.keys.contains("minimal-edition.epub"), "\(snapshot.paths)", file: file, line: line)
        if !extra.contains("--epub-only") {
            XCTAssertTrue(snapshot.files.keys.contains("print/images/dot.png"), "\(snapshot.paths)", file: file, line: line)
        }
        return snapshot
    }

    /// The failed build: non-zero, the expected code (and file), the folder as it was.
    private func assertFailed(_ run: EditionProcess.Run, code: String, file expectedFile: String? = nil,
                              message: String? = nil, keeps before: FolderSnapshot, in scene: Scene,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.status, 1, run.errors, file: file, line: line)
        let found = run.diagnostics.filter { $0.code == code && $0.severity == "error" }
        XCTAssertFalse(found.isEmpty, "no [\(code)] error in:\n\(run.errors)", file: file, line: line)
        if let expectedFile {
            XCTAssertEqual(found.first?.file, expectedFile, run.errors, file: file, line: line)
            XCTAssertEqual(found.first?.line, 1, file: file, line: line)
            XCTAssertEqual(found.first?.column, 1, file: file, line: line)
        }
        if let message {
            XCTAssertTrue(found.contains { $0.message.contains(message) }, "'\(message)' not in:\n\(run.errors)", file: file, line: line)
        }
        XCTAssertFalse(run.errors.contains("Error Domain="), "a Foundation error dump:\n\(run.errors)", file: file, line: line)
        let after = FolderSnapshot(scene.out)
        XCTAssertEqual(after, before, after.differences(from: before), file: file, line: line)
    }

    func testAFileNamedPrintStopsTheBuildBeforeAnythingChanges() throws {
        let scene = try Self.makeScene(self)
        _ = try goodOutput(scene, pdf: false, extra: ["--epub-only"])
        FileManager.default.createFile(atPath: scene.out.appendingPathComponent("print").path, contents: Data("notes".utf8))
        let before = FolderSnapshot(scene.out)
        try scene.retitle()
        let run = try scene.build(["--pdf"])
        assertFailed(run, code: "output-failed", file: "out/print", message: "out/print is a file, not a folder",
                     keeps: before, in: scene)
    }

    func testAFolderWhereTheEPUBGoesStopsTheBuild() throws {
        let scene = try Self.makeScene(self)
        _ = try goodOutput(scene)
        let epub = scene.out.appendingPathComponent("minimal-edition.epub")
        try FileManager.default.removeItem(at: epub)
        try FileManager.default.createDirectory(at: epub, withIntermediateDirectories: false)
        let before = FolderSnapshot(scene.out)
        try scene.retitle()
        assertFailed(try scene.build(["--pdf"]), code: "output-failed", file: "out/minimal-edition.epub",
                     message: "is a folder, where the build writes a file", keeps: before, in: scene)
    }

    func testAnUnwritableFolderStopsTheBuildBeforeAnythingChanges() throws {
        let scene = try Self.makeScene(self)
        let before = try goodOutput(scene)
        let print = scene.out.appendingPathComponent("print")
        try Self.makeUnwritable(print, test: self)
        try scene.retitle()
        assertFailed(try scene.build(["--pdf"]), code: "output-failed", file: "out/print",
                     message: "the folder out/print", keeps: before, in: scene)
    }

    func testAMissingWeasyPrintIsFoundBeforeAnyWork() throws {
        let scene = try Self.makeScene(self)
        let before = try goodOutput(scene)
        try scene.retitle()
        let run = try scene.build(["--pdf"], weasyPrint: scene.folder.appendingPathComponent("no-such-weasyprint"))
        assertFailed(run, code: "tool-missing", keeps: before, in: scene)
        XCTAssertFalse(run.errors.contains("] load"), "the preflight comes before any work:\n\(run.errors)")
    }

    func testAFailingWeasyPrintReplacesNothing() throws {
        let scene = try Self.makeScene(self)
        let before = try goodOutput(scene)
        try scene.retitle()
        let run = try scene.build(["--pdf"], weasyPrint: scene.failingWeasyPrint)
        assertFailed(run, code: "output-failed", message: "WeasyPrint failed (exit status 2)", keeps: before, in: scene)
        XCTAssertTrue(run.errors.contains("Failed to lay out the page"), run.errors)
        XCTAssertFalse(run.errors.contains(".edition-staging"), "messages name the destinations:\n\(run.errors)")
    }

    /// A file-size limit (`ulimit -f`) makes the writes fail as a full disk does: here the
    /// EPUB's, staged beside the earlier one.
    func testAFullDiskReplacesNothing() throws {
        let scene = try Self.makeScene(self)
        let before = try goodOutput(scene)
        let epubSize = try XCTUnwrap(before.files["minimal-edition.epub"]).count
        XCTAssertGreaterThan(epubSize, 8 * 1024, "the limit must be below the EPUB's size for the test to mean anything")
        try scene.retitle()
        let run = try scene.build(["--pdf"], limitFileSize: 8)
        assertFailed(run, code: "output-failed", message: "larger than this system allows", keeps: before, in: scene)
    }

    /// The same without a given cover, which the build draws (in the process, writing no
    /// temporary file): the first write to fail is a staged output's.
    func testAFullDiskWhileDrawingTheCoverReplacesNothing() throws {
        let scene = try Self.makeScene(self, cover: false)
        let before = try goodOutput(scene)
        try scene.retitle()
        let run = try scene.build(["--pdf"], limitFileSize: 8)
        assertFailed(run, code: "output-failed", message: "larger than this system allows", keeps: before, in: scene)
    }

    /// A rename that fails after others succeeded (the print HTML made immutable, so that
    /// nothing may replace it): the EPUB already moved is put back.
    func testARenameThatFailsHalfWayPutsBackWhatMoved() throws {
        let scene = try Self.makeScene(self)
        let before = try goodOutput(scene)
        let html = scene.out.appendingPathComponent("print/minimal-edition.html")
        try Self.chattr("+i", html)
        addTeardownBlock { try? Self.chattr("-i", html) }
        try scene.retitle()
        let run = try scene.build(["--pdf"])
        assertFailed(run, code: "output-failed", file: "out/print/minimal-edition.html", keeps: before, in: scene)
    }

    func testASuccessfulBuildReplacesEveryOutputAndLeavesNoTemporaryFile() throws {
        let scene = try Self.makeScene(self)
        let before = try goodOutput(scene)
        try scene.retitle()
        let run = try scene.build(["--pdf"])
        XCTAssertEqual(run.status, 0, run.errors)
        let after = FolderSnapshot(scene.out)
        XCTAssertEqual(after.outputPaths, before.outputPaths, "the same files, no temporary one")
        for name in ["minimal-edition.epub", "print/minimal-edition.html"] {
            XCTAssertNotEqual(after.files[name], before.files[name], "\(name) is the new one")
        }
        let html = String(decoding: after.files["print/minimal-edition.html"] ?? Data(), as: UTF8.self)
        XCTAssertTrue(html.contains("A Changed Title"))
    }

    // MARK: Helpers

    /// Makes `folder` unwritable: read-only permissions, and for root (whom permissions do not
    /// stop) the immutable attribute.
    static func makeUnwritable(_ folder: URL, test: XCTestCase) throws {
        if geteuid() == 0 {
            try chattr("+i", folder)
            test.addTeardownBlock { try? chattr("-i", folder) }
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            test.addTeardownBlock { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        }
    }

    static func chattr(_ flag: String, _ url: URL) throws {
        let result = try TestSupport.run("chattr", [flag, url.path])
        guard result.status == 0 else {
            throw SetupError(message: "chattr \(flag) \(url.path) failed (it needs root and a disk that supports it): \(result.output)")
        }
    }
}
