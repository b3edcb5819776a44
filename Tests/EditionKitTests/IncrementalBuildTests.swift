@testable import EditionKit
import Foundation
import XCTest

/// Incremental builds: over a sequence of edits, every output of a build that uses the cache
/// has the bytes of a clean build's, while the cache really is used; a damaged or stale
/// cache is detected and not trusted.
final class IncrementalBuildTests: XCTestCase {
    private var root: URL!
    private var book: URL!
    private var styles: URL!
    private var dist: URL!
    /// Set to build as `edition watch` does, with parsed articles and fragments kept in memory.
    private var memory: BuildMemory?

    override func setUpWithError() throws {
        root = try TestSupport.temporaryFolder(self)
        book = root.appendingPathComponent("book")
        styles = root.appendingPathComponent("styles")
        dist = root.appendingPathComponent("dist")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        try FileManager.default.copyItem(at: TestSupport.styles, to: styles)
    }

    private func options(into output: URL, cache: Bool, pdf: Bool = false, environment: [String: String] = [:]) -> BuildOptions {
        var options = BuildOptions(book: book.path, output: output.path)
        options.styles = styles.path
        options.cache = cache
        options.pdf = pdf
        options.environment = ProcessInfo.processInfo.environment.filter { $0.key != "SOURCE_DATE_EPOCH" }
            .merging(environment) { $1 }
        return options
    }

