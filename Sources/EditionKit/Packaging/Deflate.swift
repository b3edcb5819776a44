import CLibDeflate
import CLibZip
import Foundation

/// Raw deflate with libdeflate (Debian `libdeflate-dev`), for the EPUB's entries: the entries
/// are independent, so they are compressed on every core, each in one call, and handed to
/// libzip as data already compressed (`Compressed.source(in:)`), which it writes as it is.
/// The same bytes in always give the same bytes out.
enum Deflate {
    /// The compression level (libdeflate's 1–12): 4, which makes the EPUB as small as `zip -6`
    /// (Info-ZIP, zlib's default level) makes it. On ×100's 1,213 entries (54 MB): level 4
    /// gives 15.37 MB in 0.42 s of CPU, level 6 15.01 MB in 0.63 s, level 1 16.15 MB in
    /// 0.21 s, `zip -6` 15.34 MB in 1.52 s. Level 6 cost half as much again for 2% off the
    /// size, in every clean build and for every article changed.
    static let level: Int32 = 4

    /// Deflated bytes, their CRC-32 and size before compression; freed with the last
    /// reference (the libzip source made from them holds one until libzip frees it).
    final class Compressed: @unchecked Sendable {
        let bytes: UnsafeMutableRawPointer
        let count: Int
        let uncompressedCount: Int
        let crc: UInt32
        fileprivate var position = 0

        init(bytes: UnsafeMutableRawPointer, count: Int, uncompressedCount: Int, crc: UInt32) {
            self.bytes = bytes
            self.count = count
            self.uncompressedCount = uncompressedCount
            self.crc = crc
        }

        deinit { free(bytes) }

        /// A libzip source that gives the compressed bytes as an entry deflated already, with
        /// its CRC and sizes; nil when libzip cannot make one. The source owns this object.
        func source(in archive: OpaquePointer) -> OpaquePointer? {
            let owner = Unmanaged.passRetained(self)
            guard let source = zip_source_function(archive, Deflate.callback, owner.toOpaque()) else {
                owner.release()
                return nil
            }
            return source
        }
    }

    /// Each of `items` deflated, in order, on every core; nil for an item deflate does not
    /// make smaller (stored instead).
    static func compress(_ items: [Data]) -> [Compressed?] {
        guard !items.isEmpty else { return [] }
        // One compressor per batch: libdeflate's compressor is large and not shared by threads.
        let batches = min(items.count, max(1, ProcessInfo.processInfo.activeProcessorCount * 4))
        let ranges = (0..<batches).map { batch in
            (items.count * batch / batches)..<(items.count * (batch + 1) / batches)
        }
        let results = (try? Parallel.map(ranges) { range -> [Compressed?] in
            guard let compressor = libdeflate_alloc_compressor(level) else { return range.map { _ in nil } }
            defer { libdeflate_free_compressor(compressor) }
            return range.map { compress(items[$0], with: compressor) }
        }) ?? []
        return results.flatMap { $0 }
    }

    private static func compress(_ data: Data, with compressor: OpaquePointer) -> Compressed? {
        data.withUnsafeBytes { input -> Compressed? in
            guard let base = input.baseAddress, input.count > 0 else { return nil }
            // Only a result smaller than the input is worth keeping.
            let limit = input.count - 1
            guard limit > 0, let output = malloc(limit) else { return nil }
            let size = libdeflate_deflate_compress(compressor, base, input.count, output, limit)
            guard size > 0 else {
                free(output)
                return nil
            }
            let crc = libdeflate_crc32(0, base, input.count)
            // The buffer was as large as the input: give back what the compressed bytes do not use.
            let kept = realloc(output, size) ?? output
            return Compressed(bytes: kept, count: size, uncompressedCount: input.count, crc: crc)
        }
    }

    /// The libzip source callback for a `Compressed`.
    private static let callback: zip_source_callback = { userdata, data, length, command in
        guard let userdata else { return -1 }
        let compressed = Unmanaged<Compressed>.fromOpaque(userdata).takeUnretainedValue()
        switch command {
        case ZIP_SOURCE_OPEN:
            compressed.position = 0
            return 0
        case ZIP_SOURCE_READ:
            guard let data else { return -1 }
            let count = min(Int(length), compressed.count - compressed.position)
            memcpy(data, compressed.bytes + compressed.position, count)
            compressed.position += count
            return zip_int64_t(count)
        case ZIP_SOURCE_CLOSE:
            return 0
        case ZIP_SOURCE_STAT:
            guard let data, length >= zip_uint64_t(MemoryLayout<zip_stat_t>.size) else { return -1 }
            let stat = data.assumingMemoryBound(to: zip_stat_t.self)
            zip_stat_init(stat)
            stat.pointee.valid = zip_uint64_t(ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC
                                              | ZIP_STAT_ENCRYPTION_METHOD)
            stat.pointee.size = zip_uint64_t(compressed.uncompressedCount)
            stat.pointee.comp_size = zip_uint64_t(compressed.count)
            stat.pointee.comp_method = zip_uint16_t(ZIP_CM_DEFLATE)
            stat.pointee.encryption_method = zip_uint16_t(ZIP_EM_NONE)
            stat.pointee.crc = compressed.crc
            return zip_int64_t(MemoryLayout<zip_stat_t>.size)
        case ZIP_SOURCE_ERROR:
            // Never set: reading memory does not fail.
            guard let data, length >= zip_uint64_t(2 * MemoryLayout<Int32>.size) else { return -1 }
            data.assumingMemoryBound(to: Int32.self).initialize(repeating: 0, count: 2)
            return zip_int64_t(2 * MemoryLayout<Int32>.size)
        case ZIP_SOURCE_FREE:
            Unmanaged<Compressed>.fromOpaque(userdata).release()
            return 0
        case ZIP_SOURCE_SUPPORTS:
            let commands = [ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
                            ZIP_SOURCE_FREE, ZIP_SOURCE_SUPPORTS]
            return commands.reduce(zip_int64_t(0)) { $0 | (zip_int64_t(1) << zip_int64_t($1.rawValue)) }
        default:
            return -1
        }
    }
}
