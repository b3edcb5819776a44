/// Renders the whole edition as one HTML5 document for print (CSS Paged Media), from the same
/// model and with the same ids as the EPUB.
public struct PrintRenderer {
    public let book: Book
    let labels: Localization

    public init(book: Book) {
        self.book = book
        self.labels = Localization(language: book.metadata.language)
    }

    /// The HTML document; `stylesheet` is the href of print.css.
    public func render(stylesheet: String = "print.css") -> String {
        var body = ""
        for article in book.articles {
            let content = ContentRenderer(article: article, dialect: .html)
            body += "<section id=\"\(article.id)\">\n"
            body += ArticleFurniture(article: article, labels: labels, content: content)
                .header(titleLevel: 2, indent: "  ", dialect: .html)
            body += content.blocks(article.body, indent: "  ")
            body += "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="\(book.metadata.language)">
        <head>
        <meta charset="utf-8"/>
        <title>\(Markup.text(book.metadata.title))</title>
        <link rel="stylesheet" href="\(stylesheet)"/>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
