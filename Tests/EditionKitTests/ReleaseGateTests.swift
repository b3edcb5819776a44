import EditionKit
import Foundation
import XCTest

/// The release gate through the built executable: `edition check --release book` passes,
/// and removing any one of book.yaml's acknowledgements makes it (and `build --release`) fail.
final class ReleaseGateTests: XCTestCase {
    /// The `edition` executable that `swift build --build-tests` put beside the test bundle.
    static var executable: String {
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }
        let folder = bundle?.bundleURL.deletingLastPathComponent() ?? TestSupport.repository.appendingPathComponent(".build/debug")
        return folder.appendingPathComponent("edition").path
    }

    /// A copy of book/ (without the sources in import/) whose book.yaml `change` rewrites.
    func copyOfBook(_ change: (String) -> String) throws -> URL {
        let folder = try TestSupport.temporaryFolder(self)
        let copy = folder.appendingPathComponent("book")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: BuiltEdition.bookFolder.path) where name != "import" {
            try FileManager.default.copyItem(at: BuiltEdition.bookFolder.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        let yaml = copy.appendingPathComponent("book.yaml")
        try change(try String(contentsOf: yaml, encoding: .utf8)).write(to: yaml, atomically: true, encoding: .utf8)
        return copy
    }

    /// book.yaml's acknowledgements, each as the lines that write it.
    static func acknowledgementEntries(_ yaml: String) -> [String] {
        guard let start = yaml.range(of: "\nacknowledgements:\n") else { return [] }
        var entries: [String] = []
        for line in yaml[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  - ") { entries.append(String(line) + "\n") }
            else if line.hasPrefix("    "), !entries.isEmpty { entries[entries.count - 1] += line + "\n" }
            else { break }
        }
        return entries
    }

    func testTheEditionPassesTheReleaseGate() throws {
        let result = try TestSupport.run(Self.executable, ["check", "--release", BuiltEdition.bookFolder.path])
        XCTAssertEqual(result.status, 0, result.output)
        // Without the gate its warnings are still there to read.
        let plain = try TestSupport.run(Self.executable, ["check", BuiltEdition.bookFolder.path])
        XCTAssertEqual(plain.status, 0, plain.output)
        XCTAssertTrue(plain.output.contains("warning:"), plain.output)
    }

    func testRemovingAnyAcknowledgementFailsTheGate() throws {
        let yaml = try String(contentsOf: BuiltEdition.bookFolder.appendingPathComponent("book.yaml"), encoding: .utf8)
        let entries = Self.acknowledgementEntries(yaml)
        XCTAssertGreaterThanOrEqual(entries.count, 8, "book.yaml's acknowledgements: \(entries)")
        for entry in entries {
            let code = try XCTUnwrap(entry.firstMatch(of: /code: (\S+)/)?.1)
            let copy = try copyOfBook { $0.replacingOccurrences(of: entry, with: "") }
            let result = try TestSupport.run(Self.executable, ["check", "--release", copy.path])
            XCTAssertEqual(result.status, 1, "without \(entry)")
            XCTAssertTrue(result.output.contains("error:") && result.output.contains("[\(code)]")
                          && result.output.contains("does not acknowledge"), result.output)
        }
    }

    func testAnAcknowledgementThatMatchesNothingFailsTheGate() throws {
        let copy = try copyOfBook {
            $0.replacingOccurrences(of: "\nacknowledgements:\n", with: """

                acknowledgements:
                  - code: image-alt-missing
                    where: 01-new-uprising-2026.md
                    why: there is no image here

                """)
        }
        let result = try TestSupport.run(Self.executable, ["check", "--release", copy.path])
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("error: no image-alt-missing warning at 01-new-uprising-2026.md to acknowledge")
                      && result.output.contains("[acknowledgement-unused]"), result.output)
    }

    func testBuildReleaseFailsOnAnUnacknowledgedWarningAndWritesNothing() throws {
        let yaml = try String(contentsOf: BuiltEdition.bookFolder.appendingPathComponent("book.yaml"), encoding: .utf8)
        let entry = try XCTUnwrap(Self.acknowledgementEntries(yaml).first)
        let copy = try copyOfBook { $0.replacingOccurrences(of: entry, with: "") }
        let out = copy.deletingLastPathComponent().appendingPathComponent("dist")
        let result = try TestSupport.run(Self.executable, ["build", "--release", "--epub-only", copy.path, "--out", out.path,
                                                          "--styles", TestSupport.styles.path])
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("post-international-29.epub").path))
        // The same build without the gate succeeds: only the gate stopped it.
        let plain = try TestSupport.run(Self.executable, ["build", "--epub-only", copy.path, "--out", out.path,
                                                         "--styles", TestSupport.styles.path])
        XCTAssertEqual(plain.status, 0, plain.output)
    }

    func testTheGateMatchesCodeFileAndLine() throws {
        var book = try TestSupport.load(BuiltEdition.bookFolder)
        book.metadata.editorial.acknowledgements = [
            Acknowledgement(code: "note-cited-again", place: "a.md:7", reason: "r"),
            Acknowledgement(code: "note-uncited", place: "b.md", reason: "r"),
        ]
        let gate = ReleaseGate(book: book, root: "book")
        let warnings: [Diagnostic] = [
            .warning(.noteCitedAgain, "x", at: SourceLocation(file: "book/a.md", line: 7)),
            .warning(.noteCitedAgain, "x", at: SourceLocation(file: "book/a.md", line: 8)),
            .warning(.noteUncited, "x", at: SourceLocation(file: "book/b.md", line: 99)),
            .warning(.noteUncited, "x", at: SourceLocation(file: "book/a.md", line: 7)),
        ]
        let result = gate.apply(warnings)
        XCTAssertEqual(result.map(\.location?.line), [8, 7])
        XCTAssertTrue(result.allSatisfy { $0.severity == .error })
        XCTAssertEqual(gate.unused(warnings), [])
        XCTAssertEqual(gate.unused(Array(warnings.dropFirst())).map(\.code), [.acknowledgementUnused])
    }
}
