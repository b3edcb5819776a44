import CLibDeflate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The print HTML as the pieces it is put together from, in order: the page's own markup,
/// the articles rendered by this build, and the articles a warm build reuses, which stay in
/// the cache's pack until the document is written. Those are copied from the pack to the
/// output through one small buffer, their CRC-32 checked on the way: never turned into a
/// Swift string (their bytes were valid UTF-8 when they were rendered), never all in memory
/// at once. At ×100 the page is 55 MB, and a one-word edit reuses all but one article.
public struct PrintDocument: Sendable {
    public enum Piece: Sendable {
        case text(String)
        /// An article's bytes in a pack (`BuildCache.storedText`); `fallback` renders them
        /// again when they are missing or damaged by the time they are read.
        case stored(StoredBytes)
    }

    /// Bytes of a pack object, read when the document is written.
    public struct StoredBytes: Sendable {
        let read: @Sendable (UnsafeMutableRawPointer) -> Bool
        let length: Int
        let fallback: @Sendable () -> Data
    }

    private(set) var pieces: [Piece] = []

    public init() {}

    /// A document of one string.
    public init(text: String) { pieces = [.text(text)] }

    mutating func append(_ markup: String) {
        guard !markup.isEmpty else { return }
        pieces.append(.text(markup))
    }

    mutating func append(_ piece: Piece) { pieces.append(piece) }

    /// Hands the document's bytes to `emit` in order, in pieces (a reused article's through
    /// `buffer`, grown to hold the largest).
    private func forEachChunk(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer: UnsafeMutableRawPointer?
        var capacity = 0
        defer { free(buffer) }
        for piece in pieces {
            switch piece {
            case .text(var text):
                try text.withUTF8 { try emit(UnsafeRawBufferPointer($0)) }
            case .stored(let stored):
                if stored.length > capacity {
                    free(buffer)
                    capacity = max(stored.length, 1 << 20)
                    buffer = malloc(capacity)
                }
                guard let buffer else { throw CocoaError(.fileWriteOutOfSpace) }
                if stored.read(buffer) {
                    try emit(UnsafeRawBufferPointer(start: buffer, count: stored.length))
                } else {
                    try stored.fallback().withUnsafeBytes { try emit($0) }
                }
            }
        }
    }

    /// Writes the document to `url` (created or truncated), through a 1 MiB buffer.
    func write(to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputSet.OutputError.system(errno, url) }
        defer { close(descriptor) }
        let capacity = 1 << 20
        let pending = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { pending.deallocate() }
        var used = 0
        func flush(_ bytes: UnsafeRawBufferPointer) throws {
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw OutputSet.OutputError.system(errno, url)
                }
                offset += count
            }
        }
        try forEachChunk { bytes in
            guard bytes.count > 0 else { return }
            if used + bytes.count > capacity {
                try flush(UnsafeRawBufferPointer(start: pending, count: used))
                used = 0
            }
            if bytes.count >= capacity {
                try flush(bytes)
            } else {
                memcpy(pending + used, bytes.baseAddress!, bytes.count)
                used += bytes.count
            }
        }
        try flush(UnsafeRawBufferPointer(start: pending, count: used))
    }

    /// The whole document as one string (for the page map's key and the EPUB's page list,
    /// which only builds with a PDF or a page map of one need).
    public var text: String {
        if pieces.count == 1, case .text(let text) = pieces[0] { return text }
        var bytes: [UInt8] = []
        try? forEachChunk { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
