import Foundation

/// Renders the whole edition as one HTML5 document for print (CSS Paged Media, laid out by
/// WeasyPrint with styles/print.css), from the same model and with the same ids as the EPUB:
/// cover, masthead page, contents, part title pages, articles, whose notes are footnotes
/// (`float: footnote`) placed at their first citation, and the colophon.
///
/// The document only says what things are; print.css says how they look and where pages
/// break. The few settings that come from book.yaml are classes (`recto-openings`,
/// `body-start`, `opening-left`/`opening-right`) and one generated `@page` rule that sets
/// the number of the first article's page.
public struct PrintRenderer: Sendable {
    public let context: EditionContext
    /// The cover image's bytes, when the book has one (read by whoever runs the renderer).
    public let coverImage: Data?
    var book: Book { context.book }
    var labels: Localization { context.labels }
    var pages: FrontMatterPages { FrontMatterPages(book: book, labels: labels, dialect: .html) }

    /// The article that opens the body: the first one, when no titled part comes before it.
    let openingArticle: String?

    public init(context: EditionContext, coverImage: Data?) {
        self.context = context
        self.coverImage = coverImage
        let first = context.book.parts.first { $0.title != nil || !$0.articles.isEmpty }
        openingArticle = first?.title == nil ? first?.articles.first?.id : nil
    }

    /// Reads the cover image, when the book has one.
    public init(book: Book) {
        let cover = book.metadata.cover.flatMap { try? BookFiles.contents(of: book.root.appendingPathComponent($0), inside: book.root) }
        self.init(context: EditionContext(book: book), coverImage: cover)
    }

    /// The HTML document; `stylesheet` is the href of print.css.
    public func render(stylesheet: String = "print.css") -> String {
        render(stylesheet: stylesheet, articles: context.articles.map { article($0) })
    }

    /// The HTML document around the articles' markup (`article(_:)` of each, in reading order),
    /// as one string: the pieces `document` puts together, joined.
    public func render(stylesheet: String, articles: [String]) -> String {
        document(stylesheet: stylesheet, articles: articles.map { .text($0) }).text
    }

    /// The document as pieces: the page's markup and the articles' pieces (in reading order),
    /// which the caller has rendered or found in the cache (`PrintDocument`).
    public func document(stylesheet: String, articles: [PrintDocument.Piece]) -> PrintDocument {
        var document = PrintDocument()
        var markup = ""
        compose(stylesheet: stylesheet, articleCount: articles.count, markup: { markup += $0 }, article: { next in
            document.append(markup)
            markup = ""
            document.append(articles[next])
        })
        document.append(markup)
        return document
    }

    /// Puts the page together: `markup` gets the page's own markup, `article(i)` stands for the
    /// i-th article's, in the order they go into the document.
    private func compose(stylesheet: String, articleCount: Int, markup: (String) -> Void, article: (Int) -> Void) {
        var bodyClasses = ["edition"]
        if book.metadata.print.rectoOpenings { bodyClasses.append("recto-openings") }
        markup("""
        <!DOCTYPE html>
        <html lang="\(Markup.attribute(book.metadata.language))">
        <head>
        <meta charset="utf-8"/>
        <title>\(Markup.text(book.metadata.title))</title>
        \(metadataElements)<link rel="stylesheet" href="\(Markup.attribute(stylesheet))"/>
        <style>
        /* From book.yaml: the front pages do not count (print.css), so this numbers the
           body's first page \(bodyStartPageNumber) and the first article's \(book.metadata.print.firstPage) (print.first-page). */
        @page :first { counter-reset: page \(bodyStartPageNumber - 1); }
        </style>
        </head>
        <body class="\(bodyClasses.joined(separator: " "))">

        """)
        var next = 0
        // The front matter and what opens the body share one wrapper, so that a blank page
        // left between them (to open the body on the side its number calls for) is a front
        // page too, which print.css leaves unnumbered and uncounted.
        markup("<div class=\"edition-opening\">\n")
        markup(pages.cover(imageHref: coverDataURI))
        markup("<div class=\"masthead-page\">\n")
        markup(pages.titlePage())
        if let rights = book.metadata.rights {
            markup("<p class=\"rights\">\(Markup.text(rights))</p>\n")
        }
        markup("</div>\n")
        markup(pages.contents(href: { "#" + $0.id }))
        var opening = true
        for part in book.parts {
            if part.title != nil {
                if opening { markup("<div class=\"\(bodyStartClasses)\">\n") }
                markup(pages.partTitle(part))
                if opening { markup("</div>\n</div>\n") }
                opening = false
            }
            for _ in part.articles {
                if next < articleCount {
                    article(next)
                    next += 1
                }
                if opening { markup("</div>\n") }
                opening = false
            }
        }
        if opening { markup("</div>\n") }
        // The last page: the colophon, with the corrections on record, as the EPUB has it.
        markup(pages.colophon(showing: context.shownCorrections))
        markup("</body>\n</html>\n")
    }

