import EditionKit
import Foundation
import XCTest

/// What `edition build` prints while it works, through the built executable: standard error a
/// pipe, and a pseudo-terminal (util-linux's `script`).
final class BuildProgressTests: XCTestCase {
    /// A book whose one article has a note nobody cites: one warning.
    private func bookWithAWarning() throws -> URL {
        try ScratchBook.write(self, [
            "article.md": ScratchBook.article("Text.\n\n[^1]: A note nobody cites.\n"),
        ])
    }

    private func build(_ extra: [String]) throws -> (status: Int32, output: String, out: URL) {
        let book = try bookWithAWarning()
        let out = try TestSupport.temporaryFolder(self)
        let result = try TestSupport.run(try TestSupport.editionExecutable().path,
                                         ["build", book.path, "--out", out.path, "--styles", TestSupport.styles.path] + extra)
        return (result.status, result.output, out)
    }

    func testWithoutATerminalEachStepIsOnePlainLine() throws {
        let (status, output, out) = try build(["--epub-only"])
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n").map(String.init)
        // One line per step, numbered 1…n of n, the pipeline's own steps among them in order
        // (other steps come and go: the list itself is Pipeline.steps(for:)'s).
        let steps = lines.filter { $0.hasPrefix("edition: [") }
        XCTAssertGreaterThanOrEqual(steps.count, 5, output)
        for (index, line) in steps.enumerated() {
            XCTAssertTrue(line.hasPrefix("edition: [\(index + 1)/\(steps.count)] "), line)
        }
        let names = steps.map { $0.split(separator: "] ", maxSplits: 1).last.map(String.init) ?? "" }
        let ours = ["load", "resolve", "check", "render the EPUB", "package the EPUB"]
        XCTAssertEqual(names.filter(ours.contains), ours, output)
        XCTAssertFalse(output.contains("\r") || output.contains("\u{1B}"), "no terminal control outside a terminal: \(output)")
        XCTAssertTrue(lines.contains { $0.hasSuffix("warning: note 1 is never cited; it is kept at the end of the article [note-uncited]") }, output)
        XCTAssertEqual(lines.last, "wrote \(out.path)/scratch.epub")
    }

    func testQuietPrintsOnlyTheDiagnostics() throws {
        let (status, output, out) = try build(["--quiet"])
        XCTAssertEqual(status, 0, output)
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, output)
        XCTAssertTrue(lines[0].hasSuffix("warning: note 1 is never cited; it is kept at the end of the article [note-uncited]"), output)
        XCTAssertEqual(lines[1], "0 errors, 1 warning")
        let written = try FileManager.default.contentsOfDirectory(atPath: out.path)
        XCTAssertTrue(written.contains { $0.hasSuffix(".epub") }, "the build still writes its outputs: \(written)")
    }

    /// On a terminal, one line updated in place: each step and the articles done overwrite it
    /// (carriage return, erase line), it is cleared before the diagnostics, and the plain
    /// per-step lines are not printed. EDITION_PROGRESS_DELAY=0 shows it at once (by default
    /// a build shows it after a second, which a build this small does not take).
    func testOnATerminalTheProgressIsOneLineUpdatedInPlace() throws {
        let book = try bookWithAWarning()
        let out = try TestSupport.temporaryFolder(self)
        let arguments = [try TestSupport.editionExecutable().path, "build", book.path, "--out", out.path,
                         "--styles", TestSupport.styles.path, "--epub-only"]
        let command = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        var environment = ProcessInfo.processInfo.environment
        environment["EDITION_PROGRESS_DELAY"] = "0"
        // -q: no "Script started" lines; -e: the command's exit status; -f: flush as it writes.
        let run = try TestSupport.run("script", ["-qefc", command, "/dev/null"], environment: environment)
        XCTAssertEqual(run.status, 0, run.output)
        let erase = "\r\u{1B}[K"
        // Everything before the first line break is the progress line, drawn again and again,
        // then erased, and the first diagnostic written over it.
        let firstBreak = try XCTUnwrap(run.output.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }), run.output)
        let line = String(run.output[..<firstBreak])
        XCTAssertTrue(line.hasPrefix(erase + "edition: [1/"), line.debugDescription)
        let parts = line.components(separatedBy: erase).dropFirst()
        let draws = parts.dropLast()
        XCTAssertTrue(draws.allSatisfy { $0.hasPrefix("edition: [") }, line.debugDescription)
        let steps = draws.compactMap { Int($0.dropFirst("edition: [".count).prefix { $0 != "/" }) }
        XCTAssertGreaterThanOrEqual(Set(steps).count, 5, line.debugDescription)
        XCTAssertEqual(steps, steps.sorted(), "the steps in order: \(line.debugDescription)")
        let count = try XCTUnwrap(draws.first.flatMap { $0.split(separator: "/").dropFirst().first }.map { $0.prefix { $0 != "]" } })
        XCTAssertEqual(steps.last.map(String.init), String(count), "the last step drawn is the last step: \(line.debugDescription)")
        XCTAssertTrue(draws.contains { $0.contains("render the EPUB · 1/1 articles") }, line.debugDescription)
        XCTAssertTrue(parts.last?.hasSuffix("warning: note 1 is never cited; it is kept at the end of the article [note-uncited]") == true,
                      "the line is erased, then the diagnostic written: \(line.debugDescription)")
        let rest = run.output[firstBreak...]
        XCTAssertFalse(rest.contains("edition: ["), "no plain step lines on a terminal: \(run.output.debugDescription)")
        XCTAssertTrue(rest.contains("wrote \(out.path)/scratch.epub"), run.output)
    }
}
