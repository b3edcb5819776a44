import EditionKit
import Foundation
import XCTest

/// The `minimal` fixture built into an EPUB, every text entry compared with a reviewed copy
/// under Fixtures/golden/minimal/<entry path>. After an intended change, rewrite the copies
/// with `EDITION_UPDATE_GOLDEN=1 swift test --filter GoldenTests`, then read the diff: a
/// golden file is only worth something if a person checked it.
final class GoldenTests: XCTestCase {
    static let golden = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/golden/minimal")

    /// Entries that are text, by their name.
    static func isText(_ name: String) -> Bool {
        name == "mimetype" || ["xhtml", "xml", "opf", "ncx", "css", "svg"].contains((name as NSString).pathExtension)
    }

    func testTheMinimalFixtureBuildsToItsGoldenFiles() throws {
        let output = try TestSupport.temporaryFolder(self)
        let report = try TestSupport.build(book: TestSupport.fixtureBook("minimal"), into: output, epubOnly: true)
        let epub = try XCTUnwrap(report.outputs.first { $0.pathExtension == "epub" })
        let entries = try EPUBReader(url: epub).entries.filter { Self.isText($0.name) }
        XCTAssertGreaterThan(entries.count, 10)

        if ProcessInfo.processInfo.environment["EDITION_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: Self.golden)
            for entry in entries where !entry.name.hasSuffix(".css") {
                let url = Self.golden.appendingPathComponent(entry.name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try entry.data.write(to: url)
            }
            XCTFail("EDITION_UPDATE_GOLDEN=1: rewrote \(entries.count) golden files under \(Self.golden.path); review the diff, then run the tests without the variable")
            return
        }

        for entry in entries {
            // The stylesheet is copied as it is: it must equal the one in styles/, which editors
            // change without touching the tests.
            if entry.name.hasSuffix(".css") {
                XCTAssertEqual(entry.data, FileManager.default.contents(atPath: TestSupport.styles.appendingPathComponent("epub.css").path))
                continue
            }
            let url = Self.golden.appendingPathComponent(entry.name)
            guard let expected = FileManager.default.contents(atPath: url.path) else {
                XCTFail("no golden file for \(entry.name) (EDITION_UPDATE_GOLDEN=1 writes it)")
                continue
            }
            if entry.data != expected {
                XCTFail("\(entry.name) differs from its golden file:\n\(Self.firstDifference(String(decoding: expected, as: UTF8.self), entry.text))")
            }
        }
        let goldenFiles = (FileManager.default.enumerator(atPath: Self.golden.path)?.compactMap { $0 as? String } ?? [])
            .filter { !$0.hasPrefix(".") && !isFolder(Self.golden.appendingPathComponent($0)) }
        XCTAssertEqual(Set(goldenFiles).subtracting(entries.map(\.name)), [], "golden files for entries the EPUB no longer has")
        XCTAssertFalse(goldenFiles.contains { $0.hasSuffix(".css") }, "the stylesheet is compared with styles/epub.css, not a copy")
    }

    private func isFolder(_ url: URL) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) && folder.boolValue
    }

    /// The first line that differs, with its number, as `- expected` / `+ actual`.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        for index in 0..<max(old.count, new.count) {
            let a = index < old.count ? old[index] : "<end of file>"
            let b = index < new.count ? new[index] : "<end of file>"
            if a != b { return "line \(index + 1):\n- \(a)\n+ \(b)" }
        }
        return "(same lines; bytes differ)"
    }
}
