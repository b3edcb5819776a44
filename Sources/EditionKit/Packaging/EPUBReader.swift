import CLibZip
import Foundation

/// Reads an EPUB (any zip) back: its entries in archive order, with their compression method
/// and contents. Used by the tests and by checks that compare outputs.
public struct EPUBReader {
    public struct Entry: Sendable {
        public var name: String
        public var isStored: Bool
        public var data: Data
        public var text: String { String(decoding: data, as: UTF8.self) }
    }

    public let entries: [Entry]

    public init(url: URL) throws {
        var errorCode: Int32 = 0
        guard let archive = zip_open(url.path, ZIP_RDONLY, &errorCode) else {
            throw EPUBArchive.Failure(description: "cannot open \(url.path) (libzip error \(errorCode))")
        }
        defer { zip_discard(archive) }
        var entries: [Entry] = []
        let count = zip_get_num_entries(archive, 0)
        for index in 0..<zip_uint64_t(max(count, 0)) {
            var stat = zip_stat_t()
            zip_stat_init(&stat)
            guard zip_stat_index(archive, index, 0, &stat) == 0, let name = stat.name,
                  let file = zip_fopen_index(archive, index, 0) else {
                throw EPUBArchive.Failure(description: "cannot read entry \(index) of \(url.path)")
            }
            defer { zip_fclose(file) }
            var data = Data(count: Int(stat.size))
            let read = data.withUnsafeMutableBytes { zip_fread(file, $0.baseAddress, stat.size) }
            guard read == Int64(stat.size) else {
                throw EPUBArchive.Failure(description: "short read of \(String(cString: name)) in \(url.path)")
            }
            entries.append(Entry(name: String(cString: name), isStored: stat.comp_method == ZIP_CM_STORE, data: data))
        }
        self.entries = entries
    }

    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }

    /// The content documents, in spine order, read from the package document.
    public var spineDocuments: [Entry] {
        guard let package = self["EPUB/package.opf"]?.text else { return [] }
        var hrefs: [String: String] = [:]
        for match in package.matches(of: /<item id="([^"]+)" href="([^"]+)"/) {
            hrefs[String(match.1)] = String(match.2)
        }
        return package.matches(of: /<itemref idref="([^"]+)"/).compactMap { match in
            hrefs[String(match.1)].flatMap { self["EPUB/" + $0] }
        }
    }
}
