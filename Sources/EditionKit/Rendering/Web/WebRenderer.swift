import Foundation

/// One file of the published site: its path under the site folder and its bytes.
public struct SiteFile: Hashable, Sendable {
    public var path: String
    public var data: Data

    public init(path: String, data: Data) {
        self.path = path
        self.data = data
    }

    public init(path: String, text: String) { self.init(path: path, data: Data(text.utf8)) }
}

/// A file readers download, with its size in bytes.
public struct Download: Hashable, Sendable {
    /// Its path in the site.
    public var path: String
    public var mediaType: String
    public var length: Int

    public init(path: String, mediaType: String, length: Int) {
        self.path = path
        self.mediaType = mediaType
        self.length = length
    }
}

/// What the site knows about one edition besides its book: where it lives, its downloads and
/// its cover.
public struct PublishedEdition: Sendable {
    /// The edition, resolved: what every renderer reads.
    public var context: EditionContext
    public var book: Book { context.book }
    /// The edition's folder in the site (its slug).
    public var folder: String
    public var epub: Download?
    public var pdf: Download?
    public var cover: Download
    public var thumbnail: Download
    /// When the edition's sources last changed: its `updated` in the feeds (ISO 8601).
    public var updated: String

    public init(context: EditionContext, folder: String, epub: Download?, pdf: Download?, cover: Download, thumbnail: Download,
                updated: String) {
        self.context = context
        self.folder = folder
        self.epub = epub
        self.pdf = pdf
        self.cover = cover
        self.thumbnail = thumbnail
        self.updated = updated
    }

    public var indexPath: String { "\(folder)/index.html" }
    public func articlePath(_ article: Article) -> String { "\(folder)/\(article.id).html" }
}

/// Renders an edition as web pages: one HTML5 page per article (the same article-with-notes
/// markup, ids and note numbers as the EPUB and the print edition, through `ContentRenderer`
/// set up from the resolved `EditionContext`) and the edition's own page with its cover,
/// contents and downloads. Like the other renderers it reads no files: the images it lists
/// are copied by the publisher.
public struct WebRenderer {
    public let library: Library
    public let edition: PublishedEdition
    let labels: Localization
    let words: WebLabels

    public init(library: Library, edition: PublishedEdition) {
        self.library = library
        self.edition = edition
        labels = edition.context.labels
        words = WebLabels(language: edition.book.metadata.language)
    }

    var book: Book { edition.book }
    var context: EditionContext { edition.context }
    var metadata: BookMetadata { book.metadata }

    /// The edition page and every article page.
    public func render() -> [SiteFile] {
        var files = [SiteFile(path: edition.indexPath, text: editionPage())]
        let articles = context.articles
        for (index, article) in articles.enumerated() {
            files.append(SiteFile(path: edition.articlePath(article),
                                  text: articlePage(article, previous: index > 0 ? articles[index - 1] : nil,
                                                    next: index + 1 < articles.count ? articles[index + 1] : nil)))
        }
        return files
    }

    /// "Post International No. 29 · June 2026".
    var editionName: String {
        var name = metadata.periodical?.name ?? library.name
        if let number = metadata.periodical?.edition { name += " \(words[.number]) \(number)" }
        return name
    }

    var dateLine: String { metadata.dateLabel ?? labels.monthAndYear(metadata.date) }
    /// The date line as a `<time>` with the edition's date.
    var dateMarkup: String { "<time datetime=\"\(metadata.date)\">\(Markup.text(dateLine))</time>" }

    // MARK: schema.org

    var periodicalData: [String: Any] {
        var data: [String: Any] = ["@type": "Periodical", "name": metadata.periodical?.name ?? library.name]
        if let issn = metadata.periodical?.issn ?? library.issn { data["issn"] = issn }
        if let publisher = metadata.publisher ?? library.publisher {
            data["publisher"] = ["@type": "Organization", "name": publisher]
        }
        if let url = library.absolute("index.html") { data["url"] = url }
        return data
    }

