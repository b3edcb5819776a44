import Foundation
import XCTest

/// The EPUB of book/ as Calibre, a library app, reads it (`ebook-meta`, Debian's calibre,
/// which scripts/lib/setup.sh installs): a real author, the series and its number, tags from
/// the subjects, and the cover.
final class CalibreTests: BuiltEditionTestCase {
    static var ebookMeta: String {
        get throws {
            for folder in ["/usr/bin", "/usr/local/bin"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) {
                let path = (folder as NSString).appendingPathComponent("ebook-meta")
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
            throw SetupError(message: "Calibre's ebook-meta is not installed: run scripts/test, which installs Debian's calibre")
        }
    }

    /// `ebook-meta`'s fields, by name ("Author(s)", "Series"…).
    func fields(_ arguments: [String] = []) throws -> (fields: [String: String], output: String) {
        let result = try TestSupport.run(try Self.ebookMeta, [try edition.epub.path] + arguments,
                                         environment: ProcessInfo.processInfo.environment.merging(["QT_QPA_PLATFORM": "offscreen"]) { $1 })
        XCTAssertEqual(result.status, 0, result.output)
        var fields: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].trimmingCharacters(in: .whitespaces)] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (fields, result.output)
    }

    func testCalibreShowsTheAuthorSeriesTagsAndCover() throws {
        let book = try edition.book
        let (fields, output) = try fields()
        // The creator book.yaml chooses (the periodical), with its sort name; not "Unknown".
        XCTAssertEqual(fields["Author(s)"], "Post International [Post International]", output)
        XCTAssertEqual(fields["Title"], book.metadata.title, output)
        XCTAssertEqual(fields["Series"], "Post International #29", output)
        let tags = (fields["Tags"] ?? "").components(separatedBy: ", ")
        XCTAssertEqual(tags, book.metadata.editorial.subjects, output)
        XCTAssertEqual(fields["Publisher"], book.metadata.publisher, output)

        let cover = try TestSupport.temporaryFolder(self).appendingPathComponent("cover")
        let saved = try self.fields(["--get-cover=\(cover.path)"]).output
        XCTAssertTrue(saved.contains("Cover saved to"), saved)
        let data = try Data(contentsOf: cover)
        XCTAssertGreaterThan(data.count, 10_000, "a cover image, not an empty file")
        let png = Data([0x89, 0x50, 0x4E, 0x47]), jpeg = Data([0xFF, 0xD8, 0xFF])
        XCTAssertTrue(data.starts(with: png) || data.starts(with: jpeg), "the cover Calibre shows is a PNG or JPEG")
    }
}
