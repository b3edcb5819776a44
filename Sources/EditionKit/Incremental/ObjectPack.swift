import CLibDeflate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a cached object's bytes are: which pack file of `DIR/.edition-cache/packs/`, at
/// which offset, how many, and their CRC-32 (checked on every read; the object's name, the
/// SHA-256 of its bytes, is checked too when the pack is not the file the manifest recorded).
struct ObjectLocation: Codable, Equatable {
    var pack: String
    var offset: Int
    var length: Int
    var crc: UInt32
}

/// The CRC-32 of some bytes (libdeflate's, as zip uses).
enum ObjectChecksum {
    static func of(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
            return libdeflate_crc32(0, base, buffer.count)
        }
    }
}

/// One build's pack: the objects it rendered, appended to one file in its staging folder from
/// whichever thread rendered them (a write at the end, under a lock). Thousands of small
/// files cost a build more to write, and the next one to sweep and open, than one file.
final class PackWriter: @unchecked Sendable {
    /// The name the pack takes in `packs/` when the build saves.
    let name: String
    let url: URL
    private let lock = NSLock()
    private var descriptor: Int32 = -1
    private(set) var size = 0
    private var failed = false

    init(name: String, url: URL) {
        self.name = name
        self.url = url
    }

    /// Appends `data`; its location, or nil when the pack cannot be written.
    func append(_ data: Data) -> ObjectLocation? {
        lock.lock()
        defer { lock.unlock() }
        guard !failed else { return nil }
        if descriptor < 0 {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            descriptor = open(url.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { failed = true; return nil }
        }
        let offset = size
        let written = data.withUnsafeBytes { buffer -> Bool in
            var done = 0
            while done < buffer.count {
                let count = pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        guard written else { failed = true; return nil }
        size += data.count
        return ObjectLocation(pack: name, offset: offset, length: data.count, crc: ObjectChecksum.of(data))
    }

    /// Bytes this build wrote, read back (the file is its own: nothing else writes it).
    func read(_ location: ObjectLocation) -> Data? {
        lock.lock()
        let descriptor = self.descriptor
        lock.unlock()
        guard descriptor >= 0 else { return nil }
        return PackReader.read(descriptor, location)
    }

    var isEmpty: Bool {
        lock.lock()
        defer { lock.unlock() }
        return size == 0
    }

    var hasFailed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }

    /// Flushes nothing (the outputs are what must be durable; a lost pack costs a cold build)
    /// and closes the file.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }

    deinit { close() }
}

/// Reads objects from the packs of the last builds. A pack is opened once per build; it is
/// trusted when it is still the file the manifest recorded (size, nanosecond time and inode:
/// any write changes them), and then an object's CRC-32 is its only check; otherwise every
/// object read from it is checked against its name, its SHA-256.
final class PackReader: @unchecked Sendable {
    let folder: URL
    private let identities: [String: FileIdentity]
    private let lock = NSLock()
    private var opened: [String: (descriptor: Int32, trusted: Bool, size: Int)?] = [:]

    init(folder: URL, identities: [String: FileIdentity]) {
        self.folder = folder
        self.identities = identities
    }

    private func pack(_ name: String) -> (descriptor: Int32, trusted: Bool, size: Int)? {
        lock.lock()
        defer { lock.unlock() }
        if let known = opened[name] { return known }
        var result: (descriptor: Int32, trusted: Bool, size: Int)?
        // A name the manifest could not have written (a damaged manifest passed its checksum
        // only if it is the manifest a build wrote) never leaves the folder.
        if !name.contains("/"), !name.hasPrefix(".") {
            let descriptor = open(folder.appendingPathComponent(name).path, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                let identity = FileIdentity(descriptor: descriptor)
                if let identity {
                    result = (descriptor, identity == identities[name], Int(identity.size))
                } else {
                    _ = Glibc.close(descriptor)
                }
            }
        }
        opened[name] = .some(result)
        return result
    }

    /// Whether the pack is there and holds the object's bytes (without reading them).
    func holds(_ location: ObjectLocation) -> Bool { pack(holding: location) != nil }

    /// The open pack `location` lies inside; with `trusted`, only when the pack is the file
    /// the manifest recorded.
    private func pack(holding location: ObjectLocation, trusted: Bool = false) -> (descriptor: Int32, trusted: Bool, size: Int)? {
        guard let pack = pack(location.pack), !trusted || pack.trusted, location.offset >= 0, location.length >= 0,
              location.offset + location.length <= pack.size else { return nil }
        return pack
    }

    /// Whether the pack is the file the manifest recorded.
    func isTrusted(_ name: String) -> Bool { pack(name)?.trusted ?? false }

    /// The object `name` at `location`, checked; nil when it is missing or damaged.
    func object(_ name: String, at location: ObjectLocation) -> Data? {
        guard let pack = pack(holding: location), let data = Self.read(pack.descriptor, location) else { return nil }
        if !pack.trusted, ContentHash.of(data) != name { return nil }
        return data
    }

    /// The object as text, read into the string's own storage (a trusted pack only: nil
    /// otherwise, and when missing or damaged, and the caller reads it as data).
    func text(_ name: String, at location: ObjectLocation) -> String? {
        guard location.length > 0, let pack = pack(holding: location, trusted: true) else { return nil }
        var intact = false
        let text = String(unsafeUninitializedCapacity: location.length) { buffer in
            intact = Self.fill(buffer.baseAddress!, count: location.length, from: pack.descriptor, at: location.offset)
                && libdeflate_crc32(0, buffer.baseAddress!, location.length) == location.crc
            return intact ? location.length : 0
        }
        return intact ? text : nil
    }

    /// Reads the object at `location` into `buffer` (room for its length) and checks its
    /// CRC-32 (a trusted pack only: false otherwise, and when missing or damaged).
    func read(_ location: ObjectLocation, into buffer: UnsafeMutableRawPointer) -> Bool {
        guard let pack = pack(holding: location, trusted: true),
              Self.fill(buffer, count: location.length, from: pack.descriptor, at: location.offset) else { return false }
        return libdeflate_crc32(0, buffer, location.length) == location.crc
    }

    /// The first line of the object at `location` (a trusted pack only), once the whole object
    /// has been read, through a buffer let go of at once, and its CRC-32 checked; nil when it is
    /// missing or damaged, or when its first line is longer than `limit`.
    func firstLine(at location: ObjectLocation, limit: Int = 4096) -> Data? {
        guard location.length > 0, let buffer = malloc(location.length) else { return nil }
        defer { free(buffer) }
        guard read(location, into: buffer) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: min(location.length, limit))
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        return Data(bytes[..<newline])
    }

    /// The object at `location`, its CRC-32 checked (a trusted pack only; nil otherwise, and
    /// when missing or damaged).
    func read(_ location: ObjectLocation) -> Data? {
        guard let pack = pack(holding: location, trusted: true) else { return nil }
        return Self.read(pack.descriptor, location)
    }

    /// Reads `count` bytes at `offset` into `buffer`; false when the file ends first.
    private static func fill(_ buffer: UnsafeMutableRawPointer, count: Int, from descriptor: Int32, at offset: Int) -> Bool {
        var done = 0
        while done < count {
            let read = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { return false }
            done += read
        }
        return true
    }

    /// Reads `location`'s bytes and checks their CRC-32.
    static func read(_ descriptor: Int32, _ location: ObjectLocation) -> Data? {
        guard location.length >= 0, location.offset >= 0 else { return nil }
        // Not Data(count:), which fills with zeros the bytes about to be read.
        guard let buffer = malloc(max(location.length, 1)) else { return nil }
        guard fill(buffer, count: location.length, from: descriptor, at: location.offset),
              libdeflate_crc32(0, buffer, location.length) == location.crc else { free(buffer); return nil }
        return Data(bytesNoCopy: buffer, count: location.length, deallocator: .free)
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        for case let pack? in opened.values { _ = Glibc.close(pack.descriptor) }
        opened = [:]
    }

    deinit { close() }
}
