import Foundation

/// A person named in the masthead, with their role.
public struct Contributor: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable, CaseIterable {
        case responsibleEditor = "responsible-editor"
        case editor
        case layout
        case designer
        case coverDesigner = "cover-designer"
        case translator
        case proofreader
        case illustrator
        case photographer

        /// The MARC relator code used in the package document.
        public var marcRelator: String {
            switch self {
            case .responsibleEditor, .editor: return "edt"
            case .layout: return "bkd"
            case .designer: return "dsr"
            case .coverDesigner: return "cov"
            case .translator: return "trl"
            case .proofreader: return "pfr"
            case .illustrator: return "ill"
            case .photographer: return "pht"
            }
        }
    }

    public var name: String
    public var role: Role
}

/// An article's author, with the organisation the byline names.
public struct Author: Hashable, Sendable {
    public var name: String
    public var organization: String?
    public var location: SourceLocation?
}

/// The periodical an edition belongs to.
public struct Periodical: Hashable, Sendable {
    public var name: String
    public var issn: String?
    public var edition: Int?
}

/// Where notes are placed.
public enum NotePlacement: String, Hashable, Sendable {
    /// At the end of each article.
    case article
    /// In one notes section at the end of the edition.
    case book
}

public struct PrintSettings: Hashable, Sendable {
    /// The page number the first article starts on.
    public var firstPage: Int = 1
    /// Open every article on a right-hand page.
    public var rectoOpenings: Bool = false
    /// Words broken only where their hyphens are (`po-liti-cal`): book.yaml `print.hyphenation`.
    public var hyphenation: [String] = []
}

/// Everything book.yaml says about the edition itself.
public struct BookMetadata: Hashable, Sendable {
    public var slug: String
    public var identifier: String
    public var title: String
    public var subtitle: String?
    public var periodical: Periodical?
    /// The publication date, `YYYY-MM-DD`.
    public var date: String
    /// The date as the masthead prints it ("June 2026"); defaults to a formatted `date`.
    public var dateLabel: String?
    public var language: String
    public var publisher: String?
    public var contributors: [Contributor]
    public var rights: String?
    public var description: String?
    public var website: String?
    /// The cover image, relative to the book folder.
    public var cover: String?
    public var notePlacement: NotePlacement
    public var print: PrintSettings
    /// Creator, subjects, people, corrections, acknowledgements (Editorial.swift).
    public var editorial = EditorialMetadata()
    /// Quotes, apostrophes, ellipses and dashes (book.yaml `typography`, `dashes`, `quotes`).
    public var typography = TypographySettings()
}

/// An article (or an appendix document) of the edition.
///
/// Its content (body, notes, their places, its Markdown) is held apart from its front
/// matter (`ArticleContent`), with an outline of it (`ArticleOutline`: headings, images,
/// raw markup, notes) that the edition-wide steps read: an article the build cache hands back
/// unchanged decodes its content only when something renders or checks it again.
public struct Article: Hashable, Sendable {
    /// Unique across the edition; names its XHTML file and prefixes its ids.
    public var id: String
    /// The Markdown file, relative to the book folder.
    public var file: String
    public var title: [Inline]
    public var subtitle: [Inline]?
    public var authors: [Author]
    /// Where and when it was first published (Markdown inline).
    public var source: [Inline]?
    public var date: String?
    /// Set only when it differs from the book's.
    public var language: String?
    /// The print page where it starts, when the edition has a print original.
    public var printPage: Int?
    /// Where its front matter starts (line 1 of the file).
    public var location: SourceLocation
    /// How many lines of the file precede the body (the front matter).
    public var bodyLineOffset = 0
    /// The content, as given or still encoded; never changed in place (a new value is a new box).
    private var box: ArticleContentBox

    public init(id: String, file: String, title: [Inline], subtitle: [Inline]?, authors: [Author], source: [Inline]?,
                date: String?, language: String?, printPage: Int?, body: [Block], notes: [Note],
                location: SourceLocation, inlineLocations: [Inline: [SourceLocation]] = [:],
                htmlBlockLocations: [String: [SourceLocation]] = [:], bodyText: String = "", bodyLineOffset: Int = 0) {
        self.init(id: id, file: file, title: title, subtitle: subtitle, authors: authors, source: source, date: date,
                  language: language, printPage: printPage, location: location, bodyLineOffset: bodyLineOffset,
                  box: ArticleContentBox(ArticleContent(body: body, notes: notes, inlineLocations: inlineLocations,
                                                        htmlBlockLocations: htmlBlockLocations, bodyText: bodyText)))
    }

