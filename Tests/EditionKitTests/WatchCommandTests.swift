import EditionKit
import Foundation
import XCTest

/// `edition watch`, driven through the built executable: it builds, rebuilds on every save
/// (atomic saves, bursts of saves, a file written in two halves), survives an error with
/// the last good EPUB in place, and exits cleanly on SIGINT and SIGTERM, leaving no
/// temporary file.
final class WatchCommandTests: XCTestCase {
    private var root: URL!
    private var book: URL!
    private var dist: URL!
    private var log: URL!
    private var epub: URL { dist.appendingPathComponent("minimal-edition.epub") }
    private var article: URL { book.appendingPathComponent("01-first-article.md") }

    override func setUpWithError() throws {
        root = try TestSupport.temporaryFolder(self)
        book = root.appendingPathComponent("book")
        dist = root.appendingPathComponent("dist")
        log = root.appendingPathComponent("watch.log")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
    }

    /// The `edition` executable built beside the test bundle.
    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("edition"),
            TestSupport.repository.appendingPathComponent(".build/debug/edition"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw SetupError(message: "the edition executable is not built: run swift build first")
        }
        return found
    }

    private func start(_ extra: [String] = [], styles: URL = TestSupport.styles) throws -> Process {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = ["watch", book.path, "--out", dist.path, "--styles", styles.path, "--epub-only"] + extra
        process.currentDirectoryURL = root
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        addTeardownBlock { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        return process
    }

    private var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    private func count(_ text: String) -> Int { output.components(separatedBy: text).count - 1 }

    /// Waits until `condition` holds; fails with the watch's output after `seconds`.
    private func wait(_ what: String, seconds: Double = 60, file: StaticString = #filePath, line: UInt = #line,
                      _ condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what); the watch printed:\n\(output)", file: file, line: line)
    }

    private func epubText() -> String {
        guard let reader = try? EPUBReader(url: epub) else { return "" }
        return reader.entries.map(\.text).joined()
    }

    /// An editor's save: the new text goes to a temporary file renamed over the old one.
    private func atomicSave(_ url: URL, _ text: String) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).swp-\(UUID().uuidString)")
        try Data(text.utf8).write(to: temporary)
        XCTAssertEqual(rename(temporary.path, url.path), 0)
    }

    private func stop(_ process: Process, signal number: Int32) {
        kill(process.processIdentifier, number)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(process.isRunning, "the watch did not stop on signal \(number):\n\(output)")
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, output)
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("edition: stopped"), output)
    }

    /// Temporary files left in the book or the outputs (the cache's own files excepted).
    private func litter() -> [String] {
        var result: [String] = []
        for folder in [book!, dist!] {
            for path in (try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? [] {
                if path.hasPrefix(BuildCache.folderName + "/") || path == BuildCache.folderName { continue }
                let name = (path as NSString).lastPathComponent
                if name.hasPrefix(".") || name.contains(".tmp") { result.append(path) }
            }
        }
        return result
    }

    func testRebuildsOnEverySaveAndStopsCleanlyOnSIGINT() throws {
        let process = try start()
        wait("the first build") { output.contains("built in") }
        XCTAssertTrue(output.contains("(inotify)"), output)
        let original = try String(contentsOf: article, encoding: .utf8)
        XCTAssertTrue(epubText().contains("Opening paragraph"))

        // An atomic save.
        try atomicSave(article, original.replacingOccurrences(of: "Opening paragraph", with: "Watched paragraph"))
        wait("the rebuild after an atomic save") { epubText().contains("Watched paragraph") }
        wait("the report of the rebuild") { count("built in") == 2 }
        XCTAssertTrue(output.contains("changed: 01-first-article.md"), output)
        XCTAssertTrue(output.contains("articles (EPUB): 1 of 3 rendered, 2 reused"), output)
        XCTAssertTrue(output.contains("articles parsed: 1 of 3, 2 kept from the last build"), output)

        // A burst of saves: one rebuild, of the last.
        for word in ["One", "Two", "Three", "Four", "Five"] {
            try atomicSave(article, original.replacingOccurrences(of: "Opening paragraph", with: "\(word) paragraph"))
        }
        wait("the rebuild after a burst") { epubText().contains("Five paragraph") }
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(count("built in"), 3, "a burst of saves gave more than one rebuild:\n\(output)")

        // A file written in two halves, the break inside its front matter: never read half-written.
        let final = original.replacingOccurrences(of: "Opening paragraph", with: "Halved paragraph")
        let half = final.index(final.startIndex, offsetBy: 20)
        let handle = try FileHandle(forWritingTo: article)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(final[..<half].utf8))
        Thread.sleep(forTimeInterval: 0.2)
        try handle.write(contentsOf: Data(final[half...].utf8))
        try handle.close()
        wait("the rebuild after a slow write") { epubText().contains("Halved paragraph") }
        XCTAssertFalse(output.contains("error:"), "a half-written file was read:\n\(output)")

        // An error: reported, the watch goes on, the last good EPUB stays.
        let good = try Data(contentsOf: epub)
        try atomicSave(article, "---\ntitle: [unclosed\n---\n\nText.\n")
        wait("the failed build") { output.contains("the last good outputs stay in place") }
        XCTAssertTrue(output.contains("error:"), output)
        XCTAssertEqual(try Data(contentsOf: epub), good, "a failed build changed the EPUB")
        try atomicSave(article, original.replacingOccurrences(of: "Opening paragraph", with: "Mended paragraph"))
        wait("the rebuild after the fix") { epubText().contains("Mended paragraph") }

        stop(process, signal: SIGINT)
        XCTAssertEqual(litter(), [], "temporary files left behind")
    }

    /// A font that epub.css names, in a folder of the styles folder: saving it rebuilds the
    /// EPUB with the new bytes, reported as the stylesheet's file.
    func testASavedFontThatTheStylesheetNamesIsRebuiltIntoTheEPUB() throws {
        let styles = root.appendingPathComponent("styles")
        try FileManager.default.copyItem(at: TestSupport.styles, to: styles)
        let fonts = styles.appendingPathComponent("fonts")
        try FileManager.default.createDirectory(at: fonts, withIntermediateDirectories: true)
        let font = fonts.appendingPathComponent("face.woff2")
        var face = try Data(contentsOf: TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/style-files/face.woff2"))
        try face.write(to: font)
        let css = styles.appendingPathComponent("epub.css")
        try (try String(contentsOf: css, encoding: .utf8) + "\n@font-face { font-family: \"Face\"; src: url(fonts/face.woff2); }\n")
            .write(to: css, atomically: true, encoding: .utf8)
        func fontInEPUB() -> Data? { (try? EPUBReader(url: epub))?["EPUB/css/fonts/face.woff2"]?.data }

        let process = try start(styles: styles)
        wait("the first build") { output.contains("built in") }
        XCTAssertEqual(fontInEPUB(), face)
        face.append(0)
        let temporary = fonts.appendingPathComponent(".face.woff2.tmp")
        try face.write(to: temporary)
        XCTAssertEqual(rename(temporary.path, font.path), 0)
        wait("the rebuild after the font was saved") { fontInEPUB() == face && count("built in") == 2 }
        XCTAssertTrue(output.contains("changed: styles: fonts/face.woff2"), output)

        stop(process, signal: SIGINT)
        XCTAssertEqual(litter(), [], "temporary files left behind")
    }

    func testPollingFallbackAndSIGTERM() throws {
        let styles = root.appendingPathComponent("styles")
        try FileManager.default.copyItem(at: TestSupport.styles, to: styles)
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = ["watch", book.path, "--out", dist.path, "--styles", styles.path, "--epub-only", "--poll"]
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        addTeardownBlock { if process.isRunning { process.terminate(); process.waitUntilExit() } }

        wait("the first build") { output.contains("built in") }
        XCTAssertTrue(output.contains("(polling)"), output)
        let original = try String(contentsOf: article, encoding: .utf8)
        try atomicSave(article, original.replacingOccurrences(of: "Opening paragraph", with: "Polled paragraph"))
        wait("the rebuild after a save") { epubText().contains("Polled paragraph") && count("built in") == 2 }

        // The styles folder is watched: a changed stylesheet is rebuilt into the EPUB.
        let css = styles.appendingPathComponent("epub.css")
        try atomicSave(css, try String(contentsOf: css, encoding: .utf8) + "\n.watched-rule { color: black; }\n")
        // The EPUB is in place before the build's report is printed: wait for both.
        wait("the rebuild after a stylesheet change") { epubText().contains(".watched-rule") && count("built in") == 3 }
        XCTAssertTrue(output.contains("changed: styles: epub.css"), output)

        stop(process, signal: SIGTERM)
        XCTAssertEqual(litter(), [], "temporary files left behind")
    }
}
