import Foundation

/// Escaping for XML text (the same as HTML's, plus quotes in attributes).
enum XMLText {
    static func text(_ string: String) -> String { Markup.text(string) }
    static func attribute(_ string: String) -> String { Markup.attribute(string) }
}

/// The stable ids of the library's feeds.
extension Library {
    /// The catalogue's `atom:id`: `identifier` from library.yaml, else the periodical's ISSN as
    /// a URN (RFC 3044), else the site's address, else a tag URI of the periodical's name.
    public var feedIdentifier: String {
        if let identifier { return identifier }
        if let issn { return "urn:issn:\(issn)" }
        if let url = absolute("opds.xml") { return url }
        return "tag:edition.invalid,2026:\(Slug.make(name, fallback: "library"))"
    }
}

/// What the library's two Atom feeds share: the editions they list and the head of the feed.
protocol LibraryFeed {
    var library: Library { get }
    var editions: [PublishedEdition] { get }
}

extension LibraryFeed {
    /// An address in the site, absolute when the library has a base URL, for an attribute.
    func href(_ path: String) -> String { XMLText.attribute(library.absolute(path) ?? path) }

    /// The XML declaration and the feed's opening, id, title, subtitle, update time (the
    /// newest edition's) and author; `namespaces` are the feed element's attributes besides
    /// Atom's and the language.
    func head(namespaces: String, id: String, subtitle: String?) -> String {
        let updated = editions.map(\.updated).max() ?? "1970-01-01T00:00:00Z"
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<feed xmlns=\"http://www.w3.org/2005/Atom\"\(namespaces) xml:lang=\"\(XMLText.attribute(library.language))\">\n"
        xml += "  <id>\(XMLText.text(id))</id>\n"
        xml += "  <title>\(XMLText.text(library.name))</title>\n"
        if let subtitle { xml += "  <subtitle>\(XMLText.text(subtitle))</subtitle>\n" }
        xml += "  <updated>\(updated)</updated>\n"
        xml += "  <author><name>\(XMLText.text(library.publisher ?? library.name))</name></author>\n"
        return xml
    }
}

/// The OPDS 1.2 acquisition feed of the library: one entry per edition, newest first, with
/// its cover, thumbnail and open-access links to the EPUB and the PDF.
public struct OPDSCatalogue: LibraryFeed {
    public static let mediaType = "application/atom+xml;profile=opds-catalog;kind=acquisition"
    public static let path = "opds.xml"

    public let library: Library
    public let editions: [PublishedEdition]

    public init(library: Library, editions: [PublishedEdition]) {
        self.library = library
        self.editions = editions
    }

    public func render() -> String {
        var xml = head(namespaces: " xmlns:dc=\"http://purl.org/dc/terms/\" xmlns:opds=\"http://opds-spec.org/2010/catalog\"",
                       id: library.feedIdentifier, subtitle: library.description)
        xml += "  <link rel=\"self\" href=\"\(href(Self.path))\" type=\"\(Self.mediaType)\"/>\n"
        xml += "  <link rel=\"start\" href=\"\(href(Self.path))\" type=\"\(Self.mediaType)\"/>\n"
        xml += "  <link rel=\"alternate\" href=\"\(href("index.html"))\" type=\"text/html\"/>\n"
        for edition in editions { xml += entry(edition) }
        return xml + "</feed>\n"
    }

