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
    public var body: [Block]
    /// In the order the source defines them.
    public var notes: [Note]
    /// Where its front matter starts (line 1 of the file).
    public var location: SourceLocation
    /// Where the body's images, links and raw HTML are written: the places of each value in
    /// source order (the values carry none). `forEachInline` hands them to the checks.
    public var inlineLocations: [Inline: [SourceLocation]] = [:]
    /// Where the body's raw HTML blocks start, by their text, in source order.
    public var htmlBlockLocations: [String: [SourceLocation]] = [:]
    /// The body's Markdown as the loader read it, and how many lines of the file precede it
    /// (the front matter): checks that read the text itself (repeated passages) use these,
    /// never the file again.
    public var bodyText = ""
    public var bodyLineOffset = 0

    /// The title as plain text.
    public var plainTitle: String { title.plainText }

    /// The headings of the body, in order, at any depth.
    public var headings: [Heading] {
        var result: [Heading] = []
        for block in body {
            block.forEachBlock { if case .heading(let heading) = $0 { result.append(heading) } }
        }
        return result
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
