import Foundation

/// A stylesheet of the styles folder as an output publishes it: its text and the files it
/// names with `url()` and `@import` (fonts, images, other stylesheets), which travel with it.
/// Each file keeps its path relative to the styles folder beside the stylesheet in every
/// output (EPUB/css/, DIR/print/, the site's root), so the addresses the editor wrote find
/// it there as they find it in the styles folder; no stylesheet is rewritten.
public struct Stylesheet: Sendable {
    /// The output a stylesheet is read for: the EPUB may hold only files of EPUB's core media
    /// types; the print edition (WeasyPrint) and the web edition (a browser) take any file.
    public enum Output: Sendable {
        case epub, print, web
    }

    /// A file of the styles folder that the stylesheet, or a stylesheet it imports, names.
    public struct File: Hashable, Sendable {
        /// Its path relative to the styles folder, made standard (`fonts/Text.woff2`): where
        /// it goes beside the stylesheet in an output.
        public var path: String
        public var data: Data
        /// Its EPUB core media type (by extension; `text/css` for an @import-ed stylesheet),
        /// nil when it has none. Never nil in a stylesheet loaded for the EPUB.
        public var mediaType: String?
        /// Where a stylesheet first names it: diagnostics about its copy point there.
        public var place: SourceLocation
    }

    public var text: String
    /// Every file named, each once, in the order first named: an @import-ed stylesheet
    /// before the files it names in turn. The same order on every build.
    public var files: [File] = []

    /// What stands for the stylesheet where its effect on a layout is keyed (the page map
    /// cache): its text and each file's path and content hash; the text alone when it names
    /// no file, as before stylesheets' files were published.
    public var fingerprint: String {
        guard !files.isEmpty else { return text }
        return ContentHash.of(parts: [text] + files.flatMap { [$0.path, ContentHash.of($0.data)] })
    }

    /// EPUB 3.3's core media types that a stylesheet can use, by extension: fonts, images
    /// and stylesheets (audio, scripts and documents are nothing CSS loads).
    static let coreMediaTypes: [String: String] = [
        "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf", "otf": "font/otf",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "svg": "image/svg+xml", "webp": "image/webp", "css": "text/css",
    ]

    /// The core media type of a file named by `url()`, by its extension.
    static func coreMediaType(ofFile path: String) -> String? {
        coreMediaTypes[(path as NSString).pathExtension.lowercased()]
    }
}

/// A stylesheet's file that would take the place of an output's own file beside the
/// stylesheet (the print edition's images, the site's pages): an error at the place the
/// stylesheet names it, since one of the two would be lost.
enum StyleFileClash {
    /// The problems of `files` published into `folder` (`dist/print/`, the site's root),
    /// where the output itself writes `taken` (paths relative to the folder).
    static func find(_ files: [Stylesheet.File], taken: [String], in output: String, folder: String) -> [Diagnostic] {
        let taken = Set(taken)
        return files.filter { taken.contains($0.path) }.map { file in
            .error(.outputFailed, "the stylesheet's file '\(file.path)' would take the place of \(output)'s own \(folder)\(file.path)",
                   at: file.place, hint: "rename the file in the styles folder (or move it into a folder of its own) and its address")
        }
    }
}
