import Foundation

/// What an article holds beyond its front matter: the body, the notes, where their images,
/// links and raw HTML are written, and the body's Markdown.
public struct ArticleContent: Hashable, Sendable {
    public var body: [Block]
    /// In the order the source defines them.
    public var notes: [Note]
    /// See `Article.inlineLocations`.
    public var inlineLocations: [Inline: [SourceLocation]]
    /// See `Article.htmlBlockLocations`.
    public var htmlBlockLocations: [String: [SourceLocation]]
    /// See `Article.bodyText`.
    public var bodyText: String

    public init(body: [Block] = [], notes: [Note] = [], inlineLocations: [Inline: [SourceLocation]] = [:],
                htmlBlockLocations: [String: [SourceLocation]] = [:], bodyText: String = "") {
        self.body = body
        self.notes = notes
        self.inlineLocations = inlineLocations
        self.htmlBlockLocations = htmlBlockLocations
        self.bodyText = bodyText
    }
}

/// What the steps that see the whole edition (the context, the navigation, the package
/// document) read of an article's content: a function of the content, kept beside it in the
/// build cache, so that an unchanged article's body and notes are not decoded for them.
public struct ArticleOutline: Hashable, Sendable {
    /// An image the article shows.
    public struct ShownImage: Hashable, Sendable {
        /// The source as the Markdown writes it.
        public var source: String
        /// Whether its text alternative is blank.
        public var altIsBlank: Bool
    }

    /// The headings of the body, in order, at any depth.
    public var headings: [Heading]
    /// What the body's raw markup holds (its headings', tables' and images' text included).
    public var facts: EditionContext.ContentFacts
    /// Every image the body shows, then every one the notes show, in reading order (an image
    /// shown twice is listed twice).
    public var images: [ShownImage]
    public var noteCount: Int
    /// How many notes the text never cites.
    public var uncitedNoteCount: Int
}

extension ArticleOutline {
    /// The outline of `content`: one walk of the body, then one of the notes.
    init(_ content: ArticleContent) {
        var headings: [Heading] = []
        for block in content.body {
            block.forEachBlock { if case .heading(let heading) = $0 { headings.append(heading) } }
        }
        var images: [ShownImage] = []
        func image(_ source: String, _ alt: [Inline]) {
            images.append(ShownImage(source: source, altIsBlank: TextShape.isBlank(alt.plainText)))
        }
        var facts: EditionContext.ContentFacts = []
        Self.scan(content.body, facts: &facts, image: image)
        var notesFacts: EditionContext.ContentFacts = []
        for note in content.notes { Self.scan(note.blocks, facts: &notesFacts, image: image) }
        self.init(headings: headings, facts: facts, images: images, noteCount: content.notes.count,
                  uncitedNoteCount: content.notes.filter { $0.citationCount == 0 }.count)
    }

    /// Walks `blocks` as `Block.forEachBlock` and `Inline.forEachInline` do (the blocks of
    /// quotes and lists; the inline runs of paragraphs, headings and tables, at any depth),
    /// without a closure per node or an array per block: `facts` gets what `ContentFacts(blocks:)`
    /// finds, and `image` each image, in order, with its alternative text.
    private static func scan(_ blocks: [Block], facts: inout EditionContext.ContentFacts,
                             image: (String, [Inline]) -> Void) {
        for block in blocks {
            switch block {
            case .html(let html): facts.formUnion(EditionContext.ContentFacts(html: html))
            case .paragraph(let content): scan(content, facts: &facts, image: image)
            case .heading(let heading): scan(heading.content, facts: &facts, image: image)
            case .table(let table):
                for cell in table.header { scan(cell, facts: &facts, image: image) }
                for row in table.rows { for cell in row { scan(cell, facts: &facts, image: image) } }
            case .blockQuote(let nested): scan(nested, facts: &facts, image: image)
            case .list(let list): for item in list.items { scan(item, facts: &facts, image: image) }
            case .codeBlock, .thematicBreak: break
            }
        }
    }

    private static func scan(_ inlines: [Inline], facts: inout EditionContext.ContentFacts,
                             image: (String, [Inline]) -> Void) {
        for inline in inlines {
            switch inline {
            case .html(let html): facts.formUnion(EditionContext.ContentFacts(html: html))
            case .image(let source, _, let alt):
                image(source, alt)
                scan(alt, facts: &facts, image: image)
            case .emphasis(let content), .strong(let content), .strikethrough(let content), .link(_, _, let content):
                scan(content, facts: &facts, image: image)
            case .text, .code, .softBreak, .lineBreak, .noteReference: break
            }
        }
    }
}

/// An article's content: given, or decoded on first use (from the build cache's bytes, by
/// `decode`), once, whichever thread asks first. What it holds never changes after that.
final class ArticleContentBox: @unchecked Sendable {
    private let lock = NSLock()
    private var decoded: ArticleContent?
    private var knownOutline: ArticleOutline?
    private var decode: (() -> ArticleContent)?

    init(_ content: ArticleContent) { decoded = content }

    /// A content known by its outline until `decode` is called for the rest.
    init(outline: ArticleOutline, decode: @escaping () -> ArticleContent) {
        knownOutline = outline
        self.decode = decode
    }

    var content: ArticleContent {
        lock.lock()
        defer { lock.unlock() }
        return contentLocked()
    }

    var outline: ArticleOutline {
        lock.lock()
        defer { lock.unlock() }
        if let knownOutline { return knownOutline }
        let made = ArticleOutline(contentLocked())
        knownOutline = made
        return made
    }

    var isDecoded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return decoded != nil
    }

    private func contentLocked() -> ArticleContent {
        if let decoded { return decoded }
        let made = decode?() ?? ArticleContent()
        decoded = made
        decode = nil
        return made
    }
}
