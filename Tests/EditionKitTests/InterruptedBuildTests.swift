import Foundation
import XCTest

/// Builds interrupted while they write (issue 10, "interrupted builds"; issue 13), through the
/// built executable: SIGINT and SIGTERM end the build non-zero with its temporary files
/// removed and the earlier outputs untouched; what a SIGKILL leaves, the next build removes;
/// two builds into one folder at once end with one complete EPUB.
final class InterruptedBuildTests: XCTestCase {
    /// A fake WeasyPrint that writes half a PDF, records its process id, then waits: the
    /// build is caught in the middle of writing its outputs.
    private func slowWeasyPrint(_ scene: OutputSafetyTests.Scene, seconds: Int = 60) throws -> (program: URL, pidFile: URL) {
        let pidFile = scene.folder.appendingPathComponent("weasyprint.pid")
        let program = scene.folder.appendingPathComponent("weasyprint-slow")
        try OutputSafetyTests.writeProgram(program, """
            #!/bin/sh
            printf '%%PDF-1.7 half' > "$4"
            echo $$ > "\(pidFile.path)"
            sleep \(seconds)
            printf ' and the rest' >> "$4"
            printf '{"weasyprint": "fake", "columnFix": "present", "pages": []}' > "$5"
            """)
        return (program, pidFile)
    }