    // MARK: Metadata

    /// The `<meta>` elements WeasyPrint maps into the PDF's metadata: authors (the editors, else
    /// the publisher), subject (the description), keywords, creation date and generator.
    var metadataElements: String {
        let metadata = book.metadata
        var result = ""
        func meta(_ name: String, _ content: String) {
            result += "<meta name=\"\(name)\" content=\"\(Markup.attribute(content))\"/>\n"
        }
        for author in authors { meta("author", author) }
        meta("description", subject)
        meta("keywords", keywords.joined(separator: ", "))
        meta("dcterms.created", metadata.date)
        meta("generator", "edition")
        return result
    }

    /// Who the PDF names as its authors: the edition's editors, or else its publisher.
    public var authors: [String] {
        let editors = book.metadata.contributors.filter { $0.role == .responsibleEditor || $0.role == .editor }
        if !editors.isEmpty { return editors.map(\.name) }
        return book.metadata.publisher.map { [$0] } ?? []
    }

    /// The PDF's subject, a short line (Calibre makes a tag of it): book.yaml's first subject,
    /// or else the edition line.
    public var subject: String {
        book.metadata.editorial.subjects.first ?? book.metadata.description
            ?? [book.metadata.periodical?.name, pages.editionLine].compactMap { $0 }.joined(separator: ", ")
    }

    /// The PDF's keywords: book.yaml's subjects, or else the periodical, the title and the subtitle.
    public var keywords: [String] {
        let subjects = book.metadata.editorial.subjects
        return subjects.isEmpty ? [book.metadata.periodical?.name, book.metadata.title, book.metadata.subtitle].compactMap { $0 } : subjects
    }

    /// What the running head of left pages shows: the periodical and the edition's title.
    public var editionName: String {
        [book.metadata.periodical?.name, book.metadata.title].compactMap { $0 }.joined(separator: " · ")
    }

    // MARK: Page numbers

    /// The number of the first page of the body (the first part's title page, or the first
    /// article): book.yaml's `print.first-page` is the first article's.
    var bodyStartPageNumber: Int {
        guard book.parts.first?.title != nil else { return book.metadata.print.firstPage }
        // The part's title page, and, when every opening is on the right, the blank page
        // between it and the first article.
        return book.metadata.print.firstPage - (book.metadata.print.rectoOpenings ? 2 : 1)
    }

    /// The classes of the element that opens the body: it starts on the side its number calls
    /// for, even numbers on left pages, unless every opening is to be on a right-hand page.
    var bodyStartClasses: String {
        let right = book.metadata.print.rectoOpenings || bodyStartPageNumber % 2 != 0
        return "body-start \(right ? "opening-right" : "opening-left")"
    }

    // MARK: Articles