    var issueData: [String: Any] {
        var data: [String: Any] = ["@type": "PublicationIssue", "name": metadata.title, "datePublished": metadata.date,
                                   "isPartOf": periodicalData, "inLanguage": metadata.language,
                                   "identifier": metadata.identifier]
        if let number = metadata.periodical?.edition { data["issueNumber"] = String(number) }
        if let url = library.absolute(edition.indexPath) { data["url"] = url }
        if let image = library.absolute(edition.cover.path) { data["image"] = image }
        if let description = metadata.description { data["description"] = description }
        return data
    }

    func articleData(_ article: Article, description: String) -> [String: Any] {
        var data: [String: Any] = ["@context": "https://schema.org", "@type": "Article", "headline": article.title.withoutNotes.plainText,
                                   "isPartOf": issueData, "inLanguage": article.language ?? metadata.language,
                                   "description": description, "datePublished": metadata.date]
        if !article.authors.isEmpty {
            data["author"] = article.authors.map { author -> [String: Any] in
                var person: [String: Any] = ["@type": "Person", "name": author.name]
                if let organization = author.organization { person["affiliation"] = ["@type": "Organization", "name": organization] }
                return person
            }
        }
        if let url = library.absolute(edition.articlePath(article)) { data["url"] = url; data["mainEntityOfPage"] = url }
        if let image = library.absolute(edition.cover.path) { data["image"] = image }
        return data
    }

    // MARK: Pages

    func page(_ path: String, title: String, description: String?, type: String, data: [String: Any]) -> WebPage {
        WebPage(title: title, language: metadata.language, path: path, description: description, openGraphType: type,
                siteName: library.name, image: edition.cover.path, structuredData: data,
                links: [("alternate", "atom.xml", "application/atom+xml", "\(words[.atomFeed]): \(library.name)"),
                        ("alternate", "opds.xml", OPDSCatalogue.mediaType, words[.opdsCatalogue])],
                baseURL: library.baseURL)
    }

    /// The first words of an article, for `description`: its subtitle, else its first paragraph.
    static func summary(of article: Article, limit: Int = 200) -> String {
        var text = article.subtitle?.withoutNotes.plainText ?? ""
        if text.isEmpty {
            for block in article.body {
                if case .paragraph(let content) = block { text = content.withoutNotes.plainText; break }
            }
        }
        text = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard text.count > limit else { return text }
        let cut = text.prefix(limit)
        return String(cut[..<(cut.lastIndex(of: " ") ?? cut.endIndex)]) + "…"
    }

