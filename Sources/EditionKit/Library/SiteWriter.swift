import Foundation

/// Writes the site's files so that a file whose bytes are already in place is not touched
/// (neither its content nor its modification time), and so that nothing is half-written: the
/// changed files go through an `OutputSet`, which stages them in the site folder and renames
/// them all into place, or none (holding the folder's lock, as a build does).
public struct SiteWriter {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    public struct Result: Sendable {
        /// Site paths written because they were new or different.
        public var written: [String] = []
        /// Site paths whose bytes were already in place.
        public var unchanged: [String] = []
        /// Site paths a previous publish wrote that this one no longer has, removed.
        public var removed: [String] = []
    }

    /// The list of the files the last publish wrote, kept in the site so that files that are
    /// no longer produced (a renamed article) can be removed, and nothing else.
    public static let manifestName = ".edition-site"

    public func write(_ files: [SiteFile]) throws -> Result {
        var result = Result()
        let manager = FileManager.default
        let outputs = try OutputSet(root: folder)
        let manifest = folder.appendingPathComponent(Self.manifestName)
        // Read under the lock, before this publish replaces it.
        let previous = (try? String(contentsOf: manifest, encoding: .utf8)) ?? ""
        do {
            for file in files {
                if let existing = manager.contents(atPath: folder.appendingPathComponent(file.path).path), existing == file.data {
                    result.unchanged.append(file.path)
                    continue
                }
                try outputs.write(file.data, to: file.path)
                result.written.append(file.path)
            }
            let listing = Data((files.map(\.path).sorted().joined(separator: "\n") + "\n").utf8)
            if manager.contents(atPath: manifest.path) != listing { try outputs.write(listing, to: Self.manifestName) }
            try outputs.commit()
        } catch {
            outputs.discard()
            throw error
        }
        // Files the previous publish wrote and this one did not.
        let paths = Set(files.map(\.path))
        for path in previous.split(separator: "\n").map(String.init) where !paths.contains(path) && !path.isEmpty {
            let url = folder.appendingPathComponent(path)
            if manager.fileExists(atPath: url.path) {
                try? manager.removeItem(at: url)
                result.removed.append(path)
            }
        }
        return result
    }
}
