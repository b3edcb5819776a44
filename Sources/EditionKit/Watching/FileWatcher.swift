import Foundation

/// Watches folders (recursively) for saved files: through inotify on Linux (`Inotify`), else
/// by polling. Hidden entries, editors' backup and swap files and the excluded folders (the
/// outputs, the cache) are ignored.
///
/// `nextChanges` returns one batch per burst of saves: it waits for a first change, then
/// until no change has come for `quiet` seconds (several saves in quick succession, an
/// editor's write-then-rename), then until the changed files' size and time hold still (a file
/// still being written is not read as final).
public final class FileWatcher {
    public enum Mechanism: String, Sendable { case inotify, polling }

    public let roots: [URL]
    public let excluded: [String]
    public private(set) var mechanism: Mechanism
    #if os(Linux)
    private var inotify: Inotify?
    #endif
    /// For polling: every file's identity at the last look.
    private var snapshot: [String: FileIdentity] = [:]
    /// Files created during the current burst: one gone again by its end was a temporary file.
    private var created = Set<String>()
    /// How often polling looks, in seconds.
    public var pollInterval: TimeInterval = 0.25

    public init(roots: [URL], excluding: [URL] = [], polling: Bool = false) {
        self.roots = roots.map(\.standardizedFileURL)
        self.excluded = excluding.map(\.standardizedFileURL.path)
        mechanism = .polling
        #if os(Linux)
        if !polling, let inotify = Inotify() {
            self.inotify = inotify
            mechanism = .inotify
            for root in self.roots { watchTree(root.path) }
        }
        #endif
        if mechanism == .polling { snapshot = scan() }
    }

    /// Whether a path is one the watcher ignores.
    func ignores(_ path: String) -> Bool {
        if excluded.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { return true }
        let name = (path as NSString).lastPathComponent
        return name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".swx")
            || name.hasPrefix("#") || name == "4913"
    }

    #if os(Linux)
    private func watchTree(_ folder: String) {
        guard !ignores(folder), let inotify else { return }
        if !inotify.watch(folder) { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let path = folder + "/" + name
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue { watchTree(path) }
        }
    }
    #endif

    /// The changed files (sorted, relative to nothing: full paths) of the next burst of
    /// changes; nil when `stop()` turned true while waiting.
    public func nextChanges(quiet: TimeInterval = 0.3, settle: TimeInterval = 0.1,
                            stop: () -> Bool) -> [String]? {
        var changed = Set<String>()
        created = []
        // A first change.
        while changed.isEmpty {
            if stop() { return nil }
            changed.formUnion(poll(timeout: 0.2))
        }
        // No more for `quiet` seconds.
        var lastChange = Date()
        while Date().timeIntervalSince(lastChange) < quiet {
            if stop() { return nil }
            let more = poll(timeout: min(0.1, quiet))
            if !more.isEmpty {
                changed.formUnion(more)
                lastChange = Date()
            }
        }
        // Sizes and times that hold still.
        var identities = changed.sorted().map { FileIdentity(URL(fileURLWithPath: $0)) }
        for _ in 0..<50 {
            if stop() { return nil }
            Thread.sleep(forTimeInterval: settle)
            changed.formUnion(poll(timeout: 0))
            let now = changed.sorted().map { FileIdentity(URL(fileURLWithPath: $0)) }
            if now == identities && now.count == changed.count { break }
            identities = now
        }
        return changed.filter { !created.contains($0) || FileManager.default.fileExists(atPath: $0) }.sorted()
    }

    /// The changes seen within `timeout` seconds.
    private func poll(timeout: TimeInterval) -> Set<String> {
        #if os(Linux)
        if let inotify {
            var result = Set<String>()
            for event in inotify.read(timeout: Int32(timeout * 1000)) {
                if event.overflow {
                    // Lost events: say every root changed; the build's hashes tell what did.
                    result.formUnion(roots.map(\.path))
                    continue
                }
                guard !ignores(event.path) else { continue }
                if event.isFolder, !event.folderGone, FileManager.default.fileExists(atPath: event.path) {
                    watchTree(event.path)
                }
                if event.created { created.insert(event.path) }
                result.insert(event.path)
            }
            return result
        }
        #endif
        Thread.sleep(forTimeInterval: max(timeout, pollInterval))
        let now = scan()
        var result = Set<String>()
        for (path, identity) in now where snapshot[path] != identity { result.insert(path) }
        for path in snapshot.keys where now[path] == nil { result.insert(path) }
        snapshot = now
        return result
    }

    /// Every watched file's identity.
    private func scan() -> [String: FileIdentity] {
        var result: [String: FileIdentity] = [:]
        for root in roots {
            guard let walker = FileManager.default.enumerator(atPath: root.path) else { continue }
            while let name = walker.nextObject() as? String {
                let path = root.path + "/" + name
                if ignores(path) {
                    walker.skipDescendants()
                    continue
                }
                if let identity = FileIdentity(URL(fileURLWithPath: path)) { result[path] = identity }
            }
        }
        return result
    }
}
