import Foundation

/// Writes the site's files so that a file whose bytes are already in place is not touched
/// (neither its content nor its modification time), and so that nothing is half-written: every
/// changed file is written beside its destination first, then all are renamed into place.
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
        var staged: [(temporary: URL, destination: URL)] = []
        let manager = FileManager.default
        do {
            for file in files {
                let destination = folder.appendingPathComponent(file.path)
                if let existing = manager.contents(atPath: destination.path), existing == file.data {
                    result.unchanged.append(file.path)
                    continue
                }
                let parent = destination.deletingLastPathComponent()
                try manager.createDirectory(at: parent, withIntermediateDirectories: true)
                let temporary = parent.appendingPathComponent(".\(destination.lastPathComponent).tmp-\(getpid())")
                try file.data.write(to: temporary)
                staged.append((temporary, destination))
                result.written.append(file.path)
            }
        } catch {
            for item in staged { try? manager.removeItem(at: item.temporary) }
            throw error
        }
        for item in staged {
            guard rename(item.temporary.path, item.destination.path) == 0 else {
                let message = String(cString: strerror(errno))
                for rest in staged { try? manager.removeItem(at: rest.temporary) }
                throw BuildFailure([.error(.outputFailed, "cannot move \(item.temporary.path) into place: \(message)",
                                           at: SourceLocation(file: item.destination.relativePath, line: 1))])
            }
        }
        // Files the previous publish wrote and this one did not.
        let manifest = folder.appendingPathComponent(Self.manifestName)
        let paths = Set(files.map(\.path))
        if let previous = try? String(contentsOf: manifest, encoding: .utf8) {
            for path in previous.split(separator: "\n").map(String.init) where !paths.contains(path) && !path.isEmpty {
                let url = folder.appendingPathComponent(path)
                if manager.fileExists(atPath: url.path) {
                    try? manager.removeItem(at: url)
                    result.removed.append(path)
                }
            }
        }
        let listing = Data((files.map(\.path).sorted().joined(separator: "\n") + "\n").utf8)
        if manager.contents(atPath: manifest.path) != listing {
            try AtomicFile.write(listing, to: manifest)
        }
        return result
    }
}