    /// The markup of one article: a function of the article and the context.
    public func article(_ article: Article) -> String {
        let inPart = context.part(of: article)?.title != nil
        let opensBody = openingArticle == article.id
        let labels = self.labels
        let placed = PlacedNotes()
        let content = contentRenderer(for: article, placed: placed)
        let furniture = ArticleFurniture(article: article, labels: labels, content: content)
        var classes = ["article"]
        if inPart { classes.append("in-part") }
        if opensBody { classes.append(bodyStartClasses) }
        let lang = article.language.map { " lang=\"\(Markup.attribute($0))\"" } ?? ""
        var result = "<article id=\"\(article.id)\" class=\"\(classes.joined(separator: " "))\"\(lang) aria-labelledby=\"\(Ids.title(article))\">\n"
        // An empty block at the top of the article's first page: it names the running heads
        // and the bookmark, in plain text without the title's note citations.
        let title = article.title.withoutNotes.plainText
        result += "  <div class=\"running-head\" data-edition=\"\(Markup.attribute(editionName))\" data-title=\"\(Markup.attribute(title))\"></div>\n"
        result += furniture.header(titleLevel: 1, indent: "  ", dialect: .html)
        result += "  <div class=\"article-body\">\n"
        for block in article.body {
            result += self.block(block, content: content)
        }
        // Notes whose citation mark was lost in the source (or that no rendered text cites)
        // come at the end of the article, in the order the source defines them.
        let rest = article.notes.filter { !placed.labels.contains($0.label) }
        if !rest.isEmpty {
            // Titled, as in the EPUB: a reader sees why these notes have no number in the text.
            // The same ids as the EPUB's list of notes whose marks were lost.
            let unlinked = rest.allSatisfy { $0.citationCount == 0 }
            let title = unlinked ? labels[.unlinkedNotes] : labels[.notes]
            let id = Ids.notesSection(article) + (unlinked ? "-unlinked" : "")
            result += "  <aside class=\"endnotes\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
            result += "    <h2 id=\"\(id)-heading\" class=\"endnotes-title\">\(Markup.text(title))</h2>\n"
            for note in rest {
                result += "    <div class=\"endnote\" id=\"\(Ids.note(article, note.label))\" role=\"doc-endnote\">\n"
                result += plainRenderer(for: article).noteBody(note, labels: labels, citationHref: { "#" + $0 },
                                                               indent: "      ")
                result += "    </div>\n"
            }
            result += "  </aside>\n"
        }
        return result + "  </div>\n</article>\n"
    }

    /// A block of an article's text. A heading that cites a note says its bookmark's label
    /// (its text without the citation's number) in `data-bookmark`, which print.css reads.
    private func block(_ block: Block, content: ContentRenderer) -> String {
        guard case .heading(let heading) = block, heading.content.withoutNotes != heading.content else {
            return content.block(block, indent: "  ")
        }
        let rendered = content.block(block, indent: "  ")
        let tag = "<h\(min(max(heading.level, 1), 6)) "
        guard rendered.hasPrefix("  " + tag) else { return rendered }
        let label = Markup.attribute(heading.content.withoutNotes.plainText)
        return "  " + tag + "data-bookmark=\"\(label)\" " + rendered.dropFirst(2 + tag.count)
    }

    /// The article's renderer: a citation is the usual note reference link, and the first
    /// citation of a note is followed by the note itself, which print.css floats to the foot
    /// of the page.
    private func contentRenderer(for article: Article, placed: PlacedNotes) -> ContentRenderer {
        let plain = plainRenderer(for: article)
        let footnotes = FootnoteRenderer(content: plain)
        var content = plain
        let notes = Dictionary(article.notes.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        content.renderNoteReference = { reference in
            let citation = plain.noteReference(reference)
            guard let note = notes[reference.label], !placed.labels.contains(reference.label) else { return citation }
            placed.labels.insert(reference.label)
            return citation + footnotes.footnote(note)
        }
        return content
    }

    /// Renders citations as links only: for the notes' own text.
    private func plainRenderer(for article: Article) -> ContentRenderer {
        var renderer = ContentRenderer(article: article, context: context, dialect: .html, articleHref: { "#" + ($1 ?? $0.id) },
                                       imageHref: \.printHref)
        renderer.renderText = PrintText(exceptions: context.book.metadata.print.hyphenation).render
        return renderer
    }

    // MARK: Images

    /// The book's image files the articles show, with the href the print HTML gives them
    /// (relative to the HTML): whoever writes the HTML copies them there.
    public var images: [(file: URL, href: String)] {
        var seen = Set<String>()
        return context.images.compactMap { image in
            seen.insert(image.printHref).inserted ? (image.file, image.printHref) : nil
        }
    }

    /// The cover, inside the document: the book's cover image, or the generated SVG cover.
    var coverDataURI: String {
        if let cover = book.metadata.cover, let data = coverImage {
            let type = EPUBRenderer.imageMediaType(cover)
            return "data:\(type);base64,\(data.base64EncodedString())"
        }
        let svg = CoverArt(book: book, labels: labels).svg()
        return "data:image/svg+xml;base64,\(Data(svg.utf8).base64EncodedString())"
    }
}

/// The notes already placed as footnotes while an article renders (the renderer's closures
/// share it): a note cited twice is placed once, at its first citation.
final class PlacedNotes {
    var labels = Set<String>()
}
