/// The pages generated from the metadata: cover, title page with the masthead, contents, part
/// titles and colophon. Their bodies are markup valid as XHTML and as HTML5, for every output.
public struct FrontMatterPages {
    public let book: Book
    public let labels: Localization
    /// Whether `epub:type` attributes may be written.
    public var dialect: ContentRenderer.Dialect = .epub

    public init(book: Book, labels: Localization, dialect: ContentRenderer.Dialect = .epub) {
        self.book = book
        self.labels = labels
        self.dialect = dialect
    }

    var metadata: BookMetadata { book.metadata }

    private func type(_ value: String) -> String { dialect == .epub ? " epub:type=\"\(value)\"" : "" }

    /// "Edition 29 · June 2026".
    public var editionLine: String {
        var parts: [String] = []
        if let edition = metadata.periodical?.edition { parts.append("\(labels[.edition]) \(edition)") }
        parts.append(metadata.dateLabel ?? labels.monthAndYear(metadata.date))
        return parts.joined(separator: " · ")
    }

    /// The text alternative of the cover.
    public var coverDescription: String {
        var parts: [String] = []
        if let periodical = metadata.periodical { parts.append(periodical.name) }
        parts.append(editionLine)
        parts.append(metadata.title)
        if let subtitle = metadata.subtitle { parts.append(subtitle) }
        return "\(labels[.cover]): " + parts.joined(separator: ", ")
    }

    public func cover(imageHref: String) -> String {
        """
        <section class="cover"\(type("cover"))>
          <img class="cover-image" role="doc-cover" src="\(Markup.attribute(imageHref))" alt="\(Markup.attribute(coverDescription))"/>
        </section>

        """
    }

    public func titlePage() -> String {
        var body = "<section class=\"titlepage\"\(type("titlepage")) aria-labelledby=\"titlepage-title\">\n"
        if let periodical = metadata.periodical {
            body += "  <p class=\"periodical\">\(Markup.text(periodical.name))</p>\n"
        }
        body += "  <p class=\"edition-line\">\(Markup.text(editionLine))</p>\n"
        body += "  <h1 id=\"titlepage-title\" class=\"book-title\">\(Markup.text(metadata.title))</h1>\n"
        if let subtitle = metadata.subtitle {
            body += "  <p class=\"book-subtitle\"\(type("subtitle")) role=\"doc-subtitle\">\(Markup.text(subtitle))</p>\n"
        }
        body += masthead(indent: "  ")
        return body + "</section>\n"
    }

    /// The masthead: publisher, editors and layout, ISSN, website.
    public func masthead(indent: String) -> String {
        var body = "\(indent)<dl class=\"masthead\">\n"
        func entry(_ term: String, _ value: String) {
            body += "\(indent)  <div><dt>\(Markup.text(term))</dt><dd>\(value)</dd></div>\n"
        }
        if let publisher = metadata.publisher { entry(labels[.publishedBy], Markup.text(publisher)) }
        var roles: [Contributor.Role] = []
        for contributor in metadata.contributors where !roles.contains(contributor.role) { roles.append(contributor.role) }
        for role in roles {
            let names = metadata.contributors.filter { $0.role == role }.map(\.name)
            entry(labels.role(role), Markup.text(labels.list(names)))
        }
        if let issn = metadata.periodical?.issn { entry(labels[.issn], Markup.text(issn)) }
        if let website = metadata.website {
            let shown = String(website.utf8.dropFirst(TextShape.webSchemeLength(website, ignoringCase: false) ?? 0))!
            entry(labels[.website], "<a href=\"\(Markup.attribute(website))\">\(Markup.text(shown))</a>")
        }
        return body + "\(indent)</dl>\n"
    }

