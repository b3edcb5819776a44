import EditionKit
import Foundation
import XCTest

/// The pages in a real browser, Debian's Chromium, headless. A test-only harness page (never
/// part of the site) loads each page of a site in a frame and reports what a reader would
/// meet: images that did not load, a stylesheet that did not apply, where a note reference
/// and its back-link go when clicked. Chromium's own log (--enable-logging=stderr) carries
/// every console message of every page; there must be none. No DevTools protocol is needed:
/// the harness writes its findings into the DOM that --dump-dom prints.
final class BrowserTests: XCTestCase {
    static let viewport = (width: 1000, height: 800)

    struct PageReport: Decodable {
        var page: String
        var brokenImages: [String]
        var maxWidth: String
        var noteHref: String?
        var noteTarget: String?
        var noteTop: Int?
        var refId: String?
        var backTarget: String?
        var backTop: Int?
    }

    static func chromium(_ arguments: [String]) throws -> (output: String, log: String) {
        // Chromium's profile for this run only, removed when it exits: each run writes one,
        // and the tests run Chromium many times.
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("edition-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let base = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                    "--user-data-dir=\(profile.path)"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["chromium"] + base + arguments
        let output = Pipe(), log = Pipe()
        process.standardOutput = output
        process.standardError = log
        try process.run()
        nonisolated(unsafe) var logData = Data()
        let reader = Thread { logData = log.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(10_000) }
        if process.terminationStatus == 127 {
            throw SetupError(message: "chromium is not installed: run scripts/test, which installs Debian's chromium")
        }
        return (String(decoding: outputData, as: UTF8.self), String(decoding: logData, as: UTF8.self))
    }

    /// Loads `pages` (file URLs) through the harness; each page's report and the console
    /// messages Chromium logged.
    static func inspect(_ pages: [URL], in folder: URL) throws -> (reports: [PageReport], console: [String]) {
        let list = String(decoding: try JSONSerialization.data(withJSONObject: pages.map(\.absoluteString)), as: UTF8.self)
        let harness = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head><body>
        <iframe id="frame" width="\(viewport.width)" height="\(viewport.height)"></iframe><pre id="out"></pre>
        <script>
        const pages = \(list);
        const frame = document.getElementById("frame");
        const load = url => new Promise(done => { frame.onload = () => done(); frame.src = url; });
        const tick = () => new Promise(done => setTimeout(done, 50));
        (async () => {
          const reports = [];
          for (const page of pages) {
            await load(page); await tick();
            const doc = frame.contentDocument, win = frame.contentWindow;
            const report = {page, brokenImages: [...doc.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src")),
                            maxWidth: win.getComputedStyle(doc.body).maxWidth};
            const ref = doc.querySelector("a.noteref");
            if (ref) {
              ref.click(); await tick();
              const note = doc.querySelector(":target");
              report.noteHref = ref.getAttribute("href"); report.refId = ref.id;
              if (note) {
                report.noteTarget = note.id; report.noteTop = Math.round(note.getBoundingClientRect().top);
                const back = note.querySelector("a.note-number");
                if (back) {
                  back.click(); await tick();
                  const cited = doc.querySelector(":target");
                  if (cited) { report.backTarget = cited.id; report.backTop = Math.round(cited.getBoundingClientRect().top); }
                }
              }
            }
            reports.push(report);
          }
          document.getElementById("out").textContent = "<" + "reports>" + JSON.stringify(reports) + "</" + "reports>";
        })();
        </script></body></html>
        """
        let url = folder.appendingPathComponent("harness-\(UUID().uuidString).html")
        try Data(harness.utf8).write(to: url)
        let (output, log) = try chromium(["--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
                                          "--virtual-time-budget=\(20_000 + 2_000 * pages.count)", "--dump-dom", url.absoluteString])
        guard let start = output.range(of: "&lt;reports&gt;"), let end = output.range(of: "&lt;/reports&gt;"), start.upperBound <= end.lowerBound else {
            throw SetupError(message: "the harness reported nothing:\n\(output.suffix(2000))\n\(log.suffix(2000))")
        }
        let json = String(output[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let reports = try JSONDecoder().decode([PageReport].self, from: Data(json.utf8))
        let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return (reports, console)
    }

    func assertPagesLoadCleanly(_ site: PublishedSite, file: StaticString = #filePath, line: UInt = #line) throws {
        let pages = try site.pages.map { site.url($0) }
        XCTAssertFalse(pages.isEmpty)
        let (reports, console) = try Self.inspect(pages, in: site.folder)
        XCTAssertEqual(reports.count, pages.count, "every page was loaded", file: file, line: line)
        XCTAssertEqual(console, [], "console messages", file: file, line: line)
        var notesChecked = 0
        for report in reports {
            let name = String(report.page.dropFirst(site.site.absoluteString.count))
            XCTAssertEqual(report.brokenImages, [], "\(name): images that did not load", file: file, line: line)
            XCTAssertNotEqual(report.maxWidth, "none", "\(name): web.css applies (a readable measure)", file: file, line: line)
            guard let href = report.noteHref else { continue }
            notesChecked += 1
            XCTAssertEqual(report.noteTarget.map { "#" + $0 }, href, "\(name): the note reference goes to its note", file: file, line: line)
            XCTAssertTrue((0..<Self.viewport.height).contains(report.noteTop ?? -1), "\(name): the note is in view (\(report.noteTop ?? -1))",
                          file: file, line: line)
            XCTAssertEqual(report.backTarget, report.refId, "\(name): the note's number goes back to the citation", file: file, line: line)
            XCTAssertTrue((0..<Self.viewport.height).contains(report.backTop ?? -1), "\(name): the citation is in view (\(report.backTop ?? -1))",
                          file: file, line: line)
        }
        XCTAssertGreaterThan(notesChecked, 0, "some page has notes", file: file, line: line)
    }

    func testEveryPageOfTheFixtureLibraryLoadsCleanly() throws {
        let site = try PublishedSite.publish(LibrarySiteTests.library, arguments: ["--no-pdf"])
        defer { site.remove() }
        try assertPagesLoadCleanly(site)
    }

    func testEveryPageOfTheBookLoadsCleanlyAndScreenshotsAreSaved() throws {
        let site = try PublishedSite.publish(BuiltEdition.bookFolder, arguments: ["--no-pdf"])
        defer { site.remove() }
        try assertPagesLoadCleanly(site)

        // Screenshots of an article with notes at phone and desktop widths, for a person to look at.
        let output = TestSupport.repository.appendingPathComponent(".build/test-output/web", isDirectory: true)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let page = site.url("post-international-29/april-1952.html")
        for (name, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
            let file = output.appendingPathComponent("article-\(name).png")
            try? FileManager.default.removeItem(at: file)
            _ = try Self.chromium(["--window-size=\(width),\(height)", "--screenshot=\(file.path)", page.absoluteString])
            let size = try XCTUnwrap(ImageSize(try Data(contentsOf: file)), "\(name): a PNG")
            XCTAssertEqual(size.width, width, name)
            print("screenshot (\(name), \(width)px wide): \(file.path)")
        }
    }

    /// The harness is not blind: a page with a console error, a missing image and a missing
    /// stylesheet is reported on all three counts, and a note link to nowhere is caught.
    func testTheHarnessCatchesWhatItLooksFor() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let bad = folder.appendingPathComponent("bad.html")
        try Data("""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title><link rel="stylesheet" href="missing.css"></head>
        <body><p>Text<a class="noteref" id="r1" href="#nowhere">1</a></p><img src="missing.png" alt=""><script>console.error("boom")</script></body></html>
        """.utf8).write(to: bad)
        let (reports, console) = try Self.inspect([bad], in: folder)
        XCTAssertEqual(reports.first?.brokenImages, ["missing.png"])
        XCTAssertEqual(reports.first?.maxWidth, "none")
        XCTAssertNil(reports.first?.noteTarget)
        XCTAssertTrue(console.contains { $0.contains("\"boom\"") }, "\(console)")
    }
}
