import Foundation

/// Checks an image file the book names (an article's image or the cover): inside the book
/// folder, a regular file, its content the format its extension claims (magic bytes; an SVG
/// parsed and refused when it carries a script or a foreign reference).
enum ImageFiles {
    /// The formats of EPUB 3's core media types by extension.
    enum Format: String {
        case png = "PNG", jpeg = "JPEG", gif = "GIF", webp = "WebP", svg = "SVG"

        init?(extension ext: String) {
            switch ext.lowercased() {
            case "png": self = .png
            case "jpg", "jpeg": self = .jpeg
            case "gif": self = .gif
            case "webp": self = .webp
            case "svg": self = .svg
            default: return nil
            }
        }

        /// The raster format whose signature starts `data`.
        init?(magic data: Data) {
            let bytes = [UInt8](data.prefix(12))
            func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }
            if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
            else if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg }
            else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { self = .gif }
            else if bytes.count >= 12, starts(Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) { self = .webp }
            else { return nil }
        }
    }

    /// The problems of the image file `file` named as `source` at `location`; `what` says how
    /// the message names it ("image", "cover image"). Only files that exist are checked for
    /// content; a missing one gets `missing`.
    static func check(_ file: URL, source: String, root: URL, what: String, missing: DiagnosticCode,
                      at location: SourceLocation?) -> [Diagnostic] {
        // A NUL (written as %00) would cut the name short in every system call.
        if (source.removingPercentEncoding ?? source).utf8.contains(0) || file.path.utf8.contains(0) {
            return [BookFiles.diagnostic(.nulInName, name: source, what: what, folder: "the book folder",
                                         missing: missing, at: location)]
        }
        let data: Data
        switch BookFiles.read(file.path, inside: root.path) {
        case .failure(let problem):
            return [BookFiles.diagnostic(problem, name: source, what: what, folder: "the book folder",
                                         missing: missing, at: location)]
        case .success(let read):
            data = read
        }
        guard let claimed = Format(extension: file.pathExtension) else {
            return [.error(.imageFormat, "\(what) '\(source)' is not in a format EPUB supports",
                           at: location, hint: "convert it to JPEG, PNG, GIF, WebP or SVG")]
        }
        if claimed == .svg {
            if let found = Format(magic: data) {
                return [.error(.imageContent, "\(what) '\(source)' is named .svg but is a \(found.rawValue) image", at: location,
                               hint: "give it the extension of its format")]
            }
            if let problem = SVGCheck.problem(in: data) {
                return [.error(.imageUnsafe, "SVG \(what) '\(source)' is refused: \(problem)", at: location,
                               hint: "save the drawing without scripts, event handlers or links to other files (Inkscape: Save as Plain SVG)")]
            }
            return []
        }
        let found = Format(magic: data)
        guard found == claimed else {
            let actual = found.map { "a \($0.rawValue) image" }
                ?? (SVGCheck.problem(in: data) == nil ? "an SVG image" : "not an image at all")
            return [.error(.imageContent, "\(what) '\(source)' is named as a \(claimed.rawValue) image but is \(actual)",
                           at: location, hint: "replace it with the real image, or give it the extension of its format")]
        }
        return []
    }
}
