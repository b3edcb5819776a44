import EditionKit
import Foundation
import Hummingbird

/// `edition serve`: publishes the library, serves the site over HTTP (Hummingbird on
/// SwiftNIO) with the right media types, publishes again when a source changes, and makes
/// open pages reload after a rebuild. The reload is a few lines of script added to HTML
/// responses by the server only: the published files have none.
public final class SiteServer: Sendable {
    public let options: PublishOptions
    public let host: String
    public let port: Int
    let state: ServerState
    let log: @Sendable (String) -> Void

    public init(options: PublishOptions, host: String = "127.0.0.1", port: Int = 8000,
                log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.host = host
        self.port = port
        self.log = log
        state = ServerState()
    }

    /// The path the reloading snippet asks for the site's version.
    public static let versionPath = "/_edition/version"

    /// Publishes once, then serves until the process is interrupted. `onRunning` gets the
    /// port the server listens on (useful with port 0).
    public func run(onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        await publish()
        let watcher = SourceWatcher(roots: watchedFolders(), excluding: excludedFolders())
        let router = Router()
        router.get(RouterPath(Self.versionPath)) { _, _ -> Response in
            let version = await self.state.version
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: String(version))))
        }
        // `**` matches one path component or more; the site's root is its own route.
        for path in ["/", "**"] {
            router.get(RouterPath(path)) { request, _ -> Response in
                await self.respond(to: request.uri.path)
            }
        }
        router.head("**") { request, _ -> Response in
            var response = await self.respond(to: request.uri.path)
            response.body = .init()
            return response
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "edition"),
                              onServerRunning: { channel in onRunning(channel.localAddress?.port ?? self.port) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask {
                var fingerprint = watcher.fingerprint()
                while !Task.isCancelled {
                    try await Task.sleep(nanoseconds: 400_000_000)
                    let current = watcher.fingerprint()
                    if current != fingerprint {
                        fingerprint = current
                        self.log("edition: a source changed; publishing again")
                        await self.publish()
                    }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Publishes on a thread of its own (cmark-gfm parses on one thread at a time, and a
    /// publish must not hold up requests); the version goes up when it succeeds.
    func publish() async {
        let options = self.options
        let log = self.log
        let succeeded: Bool = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let report = try Publisher.publish(options)
                    for diagnostic in report.diagnostics { log(diagnostic.description) }
                    log("edition: published \(report.written.count) changed file(s) into \(report.site.relativePath)")
                    continuation.resume(returning: true)
                } catch let failure as BuildFailure {
                    for diagnostic in failure.diagnostics { log(diagnostic.description) }
                    log("edition: the publish failed; the last good site is served")
                    continuation.resume(returning: false)
                } catch {
                    log("edition: the publish failed: \(error)")
                    continuation.resume(returning: false)
                }
            }
        }
        if succeeded { await state.bump() }
    }

    var site: URL { URL(fileURLWithPath: options.output, isDirectory: true).standardizedFileURL }

    func watchedFolders() -> [URL] {
        var folders = [URL(fileURLWithPath: options.library, isDirectory: true).standardizedFileURL]
        if let styles = options.styles { folders.append(URL(fileURLWithPath: styles, isDirectory: true).standardizedFileURL) }
        else { folders.append(URL(fileURLWithPath: "styles", isDirectory: true).standardizedFileURL) }
        if LibraryLoader.isLibrary(options.library) {
            var log = DiagnosticLog()
            if let library = LibraryLoader(root: options.library).load(log: &log) {
                folders += library.editions.map { URL(fileURLWithPath: $0.folder, isDirectory: true).standardizedFileURL }
            }
        }
        return folders
    }

    func excludedFolders() -> [URL] { [site, options.resolvedCacheFolder] }

    /// The file a request path names, with its media type; an HTML page gets the reloading snippet.
    func respond(to rawPath: String) async -> Response {
        let path = (rawPath.removingPercentEncoding ?? rawPath).split(separator: "?").first.map(String.init) ?? "/"
        let parts = path.split(separator: "/").map(String.init)
        guard !parts.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return Self.notFound() }
        var url = site
        for part in parts { url.appendPathComponent(part) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            url.appendPathComponent("index.html")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else { return Self.notFound() }
        let type = MediaTypes.type(forPath: url.path)
        var bytes = data
        if type.hasPrefix("text/html") {
            let version = await state.version
            bytes = Self.injectReload(into: data, version: version)
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func notFound() -> Response {
        Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: "not found\n")))
    }

    /// Adds, before `</body>`, a script that asks the server for the site's version every
    /// second and reloads the page when it changed. Only `edition serve` adds it.
    static func injectReload(into page: Data, version: Int) -> Data {
        let snippet = """
        <script data-edition-serve>(function(){var v="\(version)";setInterval(function(){fetch("\(versionPath)",{cache:"no-store"}).then(function(r){return r.text()}).then(function(t){if(t!==v){location.reload()}}).catch(function(){})},1000)})();</script>

        """
        let text = String(decoding: page, as: UTF8.self)
        guard let range = text.range(of: "</body>", options: .backwards) else { return page }
        var result = text
        result.insert(contentsOf: snippet, at: range.lowerBound)
        return Data(result.utf8)
    }
}

/// The site's version: it goes up with every successful publish.
actor ServerState {
    private(set) var version = 0
    func bump() { version += 1 }
}

/// Media types by file extension, as the site's files need them.
public enum MediaTypes {
    public static func type(forPath path: String) -> String {
        let name = (path as NSString).lastPathComponent
        if name == OPDSCatalogue.path { return OPDSCatalogue.mediaType }
        if name == ArticleFeed.path { return ArticleFeed.mediaType }
        switch (path as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "epub": return "application/epub+zip"
        case "pdf": return "application/pdf"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "svg": return "image/svg+xml"
        case "xml": return "application/xml"
        default: return "application/octet-stream"
        }
    }
}

/// Polls the sources: the names, sizes and modification times of the files under some
/// folders (hidden files and the site's own folders left out).
struct SourceWatcher: Sendable {
    let roots: [URL]
    let excluding: [URL]

    func fingerprint() -> [String: String] {
        var result: [String: String] = [:]
        let excluded = Set(excluding.map(\.path))
        for root in roots {
            guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey, .isDirectoryKey],
                                                                  options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in enumerator {
                if excluded.contains(url.standardizedFileURL.path) { enumerator.skipDescendants(); continue }
                guard let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey, .isDirectoryKey]),
                      values.isDirectory != true else { continue }
                result[url.path] = "\(values.fileSize ?? 0) \(values.contentModificationDate?.timeIntervalSince1970 ?? 0)"
            }
        }
        return result
    }
}
