import Crypto
import Foundation

/// The page map of the last PDF built from the same print inputs, for builds without --pdf:
/// `DIR/.edition-page-maps/<key>.json`, the key a SHA-256 of what decides the pagination (the
/// print HTML, print.css, the installed fonts' files, the WeasyPrint that lays the pages out,
/// its version and where it is installed, and the driver's source, which fixes its layout and
/// reads the pages).
/// A build whose inputs differ finds no map, so the EPUB gets no page list rather than a
/// stale one. Deleting the folder is always safe.
struct PageMapCache {
    static let folderName = ".edition-page-maps"
    /// Where fontconfig finds the faces WeasyPrint can use.
    static let fontFolders = ["/usr/share/fonts", "/usr/local/share/fonts",
                              NSHomeDirectory() + "/.fonts", NSHomeDirectory() + "/.local/share/fonts"]

    let folder: URL
    let key: String

    init(output: URL, printHTML: String, stylesheet: String, weasyPrint: String, driver: String = WeasyPrintDriver.source,
         fontFolders: [String] = PageMapCache.fontFolders) {
        folder = output.appendingPathComponent(Self.folderName, isDirectory: true)
        var hasher = SHA256()
        for part in [printHTML, stylesheet, weasyPrint, driver, Self.fontInventory(fontFolders)] {
            let bytes = Data(part.utf8)
            hasher.update(data: Data("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        key = hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    var file: URL { folder.appendingPathComponent("\(key).json") }

    /// Whether `output` holds any map: when it does not, no key need be computed.
    static func hasMaps(in output: URL) -> Bool {
        let folder = output.appendingPathComponent(folderName, isDirectory: true)
        return !((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty
    }

    /// The map stored under this key, if any (and readable).
    func load() -> PageMap? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return try? PageMap.decode(data)
    }

    /// Keeps `map` as the only one: the maps of other inputs can never be used again.
    func store(_ map: PageMap) {
        guard let data = try? map.encoded() else { return }
        let files = FileManager.default
        if let old = try? files.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            for entry in old where entry.lastPathComponent != file.lastPathComponent { try? files.removeItem(at: entry) }
        }
        // A cache that cannot be written costs the next EPUB-only build its page list, never this build.
        try? files.createDirectory(at: folder, withIntermediateDirectories: true)
        try? AtomicFile.write(data, to: file)
    }

    /// Every font file's path, size and modification time, sorted: a face added, removed or
    /// replaced changes the key.
    static func fontInventory(_ folders: [String]) -> String {
        var lines: [String] = []
        let files = FileManager.default
        for folder in folders {
            guard let walker = files.enumerator(at: URL(fileURLWithPath: folder),
                                                includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey])
            else { continue }
            for case let url as URL in walker {
                guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]),
                      values.isRegularFile == true else { continue }
                lines.append("\(url.path)\t\(values.fileSize ?? 0)\t\(values.contentModificationDate?.timeIntervalSince1970 ?? 0)")
            }
        }
        return lines.sorted().joined(separator: "\n")
    }
}
