import Foundation
import XCTest

/// The hostile corpus: Fixtures/hostile/<case>/ holds a small book and `expected.txt`, written
/// by hand from the input:
///
///     check: 1                                   exit status of `edition check .`
///     build: 1                                   exit status of `edition build .`
///     error html-unsafe article.md:7:1           every error check reports (no more, no fewer)
///     warning html-raw article.md:7:1            warnings that must be among those reported
///     contains EPUB/text/article.xhtml <b>x</b>  text a successful build's EPUB file holds
///
/// A case may also have `generate.json`, files too large to commit made at run time, each the
/// concatenation of its parts, a part repeated `count` times with `{n}` replaced by 1, 2…:
/// `[{"file": "article.md", "parts": [{"text": "---\ntitle: A\n---\n\n"}, {"text": "> ", "count": 10000}]}]`.
/// Each case runs through the built executable in a copy of its folder, within a time limit
/// (a hang fails the test). A build that fails must write nothing; one that succeeds must have
/// no script, event attribute or javascript:/file: address in any output.
final class HostileCorpusTests: XCTestCase {
    static let root = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/hostile")
    static let timeLimit: TimeInterval = 60

    struct Expectation {
        var checkStatus: Int32 = -1
        var buildStatus: Int32 = -1
        var errors: [String] = []
        var warnings: [String] = []
        var contains: [(file: String, text: String)] = []
    }

    struct Generated: Decodable {
        struct Part: Decodable {
            var text: String
            var count: Int?
        }
        var file: String
        var parts: [Part]
    }

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func expectation(_ name: String) throws -> Expectation {
        let text = try String(contentsOf: root.appendingPathComponent(name).appendingPathComponent("expected.txt"), encoding: .utf8)
        var expected = Expectation()
        for line in text.split(separator: "\n").map(String.init) where !line.hasPrefix("#") && !line.isEmpty {
            let words = line.split(separator: " ", maxSplits: 2).map(String.init)
            switch words.first {
            case "check:": expected.checkStatus = Int32(words[1]) ?? -1
            case "build:": expected.buildStatus = Int32(words[1]) ?? -1
            case "error": expected.errors.append("\(words[1]) \(words[2])")
            case "warning": expected.warnings.append("\(words[1]) \(words[2])")
            case "contains": expected.contains.append((words[1], words[2]))
            default: throw SetupError(message: "\(name)/expected.txt: cannot read '\(line)'")
            }
        }
        return expected
    }

