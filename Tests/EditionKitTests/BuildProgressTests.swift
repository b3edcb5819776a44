import EditionKit
import Foundation
import XCTest

/// What `edition build` prints while it works, through the built executable (standard error
/// is a pipe here, not a terminal).
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
}