    /// The contents page as the print edition has it: titles with the bylines under them.
    /// `href` gives the link to an article (a file in the EPUB, an anchor in print).
    public func contents(href: (Article) -> String) -> String {
        var body = "<nav class=\"contents\" role=\"doc-toc\" aria-labelledby=\"contents-title\">\n"
        body += "  <h1 id=\"contents-title\">\(labels[.contents])</h1>\n"
        for part in book.parts {
            if let title = part.title {
                body += "  <h2 class=\"part-title\">\(Markup.text(title))</h2>\n"
            }
            body += "  <ol class=\"contents-list\">\n"
            for article in part.articles { body += contentsEntry(article, href: href(article)) }
            body += "  </ol>\n"
        }
        return body + "</nav>\n"
    }

    /// One entry of a contents list: the title, linking to the article, its subtitle and byline
    /// (an unsigned article's source line in its place, unless `sourceWhenUnsigned` is false).
    func contentsEntry(_ article: Article, href: String, sourceWhenUnsigned: Bool = true) -> String {
        let content = ContentRenderer(article: article, dialect: dialect)
        let furniture = ArticleFurniture(article: article, labels: labels, content: content)
        let lang = article.language.map { language in
            let value = Markup.attribute(language)
            return " lang=\"\(value)\"" + (dialect == .epub ? " xml:lang=\"\(value)\"" : "")
        } ?? ""
        var entry = "    <li\(lang)>\n"
        entry += "      <p class=\"contents-title\"><a href=\"\(Markup.attribute(href))\">\(content.inlines(article.title.withoutNotes))</a></p>\n"
        if let subtitle = article.subtitle {
            entry += "      <p class=\"contents-subtitle\">\(content.inlines(subtitle.withoutNotes))</p>\n"
        }
        if let byline = furniture.bylineMarkup {
            entry += "      <p class=\"contents-byline\">\(byline)</p>\n"
        } else if sourceWhenUnsigned, let source = article.source {
            entry += "      <p class=\"contents-byline\">\(content.inlines(source.withoutNotes))</p>\n"
        }
        return entry + "    </li>\n"
    }

    public func partTitle(_ part: Part) -> String {
        """
        <section class="part" id="\(part.id)"\(type("part")) role="doc-part" aria-labelledby="\(part.id)-title">
          <h1 id="\(part.id)-title" class="part-title">\(Markup.text(part.title ?? ""))</h1>
        </section>

        """
    }

    /// The colophon: the edition, its rights and masthead, its first publication, revision and
    /// the editors' dated `corrections` as shown. The EPUB's colophon page and the print edition's last
    /// page are this one markup; its id lets the print edition's pages be found in the EPUB's
    /// (a page of the PDF that begins inside it is the same word of the same element).
    public func colophon(showing corrections: [Correction]) -> String {
        var body = "<section class=\"colophon\" id=\"colophon\"\(type("colophon")) aria-labelledby=\"colophon-title\">\n"
        body += "  <h1 id=\"colophon-title\">\(labels[.colophon])</h1>\n"
        var title = metadata.title
        if let periodical = metadata.periodical { title = "\(periodical.name) — \(title)" }
        body += "  <p class=\"colophon-title\"><em>\(Markup.text(title))</em>, \(Markup.text(editionLine)).</p>\n"
        if let rights = metadata.rights { body += "  <p class=\"rights\">\(Markup.text(rights))</p>\n" }
        body += masthead(indent: "  ")
        body += ColophonRecord(book: book, labels: labels, corrections: corrections).markup(indent: "  ")
        body += "  <p class=\"made-with\">\(Markup.text(labels[.madeWith])).</p>\n"
        return body + "</section>\n"
    }
}

extension Array where Element == Inline {
    /// The same inlines without note citations: for titles shown outside their article.
    public var withoutNotes: [Inline] {
        compactMap { inline in
            switch inline {
            case .noteReference: return nil
            case .emphasis(let content): return .emphasis(content.withoutNotes)
            case .strong(let content): return .strong(content.withoutNotes)
            case .strikethrough(let content): return .strikethrough(content.withoutNotes)
            case .link(let destination, let title, let content):
                return .link(destination: destination, title: title, content: content.withoutNotes)
            default: return inline
            }
        }
    }
}
