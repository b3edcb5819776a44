import EditionKit
import Foundation
import XCTest

/// One small book per diagnostic code under Fixtures/diagnostics/<code>[-variant]/, each with
/// `expected.txt`: the exact diagnostics `edition check` prints for it, paths relative to the
/// fixture folder. The expectations were written from the inputs, not copied from the tool.
final class DiagnosticFixtureTests: XCTestCase {
    static let root = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/diagnostics")

    /// Codes that only the outputs can cause, never a book's text: no `check` fixture.
    /// (Raw HTML is parsed at load time: what used to be xhtml-malformed is html-malformed.)
    static let outputOnly: Set<String> = ["xhtml-malformed", "output-failed", "tool-missing", "pdf-warning",
                                          "page-list-mismatch", "build-interrupted", "serve-failed", "verify-words", "verify-note",
                                          "verify-page-list", "verify-pdf-text", "verify-contents"]

    static var fixtures: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// The code a fixture folder is named after: the longest code its name starts with.
    static func code(ofFixture name: String) -> DiagnosticCode? {
        DiagnosticCode.allCases
            .filter { name == $0.rawValue || name.hasPrefix($0.rawValue + "-") }
            .max { $0.rawValue.count < $1.rawValue.count }
    }

    static func expected(_ name: String) throws -> String {
        let text = try String(contentsOf: root.appendingPathComponent(name).appendingPathComponent("expected.txt"), encoding: .utf8)
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    /// Runs `body` with the fixture folder as the working directory, so that printed paths
    /// are relative to it.
    static func inFixture<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(root.appendingPathComponent(name).path) else {
            throw SetupError(message: "cannot enter fixture \(name)")
        }
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }

    func testThereAreFixtures() {
        XCTAssertGreaterThan(Self.fixtures.count, 30, "no fixtures found under \(Self.root.path)")
    }

    func testEachFixturePrintsExactlyItsExpectedDiagnostics() throws {
        for name in Self.fixtures {
            guard let code = Self.code(ofFixture: name), !Self.outputOnly.contains(code.rawValue) else { continue }
            // A fixture with library.yaml is a library: checked as `edition publish` checks it.
            // A fixture with a styles folder (or anything named styles): its stylesheets too, as
            // `edition check` reads them.
            let printed = try Self.inFixture(name) {
                if LibraryLoader.isLibrary(".") { return Publisher.check(library: ".").diagnostics }
                let styles = (try? FileManager.default.attributesOfItem(atPath: "styles")) == nil
                    ? [] : Stylesheets.diagnostics(book: ".", styles: nil)
                return Pipeline.check(book: ".").diagnostics + styles
            }
                .map(\.description).joined(separator: "\n")
            XCTAssertEqual(printed, try Self.expected(name), "fixture \(name)")
        }
    }

    func testEveryFixtureIsNamedAfterACodeItProduces() throws {
        for name in Self.fixtures {
            guard let code = Self.code(ofFixture: name) else {
                XCTFail("fixture folder '\(name)' is not named after a diagnostic code")
                continue
            }
            XCTAssertTrue(try Self.expected(name).contains("[\(code.rawValue)]"),
                          "fixture \(name) does not expect a [\(code.rawValue)] diagnostic")
        }
    }

    func testEveryCodeThatInputCanCauseHasAFixture() {
        let names = Set(Self.fixtures)
        for code in DiagnosticCode.allCases where !Self.outputOnly.contains(code.rawValue) {
            XCTAssertTrue(names.contains(code.rawValue), "no fixture Fixtures/diagnostics/\(code.rawValue)/")
        }
    }

    /// Raw HTML that is not XML (`<br>`) fails the check at its place in the Markdown; the
    /// build stops with the same diagnostics before rendering and writes nothing.
    func testMalformedRawHTMLFailsTheBuildAndLeavesNoFile() throws {
        let name = DiagnosticCode.htmlMalformed.rawValue
        let output = try TestSupport.temporaryFolder(self).appendingPathComponent("out")
        let failure: BuildFailure? = try Self.inFixture(name) {
            var options = BuildOptions(book: ".", output: output.path)
            options.styles = TestSupport.styles.path
            options.print = false
            options.environment = [:]
            do {
                _ = try Pipeline.build(options)
                return nil
            } catch let failure as BuildFailure {
                return failure
            }
        }
        let diagnostics = try XCTUnwrap(failure, "the build must fail").diagnostics
        let printed = diagnostics.map(\.description).joined(separator: "\n")
            .replacingOccurrences(of: output.path, with: "$OUT")
        XCTAssertEqual(printed, try Self.expected(name))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        XCTAssertEqual(left, [], "a failed build must leave no file in the output folder")
    }
}