    /// An article whose content `box` holds (or will decode).
    init(id: String, file: String, title: [Inline], subtitle: [Inline]?, authors: [Author], source: [Inline]?,
         date: String?, language: String?, printPage: Int?, location: SourceLocation, bodyLineOffset: Int,
         box: ArticleContentBox) {
        self.id = id
        self.file = file
        self.title = title
        self.subtitle = subtitle
        self.authors = authors
        self.source = source
        self.date = date
        self.language = language
        self.printPage = printPage
        self.location = location
        self.bodyLineOffset = bodyLineOffset
        self.box = box
    }

    /// The body, notes, their places and the Markdown.
    public var content: ArticleContent {
        get { box.content }
        set { box = ArticleContentBox(newValue) }
    }

    public var body: [Block] {
        get { content.body }
        set { content.body = newValue }
    }
    /// In the order the source defines them.
    public var notes: [Note] {
        get { content.notes }
        set { content.notes = newValue }
    }
    /// Where the body's images, links and raw HTML are written: the places of each value in
    /// source order (the values carry none). `forEachInline` hands them to the checks.
    public var inlineLocations: [Inline: [SourceLocation]] {
        get { content.inlineLocations }
        set { content.inlineLocations = newValue }
    }
    /// Where the body's raw HTML blocks start, by their text, in source order.
    public var htmlBlockLocations: [String: [SourceLocation]] {
        get { content.htmlBlockLocations }
        set { content.htmlBlockLocations = newValue }
    }
    /// The body's Markdown as the loader read it (after `bodyLineOffset` lines): checks that
    /// read the text itself (repeated passages) use it, never the file again.
    public var bodyText: String {
        get { content.bodyText }
        set { content.bodyText = newValue }
    }

    /// What the edition-wide steps read of the content, without decoding it.
    public var outline: ArticleOutline { box.outline }

    /// Whether the content has been decoded (or was given): the cache's tests ask.
    var contentIsDecoded: Bool { box.isDecoded }

    /// The title as plain text.
    public var plainTitle: String { title.plainText }

    /// The headings of the body, in order, at any depth.
    public var headings: [Heading] { outline.headings }

    public static func == (lhs: Article, rhs: Article) -> Bool {
        lhs.id == rhs.id && lhs.file == rhs.file && lhs.title == rhs.title && lhs.subtitle == rhs.subtitle
            && lhs.authors == rhs.authors && lhs.source == rhs.source && lhs.date == rhs.date
            && lhs.language == rhs.language && lhs.printPage == rhs.printPage && lhs.location == rhs.location
            && lhs.bodyLineOffset == rhs.bodyLineOffset && (lhs.box === rhs.box || lhs.content == rhs.content)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(file)
        hasher.combine(title)
        hasher.combine(location)
        hasher.combine(content)
    }
}

/// A part of the reading order: titled ("Documents") or not.
public struct Part: Hashable, Sendable {
    public var id: String
    public var title: String?
    public var articles: [Article]
}

/// The whole edition: one model that every renderer reads.
public struct Book: Hashable, Sendable {
    /// The folder book.yaml is in.
    public var root: URL
    public var metadata: BookMetadata
    public var parts: [Part]

    public var articles: [Article] { parts.flatMap(\.articles) }
}

extension Article {
    /// The ids a link may go to: the article's, its title's and its headings'.
    public var linkTargets: Set<String> { linkTargets(headings: headings) }

    /// The same, for the article's `headings` found already.
    func linkTargets(headings: [Heading]) -> Set<String> { Set([id, Ids.title(self)] + headings.map(\.id)) }
}

extension Book {
    // Looking an article up by id or file, and the book's images: `EditionContext`, which
    // works them out once for the whole edition.

    /// Whether a link destination leaves the book: a web address, mail, telephone.
    public static func isExternal(_ destination: String) -> Bool {
        destination.contains("://") || ["mailto:", "tel:"].contains { destination.lowercased().hasPrefix($0) }
    }
    /// The file an image source of an article names (`images/Map%20of%20La%20Paz.png` →
    /// `BOOK/images/Map of La Paz.png`); nil for an image on the web.
    public func localFile(forImage source: String) -> URL? {
        Self.localFile(forImage: source, in: root)
    }

    /// The same for the book whose folder is `root`.
    static func localFile(forImage source: String, in root: URL) -> URL? {
        guard !source.contains("://") else { return nil }
        return root.appendingPathComponent(source.removingPercentEncoding ?? source)
    }
}