    func entry(_ edition: PublishedEdition) -> String {
        let metadata = edition.book.metadata
        var title = metadata.title
        if let number = metadata.periodical?.edition { title = "\(metadata.periodical?.name ?? library.name) \(number): \(title)" }
        var xml = "  <entry>\n"
        xml += "    <id>\(XMLText.text(metadata.identifier))</id>\n"
        xml += "    <title>\(XMLText.text(title))</title>\n"
        xml += "    <updated>\(edition.updated)</updated>\n"
        for name in Self.authors(of: edition.book) { xml += "    <author><name>\(XMLText.text(name))</name></author>\n" }
        xml += "    <dc:language>\(XMLText.text(metadata.language))</dc:language>\n"
        xml += "    <dc:issued>\(metadata.date)</dc:issued>\n"
        if let issn = metadata.periodical?.issn ?? library.issn { xml += "    <dc:identifier>urn:issn:\(XMLText.text(issn))</dc:identifier>\n" }
        if let publisher = metadata.publisher { xml += "    <dc:publisher>\(XMLText.text(publisher))</dc:publisher>\n" }
        let summary = metadata.description ?? edition.book.articles.map(\.plainTitle).joined(separator: "; ")
        xml += "    <summary type=\"text\">\(XMLText.text(summary))</summary>\n"
        xml += "    <link rel=\"http://opds-spec.org/image\" href=\"\(href(edition.cover.path))\" type=\"\(edition.cover.mediaType)\"/>\n"
        xml += "    <link rel=\"http://opds-spec.org/image/thumbnail\" href=\"\(href(edition.thumbnail.path))\" type=\"\(edition.thumbnail.mediaType)\"/>\n"
        for download in [edition.epub, edition.pdf].compactMap({ $0 }) {
            xml += "    <link rel=\"http://opds-spec.org/acquisition/open-access\" href=\"\(href(download.path))\" type=\"\(download.mediaType)\" length=\"\(download.length)\"/>\n"
        }
        xml += "    <link rel=\"alternate\" href=\"\(href(edition.indexPath))\" type=\"text/html\"/>\n"
        return xml + "  </entry>\n"
    }

    /// The edition's authors: every article's, in reading order, each once; the editors when
    /// no article is signed.
    static func authors(of book: Book) -> [String] {
        var names: [String] = []
        for article in book.articles { for author in article.authors where !names.contains(author.name) { names.append(author.name) } }
        if names.isEmpty {
            names = book.metadata.contributors.filter { $0.role == .responsibleEditor || $0.role == .editor }.map(\.name)
        }
        if names.isEmpty, let publisher = book.metadata.publisher { names = [publisher] }
        return names
    }
}

/// The Atom feed of the articles for feed readers: one entry per article, newest edition first.
public struct ArticleFeed: LibraryFeed {
    public static let mediaType = "application/atom+xml"
    public static let path = "atom.xml"

    public let library: Library
    public let editions: [PublishedEdition]

    public init(library: Library, editions: [PublishedEdition]) {
        self.library = library
        self.editions = editions
    }

    public func render() -> String {
        var xml = head(namespaces: "", id: library.feedIdentifier + "#articles", subtitle: nil)
        xml += "  <link rel=\"self\" href=\"\(href(Self.path))\" type=\"\(Self.mediaType)\"/>\n"
        xml += "  <link rel=\"alternate\" href=\"\(href("index.html"))\" type=\"text/html\"/>\n"
        for edition in editions {
            let metadata = edition.book.metadata
            for article in edition.book.articles {
                xml += "  <entry>\n"
                xml += "    <id>\(XMLText.text(metadata.identifier + "#" + article.id))</id>\n"
                xml += "    <title>\(XMLText.text(article.title.withoutNotes.plainText))</title>\n"
                xml += "    <published>\(metadata.date)T00:00:00Z</published>\n"
                xml += "    <updated>\(edition.updated)</updated>\n"
                for author in article.authors { xml += "    <author><name>\(XMLText.text(author.name))</name></author>\n" }
                xml += "    <link rel=\"alternate\" href=\"\(href(edition.articlePath(article)))\" type=\"text/html\"/>\n"
                xml += "    <summary type=\"text\">\(XMLText.text(WebRenderer.summary(of: article, limit: 400)))</summary>\n"
                xml += "  </entry>\n"
            }
        }
        return xml + "</feed>\n"
    }
}

/// The library's index page: every edition, newest first, with its cover, title, date and downloads.
public struct LibraryIndex {
    public let library: Library
    public let editions: [PublishedEdition]

    public init(library: Library, editions: [PublishedEdition]) {
        self.library = library
        self.editions = editions
    }

