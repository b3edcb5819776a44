import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The incremental build's memory, in one folder beside the outputs (`DIR/.edition-cache/`):
///
/// - `manifest`: what the last successful build read and wrote (in a compact binary form,
///   `ManifestCoding`) — the content hash of
///   every input, which rendered fragment each article produced, the entries of the EPUB it
///   packaged and the fingerprint of the PDF's inputs — ending in a SHA-256 of everything
///   above it;
/// - `packs/<name>`: the stored objects (parsed article models, check findings, rendered
///   fragments), each build's new ones appended to one pack file; the manifest names each
///   object by the SHA-256 of its bytes and records where it is, with a CRC-32 checked on
///   every read, and each pack's size, time and inode: a pack that is no longer the file a
///   build wrote has every object read from it checked against its SHA-256, and is copied
///   (what is intact) into the next pack.
///
/// Nothing is trusted blindly: a manifest of another format, another build of the tool or
/// other options, or one whose checksum does not match (a truncated or edited file), is
/// thrown away with the objects and the build starts from scratch, saying why; an object whose
/// bytes do not match its checksums is rendered again. Deleting the folder is always safe.
public final class BuildCache: @unchecked Sendable {
    public static let folderName = ".edition-cache"
    /// Bumped whenever what the cache stores changes meaning.
    static let format = 2

    public let folder: URL
    var packs: URL { folder.appendingPathComponent("packs", isDirectory: true) }
    /// Where this build writes the objects it renders (one pack); `save()` moves it into
    /// `packs/`, `discard()` removes it: a build that fails leaves no object behind.
    let staging: URL
    /// This build's pack, in `staging` until the build saves.
    private let writer: PackWriter
    /// The packs of the last builds.
    private var reader: PackReader
    static let stagingPrefix = "staging-"
    /// The folders above the cache that did not exist when the build began (the output
    /// folder of a first build): `discard()` removes them again when they are empty.
    private let madeFolders: [URL]
    private static let stagingCount = Counter()
    var manifestURL: URL { folder.appendingPathComponent("manifest") }

    private let lock = NSLock()
    /// The last build's manifest; empty when there was none or it could not be trusted.
    private(set) var previous: Manifest
    /// What this build records, saved by `save()` when it succeeds.
    var next: Manifest
    /// Why the cache was not used, when it was not ("damaged: …", "made by another build of edition").
    public private(set) var rejection: String?
    /// Whether a previous build's manifest was found and trusted.
    public var isWarm: Bool { rejection == nil && !previous.inputs.isEmpty }

    /// Counts of fragments reused and rendered, by kind ("EPUB", "print").
    private(set) var reused: [String: Int] = [:]
    private(set) var rendered: [String: Int] = [:]
    private(set) var damagedObjects = 0

    struct Manifest: Codable {
        var format: Int
        var tool: String
        var options: String
        var inputs: [String: InputRecord] = [:]
        /// A fragment's key (the hash of everything it was rendered from) → its object.
        var fragments: [String: String] = [:]
        /// An object (the SHA-256 of its bytes) → where it is stored.
        var objects: [String: ObjectLocation] = [:]
        /// Each pack in use → its size, time and inode when the build that wrote it saved.
        var packs: [String: FileIdentity] = [:]
        var epub: ArchiveRecord?
        var pdf: PDFRecord?
        /// The print HTML as the last build left it.
        var print: FileRecord?
    }

    /// An output file as the last build wrote it, and the hash of its bytes (for the print
    /// HTML: "inputs " and the digest of the inputs it was made from, `inputsDigest()`).
    struct FileRecord: Codable {
        var path: String
        var identity: FileIdentity
        var hash: String
    }

    /// An input file: its content hash, and the stat identity that lets an unchanged file be
    /// recognised without reading it again (a file whose size, time or inode differ is read and
    /// hashed; only the hash decides whether it changed).
    struct InputRecord: Codable, Equatable {
        var identity: FileIdentity
        var hash: String
        /// False when the file was modified within two seconds of being read: a save in the
        /// same clock tick could keep its size and time, so it is read and hashed again.
        var settled: Bool
    }

    /// An output as the last build left it: another program that rewrote it changes this.
    struct ArchiveRecord: Codable {
        var path: String
        var identity: FileIdentity
        /// Entry path → SHA-256 of its uncompressed bytes, or "object " and the name of the
        /// cached object they came from (`IncrementalBuild.epubArticle`).
        var entries: [String: String]
    }

    struct PDFRecord: Codable {
        var path: String
        var identity: FileIdentity
        /// The hash of the print HTML, the styles, the images, the fonts and WeasyPrint itself.
        var fingerprint: String
        var warnings: [String]
    }