    func articlePage(_ article: Article, previous: Article?, next: Article?) -> String {
        let path = edition.articlePath(article)
        let description = Self.summary(of: article)
        let webPage = page(path, title: "\(article.title.withoutNotes.plainText) — \(editionName)", description: description,
                           type: "article", data: articleData(article, description: description))
        let articleLabels = context.labels(for: article)
        let folder = edition.folder
        let content = ContentRenderer(article: article, context: context, dialect: .html,
                                      articleHref: { target, fragment in "\(target.id).html" + (fragment.map { "#" + $0 } ?? "") },
                                      imageHref: { asset in webPage.relative("\(folder)/" + asset.epubPath.dropFirst("EPUB/".count)) })
        let furniture = ArticleFurniture(article: article, labels: articleLabels, content: content)
        let lang = article.language.map { " lang=\"\(Markup.attribute($0))\"" } ?? ""

        var body = "<a class=\"skip-link\" href=\"#\(Ids.title(article))\">\(Markup.text(words[.skipToText]))</a>\n"
        body += siteHeader(from: webPage)
        body += "<main>\n"
        body += "<article id=\"\(article.id)\" class=\"article\"\(lang) aria-labelledby=\"\(Ids.title(article))\">\n"
        body += furniture.header(titleLevel: 1, indent: "  ", dialect: .html)
        body += "  <div class=\"article-body\">\n"
        body += content.blocks(article.body, indent: "    ")
        body += "  </div>\n"
        // The notes as the EPUB has them: cited notes as footnotes, the ones nothing cites
        // (their marks were lost in the source) under their own heading.
        body += CitedNotes(article: article, labels: articleLabels, content: content).section(indent: "  ", dialect: .html)
        body += UnlinkedNotes(article: article, labels: articleLabels, content: content).epub(indent: "  ")
        body += "</article>\n"
        body += "<nav class=\"pager\" aria-label=\"\(Markup.attribute(words[.articlesOf])) \(Markup.attribute(editionName))\">\n  <ul>\n"
        if let previous {
            body += "    <li class=\"previous\"><a href=\"\(Markup.attribute(webPage.relative(edition.articlePath(previous))))\" rel=\"prev\"><span class=\"pager-label\">\(Markup.text(words[.previous]))</span> \(inlineTitle(previous))</a></li>\n"
        }
        body += "    <li class=\"contents-link\"><a href=\"\(Markup.attribute(webPage.relative(edition.indexPath)))\">\(Markup.text(words[.backToContents]))</a></li>\n"
        if let next {
            body += "    <li class=\"next\"><a href=\"\(Markup.attribute(webPage.relative(edition.articlePath(next))))\" rel=\"next\"><span class=\"pager-label\">\(Markup.text(words[.next]))</span> \(inlineTitle(next))</a></li>\n"
        }
        body += "  </ul>\n</nav>\n</main>\n"
        body += siteFooter(from: webPage)
        return webPage.render(body: body, bodyClass: "article-page")
    }

    func inlineTitle(_ article: Article) -> String {
        ContentRenderer(article: article, dialect: .html).inlines(article.title.withoutNotes)
    }

    /// The edition's name and date, linking to its page, and the way to every edition.
    func siteHeader(from page: WebPage) -> String {
        var result = "<header class=\"site-header\">\n"
        result += "  <p class=\"site-edition\"><a href=\"\(Markup.attribute(page.relative(edition.indexPath)))\">\(Markup.text(editionName))</a> <span class=\"site-date\">\(Markup.text(dateLine))</span></p>\n"
        result += "  <p class=\"site-library\"><a href=\"\(Markup.attribute(page.relative("index.html")))\">\(Markup.text(words[.allEditions]))</a></p>\n"
        return result + "</header>\n"
    }

    func siteFooter(from page: WebPage) -> String {
        var result = "<footer class=\"site-footer\">\n"
        result += downloads(from: page, headingLevel: 2, indent: "  ")
        if let publisher = metadata.publisher { result += "  <p class=\"publisher\">\(Markup.text(publisher))</p>\n" }
        if let rights = metadata.rights { result += "  <p class=\"rights\">\(Markup.text(rights))</p>\n" }
        return result + "</footer>\n"
    }

    /// The EPUB and PDF links with their sizes.
    func downloads(from page: WebPage, headingLevel: Int, indent: String) -> String {
        let items = [(edition.epub, words[.downloadEPUB], "EPUB"), (edition.pdf, words[.downloadPDF], "PDF")]
            .compactMap { download, label, format in download.map { ($0, label, format) } }
        guard !items.isEmpty else { return "" }
        let id = "downloads-\(edition.folder)"
        var result = "\(indent)<section class=\"downloads\" aria-labelledby=\"\(id)\">\n"
        result += "\(indent)  <h\(headingLevel) id=\"\(id)\">\(Markup.text(words[.downloads]))</h\(headingLevel)>\n\(indent)  <ul>\n"
        for (download, label, format) in items {
            result += "\(indent)    <li><a href=\"\(Markup.attribute(page.relative(download.path)))\" type=\"\(download.mediaType)\" download=\"\">\(Markup.text(label))</a> <span class=\"download-size\">(\(format), \(WebLabels.size(download.length)))</span></li>\n"
        }
        return result + "\(indent)  </ul>\n\(indent)</section>\n"
    }