    /// Builds with the cache into `dist` and from scratch into a new folder; fails unless
    /// every output has the same bytes. Returns the incremental build's report.
    @discardableResult
    private func buildBoth(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws -> BuildReport {
        var incremental = options(into: dist, cache: true)
        incremental.memory = memory
        memory?.beginBuild()
        let report = try Pipeline.build(incremental)
        memory?.endBuild()
        let clean = root.appendingPathComponent("clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: clean) }
        let cleanReport = try Pipeline.build(options(into: clean, cache: false))
        XCTAssertEqual(report.diagnostics, cleanReport.diagnostics, "\(step): diagnostics", file: file, line: line)
        for output in cleanReport.outputs {
            let relative = String(output.path.dropFirst(clean.path.count))
            let incremental = dist.appendingPathComponent(relative)
            let expected = try Data(contentsOf: output)
            let actual = try Data(contentsOf: incremental)
            XCTAssertFalse(expected.isEmpty, "\(step): \(relative) is empty", file: file, line: line)
            XCTAssertTrue(actual == expected, "\(step): \(relative) differs from a clean build's", file: file, line: line)
        }
        XCTAssertEqual(report.outputs.map(\.lastPathComponent), cleanReport.outputs.map(\.lastPathComponent),
                       "\(step): outputs", file: file, line: line)
        return report
    }

    private func edit(_ name: String, _ change: (String) -> String) throws {
        let url = book.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = change(text)
        XCTAssertNotEqual(changed, text, "the edit of \(name) changes nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }

    private func line(_ report: BuildReport, _ prefix: String) -> String? {
        report.incremental.first { $0.hasPrefix(prefix) }
    }

    func testOutputsAreByteIdenticalToCleanBuildsOverASequenceOfEdits() throws {
        memory = BuildMemory()
        let first = try buildBoth("first build")
        XCTAssertEqual(line(first, "articles (EPUB)"), "articles (EPUB): 3 of 3 rendered, 0 reused")

        let again = try buildBoth("nothing changed")
        XCTAssertEqual(line(again, "no source"), "no source changed")
        XCTAssertEqual(line(again, "EPUB unchanged").map { _ in true }, true, again.incremental.joined(separator: "\n"))
        XCTAssertEqual(line(again, "articles (EPUB)"), "articles (EPUB): 0 of 3 rendered, 3 reused")
        XCTAssertEqual(line(again, "print HTML unchanged"), "print HTML unchanged: \(dist.relativePath)/print/minimal-edition.html left as it was")
        // A print HTML someone else changed is written again.
        let printHTML = dist.appendingPathComponent("print/minimal-edition.html")
        try Data("not ours".utf8).write(to: printHTML)
        let rewritten = try buildBoth("print HTML changed by hand")
        XCTAssertNil(line(rewritten, "print HTML unchanged"), rewritten.incremental.joined(separator: "\n"))

        try edit("01-first-article.md") { $0.replacingOccurrences(of: "Opening paragraph", with: "First paragraph") }
        let word = try buildBoth("change a word")
        XCTAssertEqual(line(word, "changed:"), "changed: 01-first-article.md")
        XCTAssertEqual(memory?.parsed, 1, "only the changed article is parsed again")
        XCTAssertEqual(memory?.reused, 2)
        XCTAssertEqual(line(word, "articles (EPUB)"), "articles (EPUB): 1 of 3 rendered, 2 reused")
        XCTAssertEqual(line(word, "articles (print)"), "articles (print): 1 of 3 rendered, 2 reused")
        XCTAssertNil(line(word, "print HTML unchanged"))
        // Written anew: the changed article's document and the stored mimetype.
        let entries = try EPUBReader(url: dist.appendingPathComponent("minimal-edition.epub")).entries.count
        XCTAssertEqual(line(word, "EPUB entries"),
                       "EPUB entries: 2 of \(entries) written anew, \(entries - 2) copied compressed from the last EPUB")

        try edit("02-second-article.md") {
            $0.replacingOccurrences(of: "The end.", with: "The end, with a new note.[^4]")
                + "\n[^4]: A note added by the test.\n"
        }
        let note = try buildBoth("add a note")
        XCTAssertEqual(line(note, "articles (EPUB)"), "articles (EPUB): 1 of 3 rendered, 2 reused")

        try edit("02-second-article.md") { $0.replacingOccurrences(of: "## Closing", with: "## Conclusions") }
        try buildBoth("rename a heading")

        try edit("book.yaml") {
            $0.replacingOccurrences(of: "      - 01-first-article.md\n      - 02-second-article.md",
                                    with: "      - 02-second-article.md\n      - 01-first-article.md")
        }
        try buildBoth("reorder articles")

        try edit("book.yaml") { $0.replacingOccurrences(of: "      - 02-second-article.md\n", with: "") }
        try FileManager.default.removeItem(at: book.appendingPathComponent("02-second-article.md"))
        let deleted = try buildBoth("delete an article")
        XCTAssertTrue(deleted.incremental.contains { $0.contains("02-second-article.md (gone)") }, deleted.incremental.joined(separator: "\n"))

        try edit("book.yaml") { $0.replacingOccurrences(of: "title: A Small Edition", with: "title: A Smaller Edition") }
        let manifest = try buildBoth("change book.yaml")
        XCTAssertEqual(line(manifest, "changed:"), "changed: book.yaml")

        let css = styles.appendingPathComponent("epub.css")
        try (String(contentsOf: css, encoding: .utf8) + "\nh2 { letter-spacing: 0.01em; }\n").write(to: css, atomically: true, encoding: .utf8)
        let style = try buildBoth("change a stylesheet")
        XCTAssertEqual(line(style, "changed:"), "changed: styles: epub.css")

        let cover = book.appendingPathComponent("images/cover.svg")
        try FileManager.default.createDirectory(at: cover.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.cover("#802020").write(to: cover, atomically: true, encoding: .utf8)
        try edit("book.yaml") { $0.replacingOccurrences(of: "notes: article", with: "notes: article\ncover: images/cover.svg") }
        try buildBoth("add a cover")
        try Self.cover("#208020").write(to: cover, atomically: true, encoding: .utf8)
        let recolored = try buildBoth("change the cover")
        XCTAssertEqual(line(recolored, "changed:"), "changed: images/cover.svg")
        XCTAssertEqual(line(recolored, "articles (EPUB)"), "articles (EPUB): 0 of 2 rendered, 2 reused")

        // Each build adds a pack of what it rendered; the cache keeps a few, not one per build.
        let packs = try FileManager.default.contentsOfDirectory(
            atPath: dist.appendingPathComponent(BuildCache.folderName).appendingPathComponent("packs").path)
        XCTAssertLessThanOrEqual(packs.count, BuildCache.maximumPacks + 1, "\(packs)")
    }

    /// Builds with the cache and from scratch, expecting both to fail with the same diagnostics.
    private func failBoth(_ step: String, file: StaticString = #filePath, line: UInt = #line) throws {
        func failure(_ options: BuildOptions) -> [Diagnostic]? {
            do { _ = try Pipeline.build(options); return nil } catch let failure as BuildFailure { return failure.diagnostics } catch { return nil }
        }
        let clean = root.appendingPathComponent("clean-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: clean) }
        let incremental = try XCTUnwrap(failure(options(into: dist, cache: true)), "\(step): the cached build did not fail", file: file, line: line)
        let expected = try XCTUnwrap(failure(options(into: clean, cache: false)), "\(step): the clean build did not fail", file: file, line: line)
        XCTAssertEqual(incremental, expected, "\(step): diagnostics", file: file, line: line)
    }

    /// Without `edition watch`'s memory, a warm build reads each unchanged article's model and
    /// check findings from the cache on disk, parsing and checking only the edited one, and
    /// reports every warning a clean build reports, those of the unchanged articles included.
    func testAWarmBuildParsesAndChecksOnlyWhatChanged() throws {
        let first = try buildBoth("first build")
        XCTAssertEqual(line(first, "articles (model)"), "articles (model): 3 of 3 parsed, 0 reused")
        XCTAssertEqual(line(first, "articles (checks)"), "articles (checks): 3 of 3 checked, 0 reused")

        try edit("01-first-article.md") { $0.replacingOccurrences(of: "Opening paragraph", with: "First paragraph") }
        let word = try buildBoth("change a word")
        XCTAssertEqual(line(word, "articles (model)"), "articles (model): 1 of 3 parsed, 2 reused")
        XCTAssertEqual(line(word, "articles (checks)"), "articles (checks): 1 of 3 checked, 2 reused")
        // The unchanged articles' warnings, from the cache, as a clean build finds them.
        let codes = Set(word.diagnostics.map { "\(($0.location?.file as NSString?)?.lastPathComponent ?? "-") \($0.code.rawValue)" })
        XCTAssertTrue(codes.isSuperset(of: ["02-second-article.md byline-placeholder", "02-second-article.md note-number-gap",
                                            "03-old-document.md note-uncited"]), "\(codes.sorted())")

        // A link from article 1 to a heading of article 2; renaming the heading breaks it: an
        // error in the article that did not change.
        try edit("01-first-article.md") { $0.replacingOccurrences(of: "A second paragraph", with: "A [second](02-second-article.md#second-article--closing) paragraph") }
        let linked = try buildBoth("link to another article's heading")
        XCTAssertEqual(line(linked, "articles (checks)"), "articles (checks): 1 of 3 checked, 2 reused")
        try edit("02-second-article.md") { $0.replacingOccurrences(of: "## Closing", with: "## Conclusions") }
        try failBoth("rename the heading a link goes to")
        try edit("02-second-article.md") { $0.replacingOccurrences(of: "## Conclusions", with: "## Closing") }
        try buildBoth("rename it back")

        // An acknowledgement in book.yaml that matches a warning, then one that matches none.
        try edit("book.yaml") {
            $0 + "acknowledgements:\n  - code: byline-placeholder\n    where: 02-second-article.md\n    why: the source names no author\n"
        }
        let acknowledged = try buildBoth("acknowledge a warning")
        XCTAssertFalse(acknowledged.diagnostics.contains { $0.code == .acknowledgementUnused })
        try edit("book.yaml") { $0.replacingOccurrences(of: "where: 02-second-article.md", with: "where: 01-first-article.md") }
        let unused = try buildBoth("an acknowledgement that matches nothing")
        XCTAssertTrue(unused.diagnostics.contains { $0.code == .acknowledgementUnused }, "\(unused.diagnostics)")

        // An image file the checks read: an article that shows it is checked again when it changes.
        let image = book.appendingPathComponent("figure.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 32)).write(to: image)
        try edit("02-second-article.md") { $0.replacingOccurrences(of: "The end.", with: "The end.\n\n![A figure](figure.png)") }
        try buildBoth("show an image")
        try Data("not a picture".utf8).write(to: image)
        try failBoth("the image file is no longer a PNG")
    }

    /// A warm build reads each unchanged article's front matter and outline from the cache, and
    /// decodes its body and notes only when something renders or checks it again: after a
    /// one-word edit, only the edited article's content; after a change to the links' targets,
    /// every article's, which all render again. Both builds write what a clean build writes.
    func testAWarmBuildDecodesOnlyTheContentItRendersAgain() throws {
        try buildBoth("first build")
        func warmBuild() throws -> [String] {
            let options = options(into: dist, cache: true)
            var state = BuildState(options: options)
            state[IncrementalBuild.product] = IncrementalBuild(options: options)
            try Pipeline.run(Pipeline.steps(for: options), on: &state)
            _ = state[IncrementalBuild.product]?.finish()
            let articles = try XCTUnwrap(state.book).articles
            XCTAssertEqual(articles.count, 3)
            return articles.filter(\.contentIsDecoded).map(\.file)
        }
        try edit("01-first-article.md") { $0.replacingOccurrences(of: "Opening paragraph", with: "First paragraph") }
        XCTAssertEqual(try warmBuild(), ["01-first-article.md"])
        try buildBoth("after a one-word edit")
        try edit("02-second-article.md") { $0.replacingOccurrences(of: "## Closing", with: "## Conclusions") }
        XCTAssertEqual(try warmBuild(), ["01-first-article.md", "02-second-article.md", "03-old-document.md"])
        try buildBoth("after renaming a heading")
        XCTAssertEqual(try warmBuild(), [], "nothing changed, nothing decoded")
    }

    /// A source edited while a build reads it (after the build hashed it, before it parsed it):
    /// that build saves no cache, and `edition watch`'s memory keeps none of the articles it
    /// used, so that the text the build hashed, saved again, is not shown as the other.
    func testASourceEditedDuringABuildIsNotRemembered() throws {
        try buildBoth("first build")
        memory = BuildMemory()
        let file = book.appendingPathComponent("01-first-article.md")
        let original = try String(contentsOf: file, encoding: .utf8)
        // The text the build hashes (new to the cache), and the one it then reads.
        let hashed = original.replacingOccurrences(of: "Opening paragraph", with: "First paragraph")
        let read = original.replacingOccurrences(of: "Opening paragraph", with: "Last paragraph")
        XCTAssertNotEqual(hashed, original)
        XCTAssertNotEqual(read, original)
        try hashed.write(to: file, atomically: true, encoding: .utf8)
        var during = options(into: dist, cache: true)
        during.memory = memory
        memory?.beginBuild()
        let report = try Pipeline.build(during) { progress in
            if case .step(_, _, "load") = progress { try? read.write(to: file, atomically: true, encoding: .utf8) }
        }
        memory?.endBuild()
        XCTAssertTrue(report.incremental.contains("a source changed during the build: the cache is not updated"),
                      "\(report.incremental)")
        try hashed.write(to: file, atomically: true, encoding: .utf8)
        try buildBoth("the text the build hashed, saved again")
        try read.write(to: file, atomically: true, encoding: .utf8)
        try buildBoth("the text it read, saved again")
    }

    /// Through the executable, one process per build (a key that depended on a process's hash
    /// seed would miss every time): the second build parses and checks only the edited article,
    /// prints the same diagnostics as a build without the cache, and writes the same bytes.
    func testTheCommandReusesArticlesAcrossProcesses() throws {
        let edition = try TestSupport.editionExecutable().path
        func build(_ output: URL, _ extra: [String] = []) throws -> String {
            let result = try TestSupport.run(edition, ["build", book.path, "--out", output.path, "--styles", styles.path] + extra)
            XCTAssertEqual(result.status, 0, result.output)
            return result.output
        }
        _ = try build(dist)
        try edit("02-second-article.md") { $0.replacingOccurrences(of: "The end.", with: "The very end.") }
        let warm = try build(dist)
        XCTAssertTrue(warm.contains("articles (model): 1 of 3 parsed, 2 reused"), warm)
        XCTAssertTrue(warm.contains("articles (checks): 1 of 3 checked, 2 reused"), warm)
        let clean = root.appendingPathComponent("clean")
        let cold = try build(clean, ["--no-cache"])
        func diagnostics(_ output: String) -> [Substring] {
            output.split(separator: "\n").filter { $0.contains(": warning: ") || $0.contains(": error: ") || $0.hasPrefix("    hint: ") }
        }
        XCTAssertFalse(diagnostics(cold).isEmpty)
        XCTAssertEqual(diagnostics(warm), diagnostics(cold))
        for name in ["minimal-edition.epub", "print/minimal-edition.html"] {
            XCTAssertTrue(try Data(contentsOf: dist.appendingPathComponent(name)) == Data(contentsOf: clean.appendingPathComponent(name)),
                          "\(name) differs from a clean build's")
        }
    }

    /// The fragments a build rendered and reused, over the report's "articles (KIND): R of N
    /// rendered, K reused" lines (the verb differs by kind).
    static func counts(_ report: BuildReport) -> (rendered: Int, reused: Int) {
        var rendered = 0, reused = 0
        for line in report.incremental where line.hasPrefix("articles (") {
            let words = line.split(separator: " ")
            guard words.count >= 8, let done = Int(words[2]), let kept = Int(words[6]) else { continue }
            rendered += done
            reused += kept
        }
        return (rendered, reused)
    }

    static func cover(_ color: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" width="600" height="900">
          <rect width="600" height="900" fill="\(color)"/>
        </svg>

        """
    }

    func testADamagedCacheIsDetectedAndRebuilt() throws {
        try buildBoth("first build")
        let cache = dist.appendingPathComponent(BuildCache.folderName)
        let manifest = cache.appendingPathComponent("manifest")

        // A truncated manifest.
        let data = try Data(contentsOf: manifest)
        try data.prefix(data.count / 2).write(to: manifest)
        let truncated = try buildBoth("truncated manifest")
        XCTAssertTrue(truncated.incremental.first?.hasPrefix("cache damaged") == true, truncated.incremental.joined(separator: "\n"))
        XCTAssertEqual(line(truncated, "articles (EPUB)"), "articles (EPUB): 3 of 3 rendered, 0 reused")

        // One edited byte in the manifest.
        var bytes = [UInt8](try Data(contentsOf: manifest))
        let index = bytes.count / 3
        bytes[index] ^= 0x01
        try Data(bytes).write(to: manifest)
        let edited = try buildBoth("edited manifest")
        XCTAssertEqual(edited.incremental.first, "cache damaged (checksum mismatch): building everything")

        // Damaged objects are rendered again, the intact ones reused: one byte changed in the
        // pack (a file the last build did not write: every object read from it is checked
        // against its SHA-256) spoils the one object it is in. The smallest object is an
        // article's (the cover's drawing is larger), so the reports count it.
        let packs = cache.appendingPathComponent("packs")
        func packFiles() throws -> [URL] {
            try FileManager.default.contentsOfDirectory(at: packs, includingPropertiesForKeys: nil)
        }
        func smallestObject() throws -> (url: URL, offset: Int, length: Int) {
            let stored = try BuildCache.read(manifest).get()
            let location = try XCTUnwrap(stored.objects.values.filter { $0.length > 0 }
                .min { ($0.length, $0.pack, $0.offset) < ($1.length, $1.pack, $1.offset) })
            return (packs.appendingPathComponent(location.pack), location.offset, location.length)
        }
        XCTAssertEqual(try packFiles().count, 1)
        let small = try smallestObject()
        var packed = [UInt8](try Data(contentsOf: small.url))
        packed[small.offset + small.length / 2] ^= 0x20
        try Data(packed).write(to: small.url)
        let flipped = try buildBoth("a byte changed in the pack")
        XCTAssertEqual(Self.counts(flipped).rendered, 1, flipped.incremental.joined(separator: "\n"))
        // What was intact in that pack moved into the new one; the damaged pack is gone.
        XCTAssertEqual(try packFiles().count, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: small.url.path))
        let after = try buildBoth("after the damaged pack")
        XCTAssertEqual(Self.counts(after).rendered, 0, after.incremental.joined(separator: "\n"))

        // The same change with the pack's size, time and inode kept: the CRC-32 of every object
        // read still finds it.
        let kept = try smallestObject()
        let info = try flipByteKeepingTimes(in: kept.url, at: kept.offset + kept.length / 2)
        var now = stat()
        XCTAssertEqual(stat(kept.url.path, &now), 0)
        XCTAssertEqual(FileIdentity(kept.url), FileIdentity(size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000
                                                               + Int64(info.st_mtim.tv_nsec), inode: UInt64(info.st_ino)))
        let sameIdentity = try buildBoth("a byte changed in the pack, its time set back")
        XCTAssertEqual(Self.counts(sameIdentity).rendered, 1, sameIdentity.incremental.joined(separator: "\n"))

        // A truncated pack: what is beyond its end is rendered again.
        let cut = try smallestObject()
        XCTAssertEqual(truncate(cut.url.path, off_t(cut.offset + cut.length / 2)), 0)
        let truncatedPack = try buildBoth("a truncated pack")
        XCTAssertGreaterThan(Self.counts(truncatedPack).rendered, 0, truncatedPack.incremental.joined(separator: "\n"))

        // A pack removed: everything is rendered again.
        for file in try packFiles() { try FileManager.default.removeItem(at: file) }
        let removed = try buildBoth("the packs removed")
        XCTAssertEqual(line(removed, "articles (EPUB)"), "articles (EPUB): 3 of 3 rendered, 0 reused")
        XCTAssertEqual(Self.counts(removed).reused, 0, removed.incremental.joined(separator: "\n"))

        // Other options: another SOURCE_DATE_EPOCH.
        let other = try Pipeline.build(options(into: dist, cache: true, environment: ["SOURCE_DATE_EPOCH": "1700000000"]))
        XCTAssertEqual(other.incremental.first, "cache made with other options: building everything")

        // Another build of the tool.
        let folder = root.appendingPathComponent("cache-test")
        let old = BuildCache(folder: folder, tool: "edition 1", options: "o")
        _ = old.fragment("key", kind: "EPUB") { Data("x".utf8) }
        old.save()
        XCTAssertNil(BuildCache(folder: folder, tool: "edition 1", options: "o").rejection)
        XCTAssertEqual(BuildCache(folder: folder, tool: "edition 2", options: "o").rejection, "made by another build of edition")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest").path),
                       "a stale cache is removed")
    }

    /// The manifest's binary form reads back as it was written, names only objects inside the
    /// packs it names, and a cut anywhere is unreadable, never a crash.
    /// A reused article's print HTML is read from its pack only when the page is written, and
    /// a reused EPUB document's bytes only when something needs them: an object damaged in a
    /// pack that still looks as the last build wrote it (size, time and inode kept) is found
    /// by its CRC-32 then, and rendered again; the outputs are a clean build's.
    func testAReusedArticleDamagedInAPackThatLooksAsWrittenIsRenderedAgain() throws {
        try buildBoth("first build")
        let cache = dist.appendingPathComponent(BuildCache.folderName)
        let manifest = cache.appendingPathComponent("manifest")
        for (kind, prefix) in [("print", "<article "), ("EPUB", "EPUB/text/")] {
            let stored = try BuildCache.read(manifest).get()
            var damaged: (url: URL, offset: Int, length: Int)?
            for location in stored.objects.values.sorted(by: { ($0.pack, $0.offset) < ($1.pack, $1.offset) }) {
                let url = cache.appendingPathComponent("packs").appendingPathComponent(location.pack)
                let bytes = try Data(contentsOf: url)
                if bytes[location.offset...].starts(with: Data(prefix.utf8)) {
                    damaged = (url, location.offset, location.length)
                    break
                }
            }
            let object = try XCTUnwrap(damaged, "no \(kind) object in the packs")
            try flipByteKeepingTimes(in: object.url, at: object.offset + object.length - 10)
            if kind == "print" {
                // Else no input changed and the print HTML is left in place, read from nowhere.
                let printFolder = dist.appendingPathComponent("print")
                for file in try FileManager.default.contentsOfDirectory(atPath: printFolder.path) where file.hasSuffix(".html") {
                    try FileManager.default.removeItem(at: printFolder.appendingPathComponent(file))
                }
            }
            let report = try buildBoth("a byte changed in a reused \(kind) article, the pack's time set back")
            XCTAssertEqual(line(report, "articles (\(kind))"), "articles (\(kind)): 1 of 3 rendered, 2 reused",
                           report.incremental.joined(separator: "\n"))
            XCTAssertEqual(Self.counts(report).rendered, 1, report.incremental.joined(separator: "\n"))
            let after = try buildBoth("after the damaged \(kind) article")
            XCTAssertEqual(Self.counts(after).rendered, 0, after.incremental.joined(separator: "\n"))
        }
    }

    /// Changes one bit of the byte at `offset` of `url` in place and sets the file's times
    /// back, so that its size, time and inode say it is as it was; returns its status before.
    @discardableResult
    private func flipByteKeepingTimes(in url: URL, at offset: Int) throws -> stat {
        var info = stat()
        XCTAssertEqual(stat(url.path, &info), 0)
        let handle = try FileHandle(forUpdating: url)
        try handle.seek(toOffset: UInt64(offset))
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: UInt64(offset))
        handle.write(Data([byte ^ 0x20]))
        try handle.close()
        var times = [info.st_atim, info.st_mtim]
        XCTAssertEqual(utimensat(AT_FDCWD, url.path, &times, 0), 0)
        return info
    }

    func testTheManifestReadsBackAsWritten() throws {
        try buildBoth("first build")
        let url = dist.appendingPathComponent(BuildCache.folderName).appendingPathComponent("manifest")
        let data = try Data(contentsOf: url)
        let manifest = try BuildCache.read(url).get()
        XCTAssertFalse(manifest.inputs.isEmpty)
        XCTAssertFalse(manifest.fragments.isEmpty)
        XCTAssertEqual(Set(manifest.objects.keys), Set(manifest.fragments.values))
        XCTAssertNotNil(manifest.epub)
        XCTAssertNotNil(manifest.print)
        let payload = ManifestCoding.encode(manifest)
        XCTAssertEqual(payload, data.prefix(data.count - 66))
        for (name, location) in manifest.objects {
            let pack = try XCTUnwrap(manifest.packs[location.pack], "\(name) is in a pack the manifest does not name")
            XCTAssertLessThanOrEqual(location.offset + location.length, Int(pack.size))
        }
        for cut in stride(from: 0, to: payload.count, by: max(1, payload.count / 300)) {
            XCTAssertNil(ManifestCoding.decode(payload.prefix(cut)), "cut at \(cut)")
        }
    }

    func testThePDFIsSkippedWhenItsInputsHaveNotChanged() throws {
        // A stand-in for WeasyPrint's Python that counts its runs and writes a PDF named by its
        // input (run as python3 -c DRIVER HTML PDF MAP), and a WeasyPrint package on its
        // PYTHONPATH that says which version it is (WeasyPrintVersion reads it).
        let calls = root.appendingPathComponent("calls")
        let package = root.appendingPathComponent("python/weasyprint")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        let version = package.appendingPathComponent("__init__.py")
        try Data("VERSION = __version__ = '70.0'\n".utf8).write(to: version)
        let fake = root.appendingPathComponent("fake-weasyprint")
        try """
        #!/bin/sh
        echo run >> "\(calls.path)"
        echo "WARNING: a warning from the layout"
        printf '%%PDF-1.7 %s\\n' "$(sha256sum "$3" | cut -c1-16)" > "$4"
        printf '{"weasyprint": "fake", "columnFix": "present", "pages": []}' > "$5"

        """.write(to: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
        let environment = [ToolLocator.pythonVariable: fake.path, "PYTHONPATH": root.appendingPathComponent("python").path]
        func runs() -> Int { ((try? String(contentsOf: calls, encoding: .utf8)) ?? "").split(separator: "\n").count }

        let first = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 1)
        XCTAssertEqual(first.diagnostics.filter { $0.code == .pdfWarning }.map(\.message), ["WeasyPrint: a warning from the layout"])
        let pdf = dist.appendingPathComponent("minimal-edition.pdf")
        let made = try Data(contentsOf: pdf)

        let second = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 1, "the PDF was made again though nothing changed")
        XCTAssertTrue(second.incremental.contains { $0.hasPrefix("PDF skipped") }, second.incremental.joined(separator: "\n"))
        XCTAssertEqual(second.diagnostics, first.diagnostics, "the skipped PDF's warnings are reported again")
        XCTAssertEqual(try Data(contentsOf: pdf), made)

        // An edit to the EPUB's stylesheet alone does not touch the print edition.
        let epubCSS = styles.appendingPathComponent("epub.css")
        try (String(contentsOf: epubCSS, encoding: .utf8) + "\np { color: black; }\n").write(to: epubCSS, atomically: true, encoding: .utf8)
        _ = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 1)

        let printCSS = styles.appendingPathComponent("print.css")
        try (String(contentsOf: printCSS, encoding: .utf8) + "\np { color: black; }\n").write(to: printCSS, atomically: true, encoding: .utf8)
        let third = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 2, "print.css changed: the PDF must be made again")
        XCTAssertTrue(third.incremental.contains("PDF made again with WeasyPrint"))

        try edit("01-first-article.md") { $0.replacingOccurrences(of: "Opening paragraph", with: "First paragraph") }
        _ = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 3, "the print HTML changed: the PDF must be made again")

        // A PDF replaced by someone else is made again.
        try Data("not ours".utf8).write(to: pdf)
        _ = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 4)
        XCTAssertTrue(try Data(contentsOf: pdf).starts(with: Data("%PDF".utf8)))

        // Another version of WeasyPrint may lay the pages out differently.
        try Data("VERSION = __version__ = '71.0'\n".utf8).write(to: version)
        _ = try Pipeline.build(options(into: dist, cache: true, pdf: true, environment: environment))
        XCTAssertEqual(runs(), 5, "WeasyPrint's version changed: the PDF must be made again")
    }
}
