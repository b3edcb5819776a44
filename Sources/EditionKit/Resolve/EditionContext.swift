import Foundation

/// What every renderer needs to know about the whole edition, worked out once, in one pass
/// over the book, between loading and rendering: which article holds each id, which article
/// a Markdown file name means, the book's image files and where each output keeps them, the
/// tool's words in each article's language, and facts about the content (raw SVG or MathML,
/// described images) that outputs declare. An article renders as a function of the article
/// and this context: no renderer walks the whole book per article or reads a file.
public struct EditionContext: Sendable {
    public let book: Book
    /// The articles in reading order.
    public let articles: [Article]
    /// The tool's words in the book's language.
    public let labels: Localization
    /// The book's own image files the articles show, in reading order of first appearance,
    /// one per source as written.
    public let images: [ImageAsset]
    /// Facts about the edition's content, known from the model.
    public let facts: Facts
    /// The editors' corrections as the colophon shows them, with the book's typographic
    /// quotes and dashes (each a cmark-gfm parse, once per build; the EPUB's and the print
    /// edition's colophons both show them).
    public let shownCorrections: [Correction]

    /// The index in `articles` of the article whose document holds an id (see `Article.linkTargets`).
    private let holders: [String: Int]
    /// The index in `articles` of the article a Markdown file name means, by its path in the
    /// book and by its last path component (the first article listed wins).
    private let files: [String: Int]
    private let imagesBySource: [String: Int]
    private let articleIndex: [String: Int]
    private let partIndex: [String: Int]
    private let articleFacts: [ContentFacts]
    private let articleLabels: [Localization]
    /// Each article's headings and link targets, found once: the checks and the cache's keys
    /// ask for them again, and each ask walked the article's blocks.
    private let articleHeadings: [[Heading]]
    private let articleTargets: [Set<String>]

    /// An image of the book and where each output keeps it.
    public struct ImageAsset: Hashable, Sendable {
        /// The source as the Markdown writes it (`images/Map%20of%20La%20Paz.png`).
        public var source: String
        /// The file in the book folder.
        public var file: URL
        /// Its path inside the EPUB container (`EPUB/images/figures/map-of-la-paz.png`).
        public var epubPath: String
        /// Its href from the print HTML (`images/map-of-la-paz.png`).
        public var printHref: String
        public var mediaType: String
    }

    /// What the content holds, for manifest properties and accessibility metadata.
    public struct ContentFacts: OptionSet, Hashable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Raw HTML with an inline `<svg`.
        public static let svg = ContentFacts(rawValue: 1)
        /// Raw HTML with `<math`.
        public static let mathML = ContentFacts(rawValue: 2)
        /// Any raw HTML (which the tool cannot vouch for).
        public static let rawHTML = ContentFacts(rawValue: 4)

        /// The facts of raw markup.
        public init(html: String) {
            self = .rawHTML
            if html.utf8.count >= 4 {
                if html.contains("<svg") { insert(.svg) }
                if html.contains("<math") { insert(.mathML) }
            }
        }

        public init(inlines: [Inline]) {
            self = []
            for inline in inlines { inline.forEachInline { if case .html(let html) = $0 { formUnion(ContentFacts(html: html)) } } }
        }