    public func render() -> String {
        let words = WebLabels(language: library.language)
        var data: [String: Any] = ["@context": "https://schema.org", "@type": "Periodical", "name": library.name]
        if let issn = library.issn { data["issn"] = issn }
        if let publisher = library.publisher { data["publisher"] = ["@type": "Organization", "name": publisher] }
        if let url = library.absolute("index.html") { data["url"] = url }
        data["hasPart"] = editions.map { edition -> [String: Any] in
            var issue: [String: Any] = ["@type": "PublicationIssue", "name": edition.book.metadata.title,
                                        "datePublished": edition.book.metadata.date]
            if let number = edition.book.metadata.periodical?.edition { issue["issueNumber"] = String(number) }
            if let url = library.absolute(edition.indexPath) { issue["url"] = url }
            return issue
        }
        let page = WebPage(title: library.name, language: library.language, path: "index.html",
                           description: library.description ?? "\(words[.editions]): \(library.name)",
                           siteName: library.name, image: editions.first?.cover.path, structuredData: data,
                           links: [("alternate", ArticleFeed.path, ArticleFeed.mediaType, "\(words[.atomFeed]): \(library.name)"),
                                   ("alternate", OPDSCatalogue.path, OPDSCatalogue.mediaType, words[.opdsCatalogue])],
                           baseURL: library.baseURL)
        var body = "<a class=\"skip-link\" href=\"#editions\">\(Markup.text(words[.skipToText]))</a>\n"
        body += "<header class=\"library-header\">\n  <h1>\(Markup.text(library.name))</h1>\n"
        if let description = library.description { body += "  <p class=\"library-description\">\(Markup.text(description))</p>\n" }
        var facts: [String] = []
        if let issn = library.issn { facts.append("ISSN \(Markup.text(issn))") }
        if let publisher = library.publisher { facts.append(Markup.text(publisher)) }
        if !facts.isEmpty { body += "  <p class=\"library-facts\">\(facts.joined(separator: " · "))</p>\n" }
        body += "</header>\n<main>\n"
        body += "<section aria-labelledby=\"editions\">\n  <h2 id=\"editions\">\(Markup.text(words[.editions]))</h2>\n"
        body += "  <ol class=\"edition-list\">\n"
        for edition in editions {
            let metadata = edition.book.metadata
            let renderer = WebRenderer(library: library, edition: edition)
            let labels = Localization(language: metadata.language)
            let lang = metadata.language == library.language ? "" : " lang=\"\(Markup.attribute(metadata.language))\""
            body += "    <li class=\"edition-card\"\(lang)>\n"
            body += "      <a class=\"edition-card-cover\" href=\"\(Markup.attribute(edition.indexPath))\" tabindex=\"-1\" aria-hidden=\"true\"><img src=\"\(Markup.attribute(edition.thumbnail.path))\" alt=\"\" width=\"150\"/></a>\n"
            body += "      <div class=\"edition-card-text\">\n"
            body += "        <h3><a href=\"\(Markup.attribute(edition.indexPath))\">\(Markup.text(metadata.title))</a></h3>\n"
            var line: [String] = []
            if let number = metadata.periodical?.edition { line.append("\(Markup.text(labels[.edition])) \(number)") }
            line.append(renderer.dateMarkup)
            body += "        <p class=\"edition-card-line\">\(line.joined(separator: " · "))</p>\n"
            if let subtitle = metadata.subtitle { body += "        <p class=\"edition-card-subtitle\">\(Markup.text(subtitle))</p>\n" }
            body += renderer.downloads(from: page, headingLevel: 4, indent: "        ")
            body += "      </div>\n    </li>\n"
        }
        body += "  </ol>\n</section>\n</main>\n"
        body += "<footer class=\"site-footer\">\n  <ul class=\"feeds\">\n"
        body += "    <li><a href=\"\(OPDSCatalogue.path)\" type=\"\(OPDSCatalogue.mediaType)\">\(Markup.text(words[.opdsCatalogue]))</a></li>\n"
        body += "    <li><a href=\"\(ArticleFeed.path)\" type=\"\(ArticleFeed.mediaType)\">\(Markup.text(words[.atomFeed]))</a></li>\n"
        body += "  </ul>\n</footer>\n"
        return page.render(body: body, bodyClass: "library-page")
    }
}