    /// Runs the executable in `folder`; nil when it did not end within the time limit.
    static func run(_ arguments: [String], in folder: URL) throws -> (status: Int32, stdout: String, stderr: String)? {
        let process = Process()
        process.executableURL = try TestSupport.editionExecutable()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = nil
        process.environment = environment
        let out = folder.deletingLastPathComponent().appendingPathComponent("\(folder.lastPathComponent).stdout")
        let err = folder.deletingLastPathComponent().appendingPathComponent("\(folder.lastPathComponent).stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return nil
        }
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    func testThereAreCases() {
        XCTAssertGreaterThanOrEqual(Self.cases.count, 40, "hostile cases under \(Self.root.path)")
    }

    func testEveryCase() throws {
        let work = try TestSupport.temporaryFolder(self)
        for name in Self.cases {
            try runCase(name, in: work)
        }
    }

    func runCase(_ name: String, in work: URL) throws {
        let expected = try Self.expectation(name)
        XCTAssertTrue(expected.checkStatus >= 0 && expected.buildStatus >= 0, "\(name): expected.txt needs check: and build:")
        let book = work.appendingPathComponent(name)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent(name), to: book)
        let spec = book.appendingPathComponent("generate.json")
        if let data = FileManager.default.contents(atPath: spec.path) {
            for item in try JSONDecoder().decode([Generated].self, from: data) {
                var bytes: [UInt8] = []
                for part in item.parts {
                    guard let count = part.count else { bytes += Array(part.text.utf8); continue }
                    let numbered = part.text.contains("{n}")
                    for index in 1...max(count, 1) {
                        bytes += Array((numbered ? part.text.replacingOccurrences(of: "{n}", with: String(index)) : part.text).utf8)
                    }
                }
                try Data(bytes).write(to: book.appendingPathComponent(item.file))
            }
        }

        // The styles the build below reads: check reports a missing styles folder as build does.
        guard let check = try Self.run(["check", ".", "--json", "--styles", TestSupport.styles.path], in: book) else {
            return XCTFail("\(name): check did not end within \(Self.timeLimit) s")
        }
        XCTAssertEqual(check.status, expected.checkStatus, "\(name): exit status of check\n\(check.stdout)\(check.stderr)")
        var errors: [String] = []
        var warnings: [String] = []
        for line in check.stdout.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let severity = object["severity"] as? String, let code = object["code"] as? String else {
                XCTFail("\(name): check printed a line that is not a diagnostic: \(line)")
                continue
            }
            let place = (object["file"] as? String).map { "\($0):\(object["line"] as? Int ?? 0):\(object["column"] as? Int ?? 0)" } ?? "-"
            if severity == "error" { errors.append("\(code) \(place)") } else { warnings.append("\(code) \(place)") }
        }
        XCTAssertEqual(errors.sorted(), expected.errors.sorted(), "\(name): errors\n\(check.stdout)")
        for warning in expected.warnings {
            XCTAssertTrue(warnings.contains(warning), "\(name): no warning \(warning) in\n\(check.stdout)")
        }

        let output = work.appendingPathComponent("\(name).out")
        guard let build = try Self.run(["build", ".", "--out", output.path, "--styles", TestSupport.styles.path, "--quiet"], in: book) else {
            return XCTFail("\(name): build did not end within \(Self.timeLimit) s")
        }
        XCTAssertEqual(build.status, expected.buildStatus, "\(name): exit status of build\n\(build.stderr)")
        XCTAssertFalse(build.stderr.contains("Fatal error") || build.stderr.contains("crashed"), "\(name): \(build.stderr)")
        let written = FileManager.default.subpaths(atPath: output.path) ?? []
        if build.status != 0 {
            XCTAssertEqual(written, [], "\(name): a failed build wrote \(written)")
            XCTAssertTrue(expected.contains.isEmpty, "\(name): 'contains' needs a build that succeeds")
            return
        }
        // Nothing that runs reaches any output.
        for path in written {
            let url = output.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            var texts = [String(decoding: try Data(contentsOf: url), as: UTF8.self)]
            if path.hasSuffix(".epub") { texts = try Self.entries(of: url).map(\.1) }
            for text in texts {
                let lower = text.lowercased()
                for marker in ["<script", "javascript:", "\"file:", "'file:", " onclick", " onload", " onerror", "<iframe", "<object", "<embed", "<form"] {
                    XCTAssertFalse(lower.contains(marker), "\(name): \(path) holds '\(marker)'")
                }
            }
        }
        if !expected.contains.isEmpty {
            let epub = output.appendingPathComponent(written.first { $0.hasSuffix(".epub") } ?? "missing.epub")
            let entries = Dictionary(try Self.entries(of: epub), uniquingKeysWith: { first, _ in first })
            for (file, text) in expected.contains {
                XCTAssertTrue(entries[file]?.contains(text) ?? false, "\(name): \(file) does not hold \(text)")
            }
        }
    }

    /// The entries of an EPUB as texts, read with unzip.
    static func entries(of epub: URL) throws -> [(String, String)] {
        let list = try TestSupport.run("unzip", ["-Z1", epub.path]).output.split(separator: "\n").map(String.init)
        return try list.map { entry in (entry, try TestSupport.run("unzip", ["-p", epub.path, entry]).output) }
    }
}
