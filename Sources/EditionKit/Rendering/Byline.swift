/// How an article presents its authors, source and date, shared by every output.
public struct ArticleFurniture {
    public var article: Article
    public var labels: Localization
    public var content: ContentRenderer

    public init(article: Article, labels: Localization, content: ContentRenderer) {
        self.article = article
        self.labels = labels
        self.content = content
    }

    /// "Lena Souza, PSTU Brazil and Florence Oppen, Workers' Voice (US)" with spans to style.
    public var bylineMarkup: String? {
        guard !article.authors.isEmpty else { return nil }
        let names = article.authors.map { author -> String in
            var text = "<span class=\"author\">\(Markup.text(author.name))</span>"
            if let organization = author.organization {
                text += ", <span class=\"organization\">\(Markup.text(organization))</span>"
            }
            return text
        }
        return labels.list(names)
    }

    /// The byline as plain text, for metadata and navigation.
    public var bylineText: String? {
        guard !article.authors.isEmpty else { return nil }
        return labels.list(article.authors.map { author in
            author.organization.map { "\(author.name), \($0)" } ?? author.name
        })
    }

    /// The header of an article: title, subtitle, byline, source line and date.
    public func header(titleLevel: Int, indent: String, dialect: ContentRenderer.Dialect) -> String {
        var result = "\(indent)<header>\n"
        result += "\(indent)  <h\(titleLevel) class=\"title\" id=\"\(Ids.title(article))\">\(content.inlines(article.title))</h\(titleLevel)>\n"
        if let subtitle = article.subtitle {
            let type = dialect == .epub ? " epub:type=\"subtitle\"" : ""
            result += "\(indent)  <p class=\"subtitle\"\(type) role=\"doc-subtitle\">\(content.inlines(subtitle))</p>\n"
        }
        if let byline = bylineMarkup {
            result += "\(indent)  <p class=\"byline\">\(byline)</p>\n"
        }
        if let source = article.source {
            result += "\(indent)  <p class=\"source\">\(content.inlines(source))</p>\n"
        }
        if let date = article.date {
            result += "\(indent)  <p class=\"date\">\(Markup.text(date))</p>\n"
        }
        return result + "\(indent)</header>\n"
    }
}
