import EditionKit
import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `edition serve` on a free loopback port, over real HTTP: the index, an article, the
/// catalogue and the EPUB with their media types; a changed source is served after the
/// rebuild, and the reloading snippet is in served pages only, never in the site's files.
final class ServeTests: XCTestCase {
    /// A started `edition serve` and the address it printed.
    final class Server {
        let process: Process
        let base: URL
        let errors: Pipe

        init(arguments: [String]) throws {
            process = Process()
            process.executableURL = try EditionCLI.executable
            process.arguments = arguments
            process.environment = EditionCLI.environment
            let output = Pipe()
            errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // The first line names the port; a bounded wait for it.
            var line = ""
            let deadline = Date().addingTimeInterval(120)
            let handle = output.fileHandleForReading
            while !line.contains("\n"), Date() < deadline, process.isRunning {
                let data = handle.availableData
                if data.isEmpty { usleep(50_000); continue }
                line += String(decoding: data, as: UTF8.self)
            }
            guard let match = line.firstMatch(of: /serving (http:\/\/127\.0\.0\.1:[0-9]+\/)/), let url = URL(string: String(match.1)) else {
                process.terminate()
                throw SetupError(message: "edition serve did not say where it serves: \(line)")
            }
            base = url
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// GET over HTTP: status, headers, body.
    func get(_ url: URL) throws -> (status: Int, type: String, body: Data) {
        let semaphore = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String, Data)?
        nonisolated(unsafe) var failure: Error?
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let http = response as? HTTPURLResponse {
                result = (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", data ?? Data())
            }
            failure = error
            semaphore.signal()
        }.resume()
        guard semaphore.wait(timeout: .now() + 40) == .success else { throw SetupError(message: "no answer from \(url)") }
        if let failure { throw failure }
        return try XCTUnwrap(result)
    }

    func testServesTheSiteWithItsMediaTypesAndServesAChangeAfterTheRebuild() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let book = folder.appendingPathComponent("book")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        let site = folder.appendingPathComponent("site")
        let server = try Server(arguments: ["serve", book.path, "--port", "0", "--out", site.path,
                                            "--cache", folder.appendingPathComponent("cache").path,
                                            "--styles", TestSupport.styles.path, "--no-pdf"])
        defer { server.stop() }
        XCTAssertEqual(server.base.host, "127.0.0.1", "loopback only unless told")

        let index = try get(server.base)
        XCTAssertEqual(index.status, 200)
        XCTAssertEqual(index.type, "text/html; charset=utf-8")
        XCTAssertTrue(String(decoding: index.body, as: UTF8.self).contains("A Small Edition"))

        let articleURL = server.base.appendingPathComponent("minimal-edition/first-article.html")
        let article = try get(articleURL)
        XCTAssertEqual(article.status, 200)
        let served = String(decoding: article.body, as: UTF8.self)
        XCTAssertTrue(served.contains("Opening paragraph with a note."))
        XCTAssertTrue(served.contains("data-edition-serve"), "a served page reloads itself after a rebuild")
        let file = try String(contentsOf: site.appendingPathComponent("minimal-edition/first-article.html"), encoding: .utf8)
        XCTAssertFalse(file.contains("<script data-edition-serve"), "the published file has no script")

        let catalogue = try get(server.base.appendingPathComponent("opds.xml"))
        XCTAssertEqual(catalogue.type, OPDSCatalogue.mediaType)
        XCTAssertEqual(catalogue.body, try Data(contentsOf: site.appendingPathComponent("opds.xml")))
        let feed = try get(server.base.appendingPathComponent("atom.xml"))
        XCTAssertEqual(feed.type, "application/atom+xml")
        let epub = try get(server.base.appendingPathComponent("minimal-edition/minimal-edition.epub"))
        XCTAssertEqual(epub.type, "application/epub+zip")
        XCTAssertEqual(epub.body, try Data(contentsOf: site.appendingPathComponent("minimal-edition/minimal-edition.epub")))
        XCTAssertEqual(try get(server.base.appendingPathComponent("nothing-here.html")).status, 404)
        XCTAssertEqual(try get(URL(string: server.base.absoluteString + "..%2F..%2Fetc%2Fpasswd")!).status, 404)

        let version = try get(server.base.appendingPathComponent("_edition/version"))
        let firstVersion = String(decoding: version.body, as: UTF8.self)

        // Change the source: the new text is served after the rebuild (a bounded wait).
        let source = book.appendingPathComponent("01-first-article.md")
        let text = try String(contentsOf: source, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Opening paragraph with a note.", with: "A changed opening paragraph.").utf8).write(to: source)
        var changed = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if String(decoding: try get(articleURL).body, as: UTF8.self).contains("A changed opening paragraph.") { changed = true; break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        XCTAssertTrue(changed, "the changed article is served")
        let newVersion = String(decoding: try get(server.base.appendingPathComponent("_edition/version")).body, as: UTF8.self)
        XCTAssertNotEqual(newVersion, firstVersion, "the version open pages poll went up, so they reload")

        // A second server on the same port: a coded error and exit status 1, not a crash.
        let port = try XCTUnwrap(server.base.port)
        let second = try EditionCLI.run(["serve", book.path, "--port", String(port), "--out", folder.appendingPathComponent("site2").path,
                                         "--cache", folder.appendingPathComponent("cache2").path,
                                         "--styles", TestSupport.styles.path, "--no-pdf"])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.standardError.contains("error: cannot serve on 127.0.0.1:\(port)"), second.standardError)
        XCTAssertTrue(second.standardError.contains("[serve-failed]"), second.standardError)
    }
}
