import Foundation

/// One file of the EPUB container, before it is packaged.
public struct EPUBFile: Hashable, Sendable {
    /// Its path inside the container, under `EPUB/` (`EPUB/text/bolivia-1952.xhtml`).
    public var path: String
    public var mediaType: String
    public var data: Data
    /// Manifest properties (`nav`, `cover-image`, `svg`…).
    public var properties: [String] = []
    /// Whether it is in the spine, and how.
    public var spine: SpineEntry? = nil
    /// Whether libxml2 must parse it back before it is packaged.
    public var isXML: Bool { mediaType.hasSuffix("xml") || mediaType == "application/x-dtbncx+xml" }

    public enum SpineEntry: Hashable, Sendable { case linear, nonLinear }

    public init(path: String, mediaType: String, data: Data, properties: [String] = [], spine: SpineEntry? = nil) {
        self.path = path
        self.mediaType = mediaType
        self.data = data
        self.properties = properties
        self.spine = spine
    }

    public init(path: String, mediaType: String, text: String, properties: [String] = [], spine: SpineEntry? = nil) {
        self.init(path: path, mediaType: mediaType, data: Data(text.utf8), properties: properties, spine: spine)
    }

    /// The manifest id: the path under `EPUB/` made into an XML name (`text/intro.xhtml` → `text-intro-xhtml`).
    public var manifestId: String {
        Slug.make(href.replacingOccurrences(of: ".", with: "-"), fallback: "item", maxLength: 120)
    }

    /// Its path relative to the package document (which lives in `EPUB/`).
    public var href: String { String(path.dropFirst("EPUB/".count)) }

    public static let xhtml = "application/xhtml+xml"
}

/// Wraps a body in an XHTML document with the book's stylesheet and language.
struct XHTMLPage {
    var title: String
    /// The document's language, declared on the root as `xml:lang` and `lang`.
    var language: String
    /// The `epub:type` of the body (`bodymatter`, `frontmatter`…).
    var bodyType: String?
    var stylesheet = "../css/epub.css"

    func render(body: String) -> String {
        let type = bodyType.map { " epub:type=\"\($0)\"" } ?? ""
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(Markup.attribute(language))" lang="\(Markup.attribute(language))">
        <head>
          <meta charset="UTF-8"/>
          <title>\(Markup.text(title))</title>
          <link rel="stylesheet" type="text/css" href="\(stylesheet)"/>
        </head>
        <body\(type)>
        \(body)</body>
        </html>

        """
    }
}