    func editionPage() -> String {
        let path = edition.indexPath
        let description = metadata.description ?? "\(editionName), \(dateLine): \(metadata.title)"
        var data = issueData
        data["@context"] = "https://schema.org"
        let webPage = page(path, title: "\(metadata.title) — \(editionName)", description: description, type: "website", data: data)
        let pages = FrontMatterPages(book: book, labels: labels, dialect: .html)

        var body = "<a class=\"skip-link\" href=\"#contents-\(edition.folder)\">\(Markup.text(words[.skipToText]))</a>\n"
        body += "<header class=\"site-header\">\n"
        body += "  <p class=\"site-library\"><a href=\"\(Markup.attribute(webPage.relative("index.html")))\">\(Markup.text(words[.allEditions]))</a></p>\n"
        body += "</header>\n<main>\n"
        body += "<section class=\"edition\" aria-labelledby=\"edition-title\">\n"
        body += "  <img class=\"edition-cover\" src=\"\(Markup.attribute(webPage.relative(edition.cover.path)))\" alt=\"\(Markup.attribute(pages.coverDescription))\"/>\n"
        body += "  <div class=\"edition-facts\">\n"
        body += "    <p class=\"periodical\">\(Markup.text(metadata.periodical?.name ?? library.name))</p>\n"
        body += "    <h1 id=\"edition-title\" class=\"edition-title\">\(Markup.text(metadata.title))</h1>\n"
        if let subtitle = metadata.subtitle { body += "    <p class=\"edition-subtitle\">\(Markup.text(subtitle))</p>\n" }
        body += "    <dl class=\"edition-line\">\n"
        if let number = metadata.periodical?.edition {
            body += "      <div><dt>\(Markup.text(labels[.edition]))</dt><dd>\(number)</dd></div>\n"
        }
        body += "      <div><dt>\(Markup.text(words[.date]))</dt><dd>\(dateMarkup)</dd></div>\n"
        if let issn = metadata.periodical?.issn ?? library.issn {
            body += "      <div><dt>\(Markup.text(labels[.issn]))</dt><dd>\(Markup.text(issn))</dd></div>\n"
        }
        body += "    </dl>\n"
        if let about = metadata.description { body += "    <p class=\"edition-description\">\(Markup.text(about))</p>\n" }
        body += downloads(from: webPage, headingLevel: 2, indent: "    ")
        body += "  </div>\n</section>\n"
        body += contents(from: webPage)
        body += "<section class=\"masthead-section\" aria-label=\"\(Markup.attribute(labels[.colophon]))\">\n"
        body += pages.masthead(indent: "  ")
        body += "</section>\n</main>\n"
        return webPage.render(body: body, bodyClass: "edition-page")
    }

    /// The contents with bylines, as the EPUB's and the printed ones have them.
    func contents(from page: WebPage) -> String {
        let pages = FrontMatterPages(book: book, labels: labels, dialect: .html)
        let id = "contents-\(edition.folder)"
        var body = "<nav class=\"contents\" aria-labelledby=\"\(id)\">\n"
        body += "  <h2 id=\"\(id)\">\(Markup.text(labels[.contents]))</h2>\n"
        for part in book.parts {
            if let title = part.title { body += "  <h3 class=\"part-title\">\(Markup.text(title))</h3>\n" }
            body += "  <ol class=\"contents-list\">\n"
            for article in part.articles {
                body += pages.contentsEntry(article, href: page.relative(edition.articlePath(article)), sourceWhenUnsigned: false)
            }
            body += "  </ol>\n"
        }
        return body + "</nav>\n"
    }
}

extension WebRenderer {
    /// The book's image files with their paths in the site, for the publisher to copy.
    static func imagePaths(_ context: EditionContext, folder: String) -> [(file: URL, path: String)] {
        context.images.map { ($0.file, "\(folder)/" + $0.epubPath.dropFirst("EPUB/".count)) }
    }
}
