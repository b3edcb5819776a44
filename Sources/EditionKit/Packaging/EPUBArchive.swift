import CLibZip
import Foundation

/// Writes an EPUB container with libzip: `mimetype` first and stored, every other entry
/// deflated, every entry stamped with the build date and fixed attributes, so that the same
/// input gives the same bytes. The archive is written beside its destination and renamed into
/// place only when complete: a failed build leaves the previous EPUB as it was.
public enum EPUBArchive {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Entries of a previous archive to copy as they are, compressed bytes and all, instead of
    /// deflating their data again: the caller knows (from content hashes) that their
    /// uncompressed bytes are the new ones.
    public struct Reuse {
        public var previous: URL
        public var entries: Set<String>
        public init(previous: URL, entries: Set<String>) {
            self.previous = previous
            self.entries = entries
        }
    }

    /// Writes the archive; returns how many entries were copied from `reusing`'s archive.
    @discardableResult
    public static func write(_ files: [EPUBFile], to destination: URL, date: BuildDate, reusing: Reuse? = nil) throws -> Int {
        var copied = 0
        try AtomicFile.write(to: destination) { temporary in
            copied = try writeArchive(files, at: temporary, date: date, reusing: reusing)
        }
        return copied
    }

    private static func writeArchive(_ files: [EPUBFile], at url: URL, date: BuildDate, reusing: Reuse?) throws -> Int {
        // The previous archive stays open until the new one is closed: libzip copies from it then.
        var previous: OpaquePointer?
        if let reusing, !reusing.entries.isEmpty {
            var code: Int32 = 0
            previous = zip_open(reusing.previous.path, ZIP_RDONLY | ZIP_CHECKCONS, &code)
        }
        defer { if let previous { zip_discard(previous) } }
        var copied = 0
        var errorCode: Int32 = 0
        let ordered = files.sorted { lhs, rhs in
            (lhs.path == "mimetype" ? 0 : 1, lhs.path) < (rhs.path == "mimetype" ? 0 : 1, rhs.path)
        }
        // Entries copied compressed from the previous archive, and the others' bytes deflated
        // on every core, before libzip writes them one after another.
        var sources: [(source: OpaquePointer, method: Int32)?] = Array(repeating: nil, count: ordered.count)
        guard let archive = zip_open(url.path, ZIP_CREATE | ZIP_TRUNCATE, &errorCode) else {
            var error = zip_error_t()
            zip_error_init_with_code(&error, errorCode)
            defer { zip_error_fini(&error) }
            throw Failure(description: "cannot create \(url.path): \(String(cString: zip_error_strerror(&error)))")
        }
        func fail(_ what: String) -> Failure {
            let message = String(cString: zip_strerror(archive))
            for case let (source, _)? in sources { zip_source_free(source) }
            sources = []
            zip_discard(archive)
            return Failure(description: "\(what): \(message)")
        }
        if let previous, let reusing {
            for (index, file) in ordered.enumerated() where file.path != "mimetype" && reusing.entries.contains(file.path) {
                let method = method(of: file)
                if let source = compressedSource(file, method: method, from: previous, into: archive) {
                    sources[index] = (source, method)
                    copied += 1
                }
            }
        }
        let deflated = Deflate.compress(ordered.indices.filter { sources[$0] == nil && method(of: ordered[$0]) == ZIP_CM_DEFLATE }
                                            .map { ordered[$0].data })
        var next = 0
        for index in ordered.indices where sources[index] == nil && method(of: ordered[index]) == ZIP_CM_DEFLATE {
            defer { next += 1 }
            // nil: deflate did not make it smaller; stored below.
            guard let compressed = deflated[next] else { continue }
            guard let source = compressed.source(in: archive) else { throw fail("cannot add \(ordered[index].path)") }
            sources[index] = (source, ZIP_CM_DEFLATE)
        }
        let (dosTime, dosDate) = date.dosTimeAndDate
        for (position, file) in ordered.enumerated() {
            let source: OpaquePointer, method: Int32
            if let prepared = sources[position] {
                (source, method) = prepared
                sources[position] = nil
            } else {
                // Stored as it is (mimetype, images, what deflate does not shrink): libzip
                // reads the data only at zip_close, so it gets a copy it frees itself.
                let count = file.data.count
                let buffer = malloc(max(count, 1))!
                file.data.copyBytes(to: buffer.assumingMemoryBound(to: UInt8.self), count: count)
                guard let made = zip_source_buffer(archive, buffer, zip_uint64_t(count), 1) else {
                    free(buffer)
                    throw fail("cannot add \(file.path)")
                }
                (source, method) = (made, ZIP_CM_STORE)
            }
            let index = zip_file_add(archive, file.path, source, zip_flags_t(ZIP_FL_ENC_UTF_8))
            guard index >= 0 else {
                zip_source_free(source)
                throw fail("cannot add \(file.path)")
            }
            let index64 = zip_uint64_t(index)
            guard zip_set_file_compression(archive, index64, method, 0) == 0,
                  zip_file_set_dostime(archive, index64, dosTime, dosDate, 0) == 0,
                  zip_file_set_external_attributes(archive, index64, 0, zip_uint8_t(ZIP_OPSYS_UNIX),
                                                   zip_uint32_t(0o100644) << 16) == 0
            else { throw fail("cannot set the attributes of \(file.path)") }
        }
        guard zip_close(archive) == 0 else { throw fail("cannot write \(url.path)") }
        return copied
    }

    /// How an entry is packaged: `mimetype`, raster images and WOFF fonts stored (JPEG, PNG
    /// and WOFF are compressed already: deflating them again costs time for next to nothing),
    /// the rest deflated.
    static func method(of file: EPUBFile) -> Int32 {
        if file.path == "mimetype" { return ZIP_CM_STORE }
        if file.mediaType.hasPrefix("image/"), !file.mediaType.contains("svg") { return ZIP_CM_STORE }
        if file.mediaType == "font/woff" || file.mediaType == "font/woff2" { return ZIP_CM_STORE }
        return ZIP_CM_DEFLATE
    }

    /// A source that copies `file`'s entry of `previous` without decompressing it, when that
    /// entry has the same name, size and compression method; nil otherwise (it is deflated anew).
    private static func compressedSource(_ file: EPUBFile, method: Int32, from previous: OpaquePointer,
                                         into archive: OpaquePointer) -> OpaquePointer? {
        let index = zip_name_locate(previous, file.path, zip_flags_t(ZIP_FL_ENC_RAW))
        guard index >= 0 else { return nil }
        var info = zip_stat_t()
        zip_stat_init(&info)
        guard zip_stat_index(previous, zip_uint64_t(index), 0, &info) == 0,
              info.valid & zip_uint64_t(ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD) == zip_uint64_t(ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD),
              info.size == zip_uint64_t(file.byteCount), Int32(info.comp_method) == method
        else { return nil }
        return zip_source_zip(archive, previous, zip_uint64_t(index), zip_flags_t(ZIP_FL_COMPRESSED), 0, -1)
    }
}

/// Writes a file beside its destination and renames it into place once complete.
public enum AtomicFile {
    public static func write(to destination: URL, _ produce: (URL) throws -> Void) throws {
        let folder = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())")
        try? FileManager.default.removeItem(at: temporary)
        do {
            try produce(temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw EPUBArchive.Failure(description: "cannot move \(temporary.path) to \(destination.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    public static func write(_ data: Data, to destination: URL) throws {
        try write(to: destination) { try data.write(to: $0) }
    }
}
