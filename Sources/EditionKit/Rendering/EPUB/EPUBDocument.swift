import Foundation

/// One file of the EPUB container, before it is packaged.
public struct EPUBFile: Hashable, Sendable {
    /// Its path inside the container, under `EPUB/` (`EPUB/text/bolivia-1952.xhtml`).
    public var path: String
    public var mediaType: String
    /// Its bytes: a warm build's reused document reads them from the cache's pack only when
    /// something needs them (`stored`); packaging copies its compressed entry from the last
    /// EPUB instead.
    public var data: Data {
        get { stored?.bytes ?? bytes }
        set {
            bytes = newValue
            stored = nil
        }
    }
    private var bytes: Data
    /// Set while the bytes are those of an object of the build cache, not yet read.
    private(set) var stored: StoredDocument?
    /// How many bytes it has (without reading a stored document's).
    var byteCount: Int { stored?.count ?? bytes.count }
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
        self.bytes = data
        self.properties = properties
        self.spine = spine
    }

    /// A document whose bytes are in the build cache (`StoredDocument`).
    init(path: String, mediaType: String, stored: StoredDocument, properties: [String], spine: SpineEntry?) {
        self.init(path: path, mediaType: mediaType, data: Data(), properties: properties, spine: spine)
        self.stored = stored
    }

    public static func == (lhs: EPUBFile, rhs: EPUBFile) -> Bool {
        lhs.path == rhs.path && lhs.mediaType == rhs.mediaType && lhs.properties == rhs.properties
            && lhs.spine == rhs.spine && lhs.data == rhs.data
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(path)
        hasher.combine(mediaType)
        hasher.combine(data)
        hasher.combine(properties)
        hasher.combine(spine)
    }

    public init(path: String, mediaType: String, text: String, properties: [String] = [], spine: SpineEntry? = nil) {
        self.init(path: path, mediaType: mediaType, data: Data(text.utf8), properties: properties, spine: spine)
    }

    /// The manifest id: the path under `EPUB/` made into an XML name (`text/intro.xhtml` → `text-intro-xhtml`).
    /// Slug.make joins words at every character but letters and digits, so the dots need no
    /// replacing first (Foundation's replacingOccurrences was half the package document's time).
    public var manifestId: String {
        Slug.make(href, fallback: "item", maxLength: 120)
    }

    /// Its path relative to the package document (which lives in `EPUB/`).
    public var href: String { String(path.dropFirst("EPUB/".count)) }

    public static let xhtml = "application/xhtml+xml"
}

/// The bytes of a document that a build cache's pack holds (the object named `object`, checked
/// when its entry was read), read again, and checked again, the first time they are needed;
/// `fallback` renders the document again when they are missing or damaged by then.
final class StoredDocument: @unchecked Sendable {
    let object: String
    let count: Int
    private let load: @Sendable () -> Data?
    private let fallback: @Sendable () -> Data
    private let lock = NSLock()
    private var loaded: Data?

    init(object: String, count: Int, load: @escaping @Sendable () -> Data?, fallback: @escaping @Sendable () -> Data) {
        self.object = object
        self.count = count
        self.load = load
        self.fallback = fallback
    }

    var bytes: Data {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let data = load() ?? fallback()
        loaded = data
        return data
    }
}

/// Wraps a body in an XHTML document with the book's stylesheet and language.
struct XHTMLPage {
    var title: String
    /// The document's language, declared on the root as `xml:lang` and `lang`.
    var language: String
    /// The `epub:type` of the body (`bodymatter`, `frontmatter`…).
    var bodyType: String?
    var stylesheet = "../css/epub.css"

    func render(body: String) -> String { opening + body + Self.closing }

    /// The page with `body` as bytes (a body of megabytes, the navigation document's).
    func render(body: MarkupBytes) -> Data {
        var page = MarkupBytes(capacity: body.bytes.count + 1024)
        page.append(opening)
        page.append(body)
        page.append(Self.closing)
        return page.data
    }

    /// Everything before the body's content.
    private var opening: String {
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

        """
    }

    private static let closing = "</body>\n</html>\n"
}