        public init(blocks: [Block]) {
            self = []
            for block in blocks {
                block.forEachBlock { nested in
                    if case .html(let html) = nested { formUnion(ContentFacts(html: html)) }
                    for run in nested.inlineRuns { formUnion(ContentFacts(inlines: run)) }
                }
            }
        }
    }

    /// Facts about the whole edition.
    public struct Facts: Hashable, Sendable {
        /// Every image the articles show (an image shown twice counts twice) has a text alternative.
        public var everyImageHasAlt = true
        /// How many images the articles show, counting repeats.
        public var imageCount = 0
        /// No article has a heading problem (a level-1 heading, a skipped level, an empty heading).
        public var headingsInOrder = true
        /// Some article's body has raw HTML.
        public var hasRawHTML = false
        /// The authors of the articles, each once, in reading order, without layout placeholders.
        public var authors: [String] = []
        /// The languages of articles that differ from the book's, sorted.
        public var otherLanguages: [String] = []
        /// How many notes the articles define, and how many of them the text never cites.
        public var noteCount = 0
        public var uncitedNoteCount = 0
    }

    /// Resolves a loaded book: linear in its size.
    public init(book: Book) {
        self.book = book
        let articles = book.articles
        self.articles = articles
        labels = Localization(language: book.metadata.language)
        shownCorrections = book.metadata.editorial.corrections.map { BookLoader.punctuatedForDisplay($0, in: book.metadata) }

        var holders: [String: Int] = [:]
        var files: [String: Int] = [:]
        var articleIndex: [String: Int] = [:]
        var articleFacts: [ContentFacts] = []
        var articleLabels: [Localization] = []
        var images: [ImageAsset] = []
        var imagesBySource: [String: Int] = [:]
        var articleHeadings: [[Heading]] = []
        var articleTargets: [Set<String>] = []
        holders.reserveCapacity(articles.count * 8)
        files.reserveCapacity(articles.count * 2)
        articleIndex.reserveCapacity(articles.count)
        articleFacts.reserveCapacity(articles.count)
        articleLabels.reserveCapacity(articles.count)
        articleHeadings.reserveCapacity(articles.count)
        articleTargets.reserveCapacity(articles.count)
        var facts = Facts()
        var authors = Set<String>()
        var languages = Set<String>()
        // The book's folder taken out of `book`: a function that named `book` would copy it.
        let root = book.root
        for (index, article) in articles.enumerated() {
            articleIndex[article.id] = articleIndex[article.id] ?? index
            // The outline, not the content: an article the cache handed back is not decoded.
            let outline = article.outline
            let headings = outline.headings
            let targets = article.linkTargets(headings: headings)
            articleHeadings.append(headings)
            articleTargets.append(targets)
            for id in targets where holders[id] == nil { holders[id] = index }
            if files[article.file] == nil { files[article.file] = index }
            // Its last path component (NSString's, without bridging for each article).
            let name = article.file.split(separator: "/").last.map(String.init) ?? article.file
            if files[name] == nil { files[name] = index }

            // The images in reading order (body, then notes), and what the body's markup holds.
            for shown in outline.images {
                facts.imageCount += 1
                if shown.altIsBlank { facts.everyImageHasAlt = false }
                guard imagesBySource[shown.source] == nil, let file = Book.localFile(forImage: shown.source, in: root) else { continue }
                imagesBySource[shown.source] = images.count
                images.append(Self.asset(source: shown.source, file: file))
            }
            var content = ContentFacts(inlines: article.title)
            content.formUnion(ContentFacts(inlines: article.subtitle ?? []))
            content.formUnion(ContentFacts(inlines: article.source ?? []))
            if outline.facts.contains(.rawHTML) { facts.hasRawHTML = true }
            content.formUnion(outline.facts)
            articleFacts.append(content)
            facts.noteCount += outline.noteCount
            facts.uncitedNoteCount += outline.uncitedNoteCount

            if let language = article.language, Localization.isSupported(language) {
                articleLabels.append(Localization(language: language))
            } else {
                articleLabels.append(labels)
            }
            if let language = article.language, language != book.metadata.language { languages.insert(language) }
            if !BookChecker.headings(headings).isEmpty { facts.headingsInOrder = false }
            for author in article.authors where !BookChecker.isPlaceholder(author.name) {
                if authors.insert(author.name).inserted { facts.authors.append(author.name) }
            }
        }
        facts.otherLanguages = languages.sorted()
        var partIndex: [String: Int] = [:]
        for (index, part) in book.parts.enumerated() {
            for article in part.articles where partIndex[article.id] == nil { partIndex[article.id] = index }
        }
        self.partIndex = partIndex
        self.holders = holders
        self.files = files
        self.articleIndex = articleIndex
        self.articleFacts = articleFacts
        self.articleLabels = articleLabels
        self.articleHeadings = articleHeadings
        self.articleTargets = articleTargets
        self.images = images
        self.imagesBySource = imagesBySource
        self.facts = facts
    }

    private static func asset(source: String, file: URL) -> ImageAsset {
        let name = source.removingPercentEncoding ?? source
        let ext = (name as NSString).pathExtension.lowercased()
        let stem = Slug.make((name as NSString).deletingPathExtension, fallback: "image")
        let printStem = Slug.make(file.deletingPathExtension().lastPathComponent, fallback: "image")
        return ImageAsset(source: source, file: file, epubPath: "EPUB/images/figures/\(stem).\(ext)",
                          printHref: "images/\(printStem).\(file.pathExtension.lowercased())",
                          mediaType: mediaType(ofFile: source))
    }

    /// The media type of an image file, by its extension.
    public static func mediaType(ofFile path: String) -> String {
        ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml",
         "webp": "image/webp", "gif": "image/gif"][(path as NSString).pathExtension.lowercased()] ?? "image/jpeg"
    }

    // MARK: Looking things up

    /// The image a source names, when it is a file of the book.
    public func image(_ source: String) -> ImageAsset? { imagesBySource[source].map { images[$0] } }

    /// The article whose document holds `id`.
    public func article(holding id: String) -> Article? { holders[id].map { articles[$0] } }

    /// Whether `article`'s document holds `id`.
    public func article(_ article: Article, holds id: String) -> Bool {
        guard let index = holders[id] else { return false }
        return articles[index].id == article.id
    }

    /// The article a link names by its Markdown file (`02-next.md`, or its path in the book).
    public func article(forLinkFile file: String) -> Article? { files[file].map { articles[$0] } }

    /// The headings of an article of the edition, in order (`Article.headings`, found once).
    public func headings(of article: Article) -> [Heading] {
        resolvedIndex(of: article).map { articleHeadings[$0] } ?? article.headings
    }

    /// The ids a link may go to in an article of the edition (`Article.linkTargets`, found once).
    public func linkTargets(of article: Article) -> Set<String> {
        resolvedIndex(of: article).map { articleTargets[$0] } ?? article.linkTargets
    }

    /// Where `article` is in `articles`, when it is the one resolved under its id (and not
    /// another of the same id, or an article from elsewhere).
    private func resolvedIndex(of article: Article) -> Int? {
        guard let index = articleIndex[article.id], articles[index].file == article.file else { return nil }
        return index
    }

    /// What the content of an article holds: its title, subtitle, source and body (not its notes).
    public func facts(of article: Article) -> ContentFacts {
        articleIndex[article.id].map { articleFacts[$0] } ?? []
    }

    /// The tool's words inside an article: in the article's language when the tool has them,
    /// so that a document in Spanish does not say "Notes" and "Back to citation" in English.
    public func labels(for article: Article) -> Localization {
        articleIndex[article.id].map { articleLabels[$0] } ?? labels
    }

    /// Where a link of `article` goes, for an output that keeps each article at
    /// `href(article, fragment)` (the article itself, or the id `fragment` in it): a link to
    /// another article's Markdown file goes there, and so does a link to `#id` when another
    /// article holds the id. Other links stay as they are.
    public func resolveLink(_ destination: String, from article: Article,
                            href: (Article, _ fragment: String?) -> String) -> String {
        guard let hash = destination.utf8.firstIndex(of: UInt8(ascii: "#")) else {
            guard destination.hasSuffix(".md"), let target = self.article(forLinkFile: destination) else { return destination }
            return href(target, nil)
        }
        let path = String(destination[..<hash])
        let fragment = String(destination[destination.index(after: hash)...])
        if path.isEmpty {
            guard let index = holders[fragment], index != articleIndex[article.id] else { return destination }
            return href(articles[index], fragment)
        }
        guard path.hasSuffix(".md"), let target = self.article(forLinkFile: path) else { return destination }
        return href(target, fragment)
    }

    /// The part an article is in.
    public func part(of article: Article) -> Part? { partIndex[article.id].map { book.parts[$0] } }
}