    /// Opens the cache in `folder` for a build by `tool` with `options` (fingerprints of
    /// what, besides the inputs, decides the outputs).
    /// Fragments already read and verified by this process (`edition watch`).
    let memory: BuildMemory?

    public init(folder: URL, tool: String = BuildCache.toolIdentity, options: String, memory: BuildMemory? = nil) {
        self.folder = folder
        self.memory = memory
        var missing: [URL] = []
        var above = folder.deletingLastPathComponent()
        while above.path != "/", !FileManager.default.fileExists(atPath: above.path) {
            missing.append(above)
            above = above.deletingLastPathComponent()
        }
        madeFolders = missing
        let count = Self.stagingCount.next()
        staging = folder.appendingPathComponent("\(Self.stagingPrefix)\(getpid())-\(count)", isDirectory: true)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        writer = PackWriter(name: "\(Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec))-\(getpid())-\(count).pack",
                            url: staging.appendingPathComponent("pack"))
        let empty = Manifest(format: Self.format, tool: tool, options: options)
        next = empty
        previous = empty
        reader = PackReader(folder: folder.appendingPathComponent("packs", isDirectory: true), identities: [:])
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            if FileManager.default.fileExists(atPath: folder.path) { reset() }
            return
        }
        switch Self.read(manifestURL) {
        case .failure(let why):
            rejection = "damaged (\(why))"
        case .success(let manifest):
            if manifest.format != Self.format {
                rejection = "written in another format (\(manifest.format))"
            } else if manifest.tool != tool {
                rejection = "made by another build of edition"
            } else if manifest.options != options {
                rejection = "made with other options"
            } else {
                previous = manifest
            }
        }
        if rejection != nil { reset() }
        reader = PackReader(folder: packs, identities: previous.packs)
    }

    /// Removes everything the cache holds.
    private func reset() {
        try? FileManager.default.removeItem(at: folder)
    }

    // MARK: Inputs

    /// The content hash of an input file (nil when it cannot be read), recorded under `name`.
    public func hashInput(_ url: URL, as name: String) -> String? { hashInput(atPath: url.path, as: name) }

    /// The same for a path: a warm build asks for every source about three times, and a
    /// Foundation URL made for each ask cost more than the stat it was for. A file is looked
    /// at once a build: every later ask gets the hash recorded then, so that all the build's
    /// steps agree on it (a file that changes after that is caught by `IncrementalBuild.finish`,
    /// which then keeps the cache as it was).
    func hashInput(atPath path: String, as name: String) -> String? {
        lock.lock()
        if let recorded = next.inputs[name] {
            lock.unlock()
            return recorded.hash
        }
        let known = previous.inputs[name]
        lock.unlock()
        let identity = FileIdentity(path: path)
        let hash: String
        if let identity, let known, known.settled, known.identity == identity {
            hash = known.hash
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            hash = ContentHash.of(data)
        }
        lock.lock()
        if let identity {
            let settled = Date().timeIntervalSince1970 - Double(identity.modified) / 1e9 > 2
            next.inputs[name] = InputRecord(identity: identity, hash: hash, settled: settled)
        }
        lock.unlock()
        return hash
    }

    /// The inputs whose content differs from the last build's, added ones included, and the
    /// ones it read that this build did not: empty on a cold cache.
    public var changedInputs: [String] {
        guard isWarm else { return [] }
        var result: [String] = []
        for (name, record) in next.inputs where previous.inputs[name]?.hash != record.hash {
            result.append(previous.inputs[name] == nil ? "\(name) (new)" : name)
        }
        for name in previous.inputs.keys where next.inputs[name] == nil { result.append("\(name) (gone)") }
        return result.sorted()
    }

    /// The digest of every input this build read: its name and content hash.
    func inputsDigest() -> String {
        lock.lock()
        let inputs = next.inputs.map { ($0.key, $0.value.hash) }.sorted { $0.0 < $1.0 }
        lock.unlock()
        return ContentHash.of(parts: inputs.flatMap { [$0.0, $0.1] })
    }

    /// A stylesheet's content hash, under `name`, as read by the build.
    func recordStyle(_ name: String, hash: String) {
        lock.lock()
        defer { lock.unlock() }
        next.inputs[name] = InputRecord(identity: FileIdentity(size: -1, modified: 0, inode: 0), hash: hash, settled: false)
    }

    /// The stat identity an input had when it was hashed.
    func recordedIdentity(_ name: String) -> FileIdentity? {
        lock.lock()
        defer { lock.unlock() }
        return next.inputs[name]?.identity
    }

    var previousManifest: Manifest { previous }

    func recordArchive(_ record: ArchiveRecord) { next.epub = record }
    func recordPDF(_ record: PDFRecord) { next.pdf = record }
    func recordPrint(_ record: FileRecord) { next.print = record }

    // MARK: Fragments

    /// The fragment rendered from exactly the inputs `key` hashes: the stored one when there is
    /// an intact copy, else `render()`'s, which is stored.
    public func fragment(_ key: String, kind: String, render: () throws -> Data) rethrows -> Data {
        lock.lock()
        let object = previous.fragments[key] ?? next.fragments[key]
        lock.unlock()
        if let object {
            if let data = memory?.object(object) {
                record(key, object, kind: kind, reused: true)
                return data
            }
            if let data = read(object) {
                record(key, object, kind: kind, reused: true)
                memory?.keep(data, as: object)
                return data
            }
            lock.lock(); damagedObjects += 1; lock.unlock()
        }
        let data = try render()
        let name = ContentHash.of(data)
        memory?.keep(data, as: name)
        store(data, as: name)
        record(key, name, kind: kind, reused: false)
        return data
    }

    /// The same for a fragment that is text (the print HTML's articles): read from its pack
    /// straight into the string, without a copy in between.
    public func text(_ key: String, kind: String, render: () -> String) -> String {
        lock.lock()
        let object = previous.fragments[key] ?? next.fragments[key]
        lock.unlock()
        if let object, memory == nil, let location = location(object), location.pack != writer.name,
           let text = reader.text(object, at: location) {
            record(key, object, kind: kind, reused: true)
            return text
        }
        // A fragment rendered now is returned as rendered, not decoded back from its bytes
        // (at ×100, 54 MB of print HTML copied and validated once more).
        var rendered: String?
        let data = fragment(key, kind: kind) {
            let text = render()
            rendered = text
            return Data(text.utf8)
        }
        return rendered ?? String(decoding: data, as: UTF8.self)
    }

    /// The stored text fragment under `key` as a piece of the print HTML that is read from its
    /// pack only when the document is written (`PrintDocument`); nil when it must go through
    /// `fragment` (not stored, in memory, in a pack no longer as written). A piece whose bytes
    /// are missing or damaged by then is rendered again with `render`, and stored, as
    /// `fragment` does.
    func storedText(_ key: String, kind: String, render: @escaping @Sendable () -> String) -> PrintDocument.Piece? {
        lock.lock()
        let object = previous.fragments[key] ?? next.fragments[key]
        lock.unlock()
        guard memory == nil, let object, let location = location(object), location.pack != writer.name,
              reader.isTrusted(location.pack), reader.holds(location) else { return nil }
        record(key, object, kind: kind, reused: true)
        let reader = self.reader
        return .stored(PrintDocument.StoredBytes(read: { reader.read(location, into: $0) }, length: location.length,
                                                 fallback: { [self] in
            lock.lock()
            reused[kind, default: 0] -= 1
            lock.unlock()
            return fragment(key, kind: kind) { Data(render().utf8) }
        }))
    }

    /// The stored fragment under `key`, a first line and bytes after it (an EPUB document), as
    /// its first line and a `StoredDocument` for the rest: the whole object is read and checked
    /// now, through a buffer let go of at once, and the bytes after the line are read again
    /// only if something needs them (`fallback` gives them when they are damaged by then: the
    /// whole object, rendered as `fragment` renders it). Nil when it must go through `fragment`
    /// (not stored, in memory, in a pack no longer as written, damaged).
    func storedDocument(_ key: String, kind: String,
                        render: @escaping @Sendable () -> Data) -> (header: Data, document: StoredDocument)? {
        lock.lock()
        let object = previous.fragments[key] ?? next.fragments[key]
        lock.unlock()
        guard memory == nil, let object, let location = location(object), location.pack != writer.name,
              let header = reader.firstLine(at: location) else { return nil }
        record(key, object, kind: kind, reused: true)
        let reader = self.reader, skip = header.count + 1
        let document = StoredDocument(object: object, count: location.length - skip, load: {
            reader.read(location).map { Data($0.dropFirst(skip)) }
        }, fallback: { [self] in
            lock.lock()
            reused[kind, default: 0] -= 1
            lock.unlock()
            return Data(fragment(key, kind: kind, render: render).dropFirst(skip))
        })
        return (header, document)
    }

    /// The object this build used for `key`, once `fragment` gave it.
    func object(forKey key: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return next.fragments[key]
    }

    /// Keeps the fragment stored under `key` without reading it, when the caller already has
    /// its value (`edition watch`'s memory): true when the last build stored it and its object
    /// is still there (it is read, and checked, when a build needs its bytes).
    func keep(_ key: String, kind: String) -> Bool { keptObject(key, kind: kind) != nil }

    /// The object stored under `key`, recorded as reused without being read; nil when there is
    /// none, or its pack no longer holds it.
    private func keptObject(_ key: String, kind: String) -> String? {
        lock.lock()
        let object = previous.fragments[key] ?? next.fragments[key]
        lock.unlock()
        guard let object, let location = location(object) else { return nil }
        if location.pack != writer.name, !reader.holds(location) { return nil }
        record(key, object, kind: kind, reused: true)
        return object
    }

    /// The fragment stored under `key`, kept for this build without reading it, as a function
    /// that reads and checks its bytes when called (an article's content, decoded only if
    /// something asks for it). The function gives nil when the bytes are missing or damaged by
    /// then, and the fragment is forgotten, so that the next build makes it again. Nil when no
    /// intact-looking fragment is stored under `key`.
    func deferredFragment(_ key: String, kind: String) -> (() -> Data?)? {
        guard let object = keptObject(key, kind: kind) else { return nil }
        return { [self] in
            if let data = memory?.object(object) ?? read(object) { return data }
            lock.lock()
            if next.fragments[key] == object { next.fragments[key] = nil }
            damagedObjects += 1
            lock.unlock()
            return nil
        }
    }

    /// Where object `name` is: written by this build, or stored by an earlier one.
    private func location(_ name: String) -> ObjectLocation? {
        lock.lock()
        defer { lock.unlock() }
        return next.objects[name] ?? previous.objects[name]
    }

    /// Object `name`'s bytes, checked (nil when missing or damaged).
    private func read(_ name: String) -> Data? {
        guard let location = location(name) else { return nil }
        if location.pack == writer.name { return writer.read(location) }
        return reader.object(name, at: location)
    }

    /// Writes a fragment's object now, on the thread that rendered it, into this build's pack
    /// in its staging folder: a build keeps no copy of every fragment until it ends (at ×100
    /// that was more memory than the EPUB), and one that fails leaves nothing (`discard()`).
    /// An object is named by its bytes' hash, so one this build wrote already is the same. A
    /// write that fails makes the next build start cold, never this one fail.
    private func store(_ data: Data, as name: String) {
        lock.lock()
        let written = next.objects[name] != nil
        lock.unlock()
        guard !written else { return }
        guard let location = writer.append(data) else {
            lock.lock(); unwritten = true; lock.unlock()
            return
        }
        lock.lock()
        if next.objects[name] == nil { next.objects[name] = location }
        lock.unlock()
    }

    /// Removes what this build staged, and the cache's folders when that leaves them empty
    /// (a first build that fails writes nothing). Called when a build does not save.
    public func discard() {
        writer.close()
        reader.close()
        try? FileManager.default.removeItem(at: staging)
        rmdir(packs.path)
        rmdir(folder.path)
        for made in madeFolders { rmdir(made.path) }
    }

    /// Set when an object could not be written: the manifest is not saved.
    private var unwritten = false

    private func record(_ key: String?, _ object: String, kind: String, reused isReused: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if let key { next.fragments[key] = object }
        if isReused { reused[kind, default: 0] += 1 } else { rendered[kind, default: 0] += 1 }
    }

    /// "1 of 12 articles rendered, 11 reused" for `kind`.
    public func fragmentSummary(_ kind: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        let done = rendered[kind] ?? 0, kept = reused[kind] ?? 0
        guard done + kept > 0 else { return nil }
        let verb = ["model": "parsed", "checks": "checked"][kind] ?? "rendered"
        return "articles (\(kind)): \(done) of \(done + kept) \(verb), \(kept) reused"
    }

    // MARK: Saving

    /// Writes the manifest and removes the packs it no longer names. Called once the outputs
    /// are in place.
    ///
    /// The objects the manifest names are those this build used. They stay in the packs they
    /// are in, but for those of a pack that is no longer the file its build wrote (copied,
    /// when intact, into this build's pack), and those of a pack mostly made of objects no
    /// longer used, or of one of many small packs (copied too): the folder keeps a few packs
    /// and not much more than the objects in use.
    public func save() {
        do {
            guard !unwritten, !writer.hasFailed else { throw ReadFailure("an object could not be written") }
            lock.lock()
            let used = Set(next.fragments.values)
            var locations: [String: ObjectLocation] = [:]
            for name in used {
                if let location = next.objects[name] ?? previous.objects[name] { locations[name] = location }
            }
            lock.unlock()
            // The live bytes of each earlier pack, and which to copy from.
            var live: [String: Int] = [:]
            for location in locations.values where location.pack != writer.name { live[location.pack, default: 0] += location.length }
            let largest = live.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
            var copy = Set<String>()
            for (pack, bytes) in live {
                let size = Int(previous.packs[pack]?.size ?? 0)
                if !reader.isTrusted(pack) || bytes * 2 < size || (live.count > Self.maximumPacks && pack != largest) {
                    copy.insert(pack)
                }
            }
            var lost = Set<String>()
            // In pack order, only those to copy (most builds copy none: nothing to sort).
            let copied = copy.isEmpty ? [] : locations.filter { copy.contains($0.value.pack) }
            for (name, location) in copied.sorted(by: { ($0.value.pack, $0.value.offset) < ($1.value.pack, $1.value.offset) }) {
                guard let data = reader.object(name, at: location) else {
                    lost.insert(name)
                    locations[name] = nil
                    continue
                }
                guard let moved = writer.append(data) else { throw ReadFailure("an object could not be written") }
                locations[name] = moved
            }
            if !lost.isEmpty { next.fragments = next.fragments.filter { !lost.contains($0.value) } }
            var identities: [String: FileIdentity] = [:]
            for location in locations.values where location.pack != writer.name {
                identities[location.pack] = previous.packs[location.pack]
            }
            try FileManager.default.createDirectory(at: packs, withIntermediateDirectories: true)
            if locations.values.contains(where: { $0.pack == writer.name }) {
                writer.close()
                let destination = packs.appendingPathComponent(writer.name)
                if rename(writer.url.path, destination.path) != 0 { throw ReadFailure("the pack could not be moved") }
                guard let identity = FileIdentity(destination) else { throw ReadFailure("the pack is gone") }
                identities[writer.name] = identity
            }
            writer.close()
            reader.close()
            try? FileManager.default.removeItem(at: staging)
            next.objects = locations
            next.packs = identities
            var data = ManifestCoding.encode(next)
            data.append(contentsOf: Array("\n\(ContentHash.of(data))\n".utf8))
            try AtomicFile.write(data, to: manifestURL)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: packs.path)) ?? [] where identities[name] == nil {
                try? FileManager.default.removeItem(at: packs.appendingPathComponent(name))
            }
        } catch {
            // The next build starts cold; the outputs are already complete.
            try? FileManager.default.removeItem(at: manifestURL)
            writer.close()
            reader.close()
            try? FileManager.default.removeItem(at: staging)
        }
    }

    /// More packs than this and all but the largest are copied into the next one.
    static let maximumPacks = 8

    struct ReadFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func read(_ url: URL) -> Result<Manifest, ReadFailure> {
        guard let data = FileManager.default.contents(atPath: url.path) else { return .failure(ReadFailure("unreadable")) }
        // The payload, a newline, 64 hex digits and a newline.
        guard data.count > 66, data.last == UInt8(ascii: "\n") else { return .failure(ReadFailure("truncated")) }
        let payload = data.prefix(data.count - 66)
        let checksum = String(decoding: data.suffix(65).prefix(64), as: UTF8.self)
        guard data[data.count - 66] == UInt8(ascii: "\n"), ContentHash.of(Data(payload)) == checksum else {
            return .failure(ReadFailure("checksum mismatch"))
        }
        guard let manifest = ManifestCoding.decode(Data(payload)) else {
            return .failure(ReadFailure("unreadable manifest"))
        }
        return .success(manifest)
    }

    // MARK: The tool

    /// This build of edition: its executable's path, size and time. A rebuilt tool may render
    /// differently, so it never trusts another's cache.
    public static let toolIdentity: String = {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "edition"
        let identity = FileIdentity(URL(fileURLWithPath: path))
        return "\(format) \(path) \(identity.map { "\($0.size) \($0.modified)" } ?? "?")"
    }()
}

/// Numbers staging folders apart when one process runs several builds.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// A file's size, modification time (ns) and inode.
struct FileIdentity: Codable, Equatable {
    var size: Int64
    var modified: Int64
    var inode: UInt64

    init(size: Int64, modified: Int64, inode: UInt64) {
        self.size = size
        self.modified = modified
        self.inode = inode
    }

    /// The identity of an open file.
    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
    }

    init?(_ url: URL) { self.init(path: url.path) }

    init?(path: String) {
        #if canImport(Glibc)
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        inode = UInt64(info.st_ino)
        #else
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        modified = Int64(((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) * 1e9)
        inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        #endif
    }
}