    /// Starts a --pdf build with the slow WeasyPrint and returns once it is writing the PDF.
    private func startCaughtMidway(_ scene: OutputSafetyTests.Scene) throws -> (EditionProcess.Running, pid_t) {
        let (program, pidFile) = try slowWeasyPrint(scene)
        let running = try EditionProcess.start(["build", "book", "--out", "out", "--styles", scene.styles, "--pdf"],
                                               in: scene.folder,
                                               environment: [EditionProcess.PDFWriterVariable: program.path])
        let deadline = Date().addingTimeInterval(60)
        while true {
            if let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return (running, pid)
            }
            guard Date() < deadline, running.process.isRunning else {
                let run = try running.wait()
                throw SetupError(message: "the build never reached WeasyPrint (status \(run.status)):\n\(run.errors)")
            }
            usleep(20_000)
        }
    }

    private func goodOutput(_ scene: OutputSafetyTests.Scene) throws -> FolderSnapshot {
        let run = try scene.build(["--pdf"])
        XCTAssertEqual(run.status, 0, run.errors)
        return FolderSnapshot(scene.out)
    }

    private func assertStopped(by signal: Int32, status: Int32) throws {
        let scene = try OutputSafetyTests.makeScene(self)
        let before = try goodOutput(scene)
        try scene.retitle()
        let (running, weasyPrint) = try startCaughtMidway(scene)
        let staged = FolderSnapshot(scene.out).paths.filter { $0.hasPrefix(".edition-staging-") }
        XCTAssertFalse(staged.isEmpty, "the build was caught while it had staged files")
        kill(running.pid, signal)
        let run = try running.wait(timeout: 30)
        XCTAssertEqual(run.status, status, run.errors)
        XCTAssertTrue(run.diagnostics.contains { $0.code == "build-interrupted" && $0.severity == "error" }, run.errors)
        let after = FolderSnapshot(scene.out)
        XCTAssertEqual(after, before, after.differences(from: before))
        XCTAssertFalse(Self.isRunning(weasyPrint), "WeasyPrint must not outlive the build (it would go on writing)")
    }

    /// Whether `pid` runs (a zombie, which its new parent has not reaped yet, does not).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z") && !stat[stat.index(after: close)...].hasPrefix(" X")
    }

    func testSIGTERMRemovesTheTemporaryFilesAndReplacesNothing() throws {
        try assertStopped(by: SIGTERM, status: 128 + SIGTERM)
    }

    func testSIGINTRemovesTheTemporaryFilesAndReplacesNothing() throws {
        try assertStopped(by: SIGINT, status: 128 + SIGINT)
    }

    func testWhatASIGKILLLeavesTheNextBuildRemoves() throws {
        let scene = try OutputSafetyTests.makeScene(self)
        let before = try goodOutput(scene)
        // Litter of earlier versions too: `.NAME.tmp-PID` beside the outputs.
        let old = [".minimal-edition.epub.tmp-4242", "print/.minimal-edition.html.tmp-4242", "print/.print.css.tmp-4242"]
        for path in old { FileManager.default.createFile(atPath: scene.out.appendingPathComponent(path).path, contents: Data("x".utf8)) }
        let (running, weasyPrint) = try startCaughtMidway(scene)
        kill(running.pid, SIGKILL)
        _ = try running.wait(timeout: 30)
        kill(weasyPrint, SIGKILL)
        let killed = FolderSnapshot(scene.out)
        XCTAssertTrue(killed.paths.contains { $0.hasPrefix(".edition-staging-") }, "a SIGKILL leaves its staging folder: \(killed.paths)")
        for name in before.files.keys { XCTAssertEqual(killed.files[name], before.files[name], "\(name) survives a SIGKILL") }

        let run = try scene.build(["--pdf"])
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertEqual(FolderSnapshot(scene.out).outputPaths, before.outputPaths, "the next build removed the litter")
    }

    /// A build killed while it saved the cache or a page map leaves `.NAME.tmp-PID` files in
    /// DIR/.edition-cache/ and DIR/.edition-page-maps/: the next build removes those of a
    /// process that no longer runs, and leaves a running process's alone.
    func testTheCachesTemporaryFilesOfAKilledBuildAreRemovedByTheNextBuild() throws {
        let scene = try OutputSafetyTests.makeScene(self)
        XCTAssertEqual(try scene.build([]).status, 0)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let living = Process()
        living.executableURL = URL(fileURLWithPath: "/bin/sleep")
        living.arguments = ["120"]
        try living.run()
        defer { living.terminate(); living.waitUntilExit() }
        let stale = [".edition-cache/.manifest.tmp-\(dead)", ".edition-cache/objects/.0a1b.tmp-\(dead)",
                     ".edition-page-maps/.0a1b.json.tmp-\(dead)", ".edition-cache/staging-\(dead)-1/0a1b"]
        let kept = ".edition-cache/.manifest.tmp-\(living.processIdentifier)"
        let keptStaging = ".edition-cache/staging-\(living.processIdentifier)-1/0a1b"
        for path in stale + [kept, keptStaging] {
            let url = scene.out.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data("{\"half".utf8)))
        }
        XCTAssertFalse(Self.isRunning(dead))
        let run = try scene.build([])
        XCTAssertEqual(run.status, 0, run.errors)
        for path in stale {
            XCTAssertFalse(FileManager.default.fileExists(atPath: scene.out.appendingPathComponent(path).path), "\(path) is left")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: scene.out.appendingPathComponent(".edition-cache/staging-\(dead)-1").path),
                       "a killed build's staging folder is left")
        for path in [kept, keptStaging] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: scene.out.appendingPathComponent(path).path),
                          "a running process's \(path) is removed")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: scene.out.appendingPathComponent(".edition-cache/manifest").path))
    }

    /// Two builds of two versions into one folder at once: both end well, the folder holds one
    /// complete EPUB (byte for byte one of the two versions) and no temporary file.
    func testTwoBuildsIntoOneFolderAtOnceLeaveOneCompleteEPUB() throws {
        let scene = try OutputSafetyTests.makeScene(self)
        let second = scene.folder.appendingPathComponent("book-2")
        try FileManager.default.copyItem(at: scene.book, to: second)
        let yaml = second.appendingPathComponent("book.yaml")
        try (try String(contentsOf: yaml, encoding: .utf8)).replacingOccurrences(of: "title: A Small Edition", with: "title: The Other Version")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let (slow, _) = try slowWeasyPrint(scene, seconds: 1)
        // Each version alone, for the bytes to expect.
        var expected: [Data] = []
        for (index, book) in ["book", "book-2"].enumerated() {
            let run = try EditionProcess.run(["build", book, "--out", "alone-\(index)", "--styles", scene.styles, "--epub-only"],
                                             in: scene.folder)
            XCTAssertEqual(run.status, 0, run.errors)
            expected.append(try Data(contentsOf: scene.folder.appendingPathComponent("alone-\(index)/minimal-edition.epub")))
        }
        XCTAssertNotEqual(expected[0], expected[1])

        let builds = try ["book", "book-2"].map { book in
            try EditionProcess.start(["build", book, "--out", "out", "--styles", scene.styles, "--pdf"], in: scene.folder,
                                     environment: [EditionProcess.PDFWriterVariable: slow.path])
        }
        for build in builds {
            let run = try build.wait(timeout: 120)
            XCTAssertEqual(run.status, 0, run.errors)
        }
        let after = FolderSnapshot(scene.out)
        XCTAssertEqual(after.outputPaths, [".", "minimal-edition.epub", "minimal-edition.pdf", "print/", "print/images/",
                                     "print/images/dot.png", "print/minimal-edition.html", "print/print.css"]
                        .filter { $0 != "." }.sorted())
        let epub = try XCTUnwrap(after.files["minimal-edition.epub"])
        XCTAssertTrue(expected.contains(epub), "the EPUB is one complete version, not a mix")
        let html = String(decoding: after.files["print/minimal-edition.html"] ?? Data(), as: UTF8.self)
        let epubIsSecond = epub == expected[1]
        XCTAssertTrue(html.contains(epubIsSecond ? "The Other Version" : "A Small Edition"),
                      "the print edition is of the same version as the EPUB")
    }
}
