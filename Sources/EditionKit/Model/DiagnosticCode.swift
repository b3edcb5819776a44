/// The catalogue of diagnostic codes. Codes are stable: tools and editors may match on them.
/// `edition check --explain` prints this list.
public enum DiagnosticCode: String, Sendable, CaseIterable {
    // Files and the manifest
    case fileMissing = "file-missing"
    case fileUnreadable = "file-unreadable"
    case fileEncoding = "file-encoding"
    case yamlSyntax = "yaml-syntax"
    case keyUnknown = "key-unknown"
    case keyMissing = "key-missing"
    case valueType = "value-type"
    case valueInvalid = "value-invalid"
    case articleDuplicate = "article-duplicate"
    case partEmpty = "part-empty"
    case coverMissing = "cover-missing"
    // Front matter
    case frontMatterMissing = "front-matter-missing"
    case frontMatterUnclosed = "front-matter-unclosed"
    // Structure
    case headingTopLevel = "heading-top-level"
    case headingSkip = "heading-skip"
    case headingEmpty = "heading-empty"
    // Notes
    case noteUndefined = "note-undefined"
    case noteUncited = "note-uncited"
    case noteDuplicate = "note-duplicate"
    case noteCitedAgain = "note-cited-again"
    case noteOutOfOrder = "note-out-of-order"
    case noteNumberGap = "note-number-gap"
    // Content
    case imageMissing = "image-missing"
    case imageAltMissing = "image-alt-missing"
    case imageFormat = "image-format"
    case linkBroken = "link-broken"
    case htmlRaw = "html-raw"
    case bylinePlaceholder = "byline-placeholder"
    // Output
    case xhtmlMalformed = "xhtml-malformed"
    case outputFailed = "output-failed"
    case toolMissing = "tool-missing"
    case pdfWarning = "pdf-warning"

    /// What the code means, for `edition check --explain`.
    public var summary: String {
        switch self {
        case .fileMissing: return "a file named by book.yaml or an article does not exist"
        case .fileUnreadable: return "a file could not be read"
        case .fileEncoding: return "a file is not valid UTF-8"
        case .yamlSyntax: return "book.yaml or an article's front matter is not valid YAML"
        case .keyUnknown: return "a key that the format does not define (a typo?)"
        case .keyMissing: return "a required key is absent"
        case .valueType: return "a value has the wrong type (a list where a text is expected…)"
        case .valueInvalid: return "a value has the right type but is not allowed (a bad date, language tag…)"
        case .articleDuplicate: return "the same article is listed twice in the reading order"
        case .partEmpty: return "a part lists no articles"
        case .coverMissing: return "the cover image named by book.yaml does not exist"
        case .frontMatterMissing: return "an article does not start with YAML front matter"
        case .frontMatterUnclosed: return "an article's front matter has no closing ---"
        case .headingTopLevel: return "a level-1 heading inside an article (the title is the only one)"
        case .headingSkip: return "a heading skips a level (## followed by ####)"
        case .headingEmpty: return "a heading without text"
        case .noteUndefined: return "a note reference [^n] without a definition"
        case .noteUncited: return "a note that no reference cites (kept, at the end of its article)"
        case .noteDuplicate: return "two definitions of the same note"
        case .noteCitedAgain: return "a note cited more than once (each citation links to it)"
        case .noteOutOfOrder: return "a note first cited after a note with a higher number"
        case .noteNumberGap: return "the numbered notes of an article skip a number"
        case .imageMissing: return "an image file does not exist"
        case .imageAltMissing: return "an image without a text alternative"
        case .imageFormat: return "an image in a format EPUB does not support (TIFF, BMP…): use JPEG, PNG, GIF, WebP or SVG"
        case .linkBroken: return "a link to a place in the book that does not exist"
        case .htmlRaw: return "raw HTML in Markdown (passed through; it must be well-formed XHTML)"
        case .bylinePlaceholder: return "an author's name is a layout placeholder, not a name"
        case .xhtmlMalformed: return "a generated document is not well-formed XML"
        case .outputFailed: return "an output file could not be written"
        case .toolMissing: return "an external program (WeasyPrint…) is not installed"
        case .pdfWarning: return "WeasyPrint reported a problem while making the PDF (CSS it ignored, a file it could not load…)"
        }
    }
}
