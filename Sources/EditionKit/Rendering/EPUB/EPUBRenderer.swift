import Foundation

/// Renders the book model as the files of an EPUB 3 publication: the documents, the
/// navigation, the package document and the container's own files. Each article's document
/// is a function of the article and the resolved `EditionContext`.
public struct EPUBRenderer: Sendable {
    public let context: EditionContext
    public let stylesheet: String
    /// The files epub.css names (fonts, images, the stylesheets it imports), stored beside it
    /// under `EPUB/css/` at their paths in the styles folder, so its addresses find them.
    public var styleFiles: [Stylesheet.File] = []
    public let modified: BuildDate
    /// The cover; nil makes it from the book with the process's environment.
    public let cover: CoverImage?
    /// The PDF's page map and the print HTML it was laid out from: the EPUB gets their page
    /// list (PageList). Nil: no page list.
    public var printPages: (map: PageMap, printHTML: String)?
    var book: Book { context.book }
    var labels: Localization { context.labels }

    public init(context: EditionContext, stylesheet: String, modified: BuildDate, cover: CoverImage? = nil) {
        self.context = context
        self.stylesheet = stylesheet
        self.modified = modified
        self.cover = cover
    }

    public init(book: Book, stylesheet: String, modified: BuildDate, cover: CoverImage? = nil) {
        self.init(context: EditionContext(book: book), stylesheet: stylesheet, modified: modified, cover: cover)
    }

    /// Every file of the publication, `mimetype` and `META-INF/container.xml` first. The
    /// cover is made and the images are read from the book folder.
    public func render() throws -> [EPUBFile] {
        try assemble(articles: context.articles.map(articleDocument), assets: readAssets())
    }

    /// The files the EPUB does not render from the model: the cover's images (see
    /// `coverImages`), then the images the articles show, in the order of `context.images`.
    public func readAssets() throws -> [EPUBFile] {
        var files = try coverImages()
        var seen = Set<String>()
        for image in context.images where seen.insert(image.epubPath).inserted {
            files.append(EPUBFile(path: image.epubPath, mediaType: image.mediaType, data: try BookFiles.contents(of: image.file, inside: book.root)))
        }
        return files
    }

    /// Puts the publication together from the articles' documents (in reading order, from
    /// `articleDocument`) and the files `readAssets` read. Reads no file.
    public func assemble(articles: [EPUBFile], assets: [EPUBFile]) throws -> [EPUBFile] {
        var problems: [Diagnostic] = []
        return try assemble(articles: articles, assets: assets, problems: &problems)
    }

    /// The same; `problems` gets what placing the page list found wrong (page-list-mismatch).
    public func assemble(articles: [EPUBFile], assets: [EPUBFile], problems: inout [Diagnostic]) throws -> [EPUBFile] {
        var documents: [EPUBFile] = []
        let pages = FrontMatterPages(book: book, labels: labels)
        var articleDocuments = articles.makeIterator()

        let covers = assets.prefix { $0.path.hasPrefix("EPUB/images/cover.") }
        documents += covers
        documents.append(page("cover", pages.cover(imageHref: "../\(covers.first?.href ?? "")"), title: labels[.cover],
                              bodyType: "cover"))
        documents.append(page("titlepage", pages.titlePage(), title: book.metadata.title, bodyType: "frontmatter"))
        var contentsFacts = EditionContext.ContentFacts()
        for article in context.articles {
            contentsFacts.formUnion(EditionContext.ContentFacts(inlines: article.title + (article.subtitle ?? [])
                                                                + (article.authors.isEmpty ? article.source ?? [] : [])))
        }
        documents.append(page("contents", pages.contents(href: articleHref), title: labels[.contents],
                              bodyType: "frontmatter", facts: contentsFacts))
        for part in book.parts {
            if let title = part.title {
                documents.append(page(part.id, pages.partTitle(part), title: title, bodyType: "bodymatter"))
            }
            for _ in part.articles {
                if let document = articleDocuments.next() { documents.append(document) }
            }
        }
        if book.metadata.notePlacement == .book, context.facts.noteCount > 0 {
            var facts = EditionContext.ContentFacts()
            for article in context.articles where !article.notes.isEmpty {
                facts.formUnion(EditionContext.ContentFacts(inlines: article.title))
                for note in article.notes { facts.formUnion(EditionContext.ContentFacts(blocks: note.blocks)) }
            }
            documents.append(page("notes", notesDocument(), title: labels[.notes], bodyType: "backmatter", facts: facts))
        }
        documents.append(page("colophon", pages.colophon(showing: context.shownCorrections), title: labels[.colophon], bodyType: "backmatter"))
        documents.append(EPUBFile(path: "EPUB/css/epub.css", mediaType: "text/css", text: stylesheet))
        for file in styleFiles {
            documents.append(EPUBFile(path: "EPUB/css/\(file.path)", mediaType: file.mediaType ?? "application/octet-stream", data: file.data))
        }
        documents += assets.dropFirst(covers.count)

        var navigation = Navigation(context: context, articleHref: articleHref)
        if let printPages {
            let placed = PageList.insert(printPages.map, printHTML: printPages.printHTML, into: &documents)
            navigation.pageList = placed.0
            problems += placed.1
        }
        // The tree of entries walks every article's headings: once for both documents.
        let entries = navigation.entries
        documents.append(EPUBFile(path: "EPUB/nav.xhtml", mediaType: EPUBFile.xhtml,
                                  data: navigation.navDocument(entries: entries), properties: ["nav"]))
        documents.append(EPUBFile(path: "EPUB/toc.ncx", mediaType: "application/x-dtbncx+xml",
                                  data: navigation.ncx(entries: entries)))

        var package = PackageDocument(context: context, modified: modified, files: documents)
        package.hasPageList = !(navigation.pageList?.entries.isEmpty ?? true)
        return [
            EPUBFile(path: "mimetype", mediaType: "text/plain", text: "application/epub+zip"),
            EPUBFile(path: "META-INF/container.xml", mediaType: "application/xml", text: Self.containerXML),
            EPUBFile(path: "EPUB/package.opf", mediaType: "application/oebps-package+xml", text: package.render()),
        ] + documents
    }

    static let containerXML = """
    <?xml version="1.0" encoding="UTF-8"?>
    <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
      <rootfiles>
        <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
      </rootfiles>
    </container>

    """

    /// Where an article's document is, relative to another document in `text/`.
    func articleHref(_ article: Article) -> String { "\(article.id).xhtml" }

    private func page(_ name: String, _ body: String, title: String, bodyType: String?,
                      language: String? = nil, facts: EditionContext.ContentFacts = []) -> EPUBFile {
        let xhtml = XHTMLPage(title: title, language: language ?? book.metadata.language, bodyType: bodyType)
        var properties: [String] = []
        if facts.contains(.svg) { properties.append("svg") }
        if facts.contains(.mathML) { properties.append("mathml") }
        return EPUBFile(path: "EPUB/text/\(name).xhtml", mediaType: EPUBFile.xhtml,
                        text: xhtml.render(body: body), properties: properties, spine: .linear)
    }

    // MARK: Articles

    /// The shared content renderer, set up for the EPUB: notes in the article's document or
    /// in notes.xhtml, links to other articles' documents, images under `images/figures/`.
    public func contentRenderer(for article: Article) -> ContentRenderer {
        let inBook = book.metadata.notePlacement == .book
        return ContentRenderer(article: article, context: context, dialect: .epub,
                               noteHref: { label in (inBook ? "notes.xhtml" : "") + "#" + Ids.note(article, label) },
                               articleHref: { target, fragment in articleHref(target) + (fragment.map { "#" + $0 } ?? "") },
                               imageHref: { "../" + $0.epubPath.dropFirst("EPUB/".count) })
    }

    static func imageMediaType(_ path: String) -> String { EditionContext.mediaType(ofFile: path) }

    private func labels(for article: Article) -> Localization { context.labels(for: article) }

    /// The document of one article: a pure function of the article and the context.
    public func articleDocument(_ article: Article) -> EPUBFile {
        let labels = labels(for: article)
        let content = contentRenderer(for: article)
        let furniture = ArticleFurniture(article: article, labels: labels, content: content)
        let language = article.language ?? book.metadata.language
        var body = "<section id=\"\(article.id)\" class=\"article\" epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"\(Ids.title(article))\">\n"
        body += furniture.header(titleLevel: 1, indent: "  ", dialect: .epub)
        body += content.blocks(article.body, indent: "  ")
        if book.metadata.notePlacement == .article {
            body += CitedNotes(article: article, labels: labels, content: content).section(indent: "  ", dialect: .epub)
            body += UnlinkedNotes(article: article, labels: labels, content: content).epub(indent: "  ")
        }
        body += "</section>\n"
        var facts = context.facts(of: article)
        if book.metadata.notePlacement == .article {
            for note in article.notes { facts.formUnion(EditionContext.ContentFacts(blocks: note.blocks)) }
        }
        return page(article.id, body, title: article.plainTitle, bodyType: "bodymatter", language: language, facts: facts)
    }

    /// All notes of the edition in one document, grouped by article.
    private func notesDocument() -> String {
        var body = "<section class=\"endnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\" aria-labelledby=\"notes-heading\">\n"
        body += "  <h1 id=\"notes-heading\">\(labels[.notes])</h1>\n"
        for article in context.articles where !article.notes.isEmpty {
            let content = contentRenderer(for: article)
            let labels = labels(for: article)
            let language = article.language.map { " xml:lang=\"\($0)\" lang=\"\($0)\"" } ?? ""
            body += "  <section id=\"\(Ids.notesSection(article))\"\(language)>\n"
            body += "    <h2>\(content.inlines(article.title))</h2>\n"
            body += "    <ol class=\"notes\">\n"
            for note in article.notes {
                body += "      <li id=\"\(Ids.note(article, note.label))\" epub:type=\"endnote\">\n"
                body += content.noteBody(note, labels: labels, citationHref: { "\(articleHref(article))#\($0)" },
                                         indent: "        ")
                body += "      </li>\n"
            }
            body += "    </ol>\n  </section>\n"
        }
        return body + "</section>\n"
    }

    // MARK: Cover

    /// The cover page's image first: the SVG cover when there is one, else the raster, which
    /// is always the publication's `cover-image` (reading systems and Calibre want a raster).
    private func coverImages() throws -> [EPUBFile] {
        let cover = try self.cover ?? CoverImage(book: book)
        let raster = try cover.raster()
        let image = EPUBFile(path: "EPUB/images/cover.\(raster.fileExtension)", mediaType: raster.mediaType,
                             data: raster.data, properties: ["cover-image"])
        guard let svg = cover.svg else { return [image] }
        return [EPUBFile(path: "EPUB/images/cover.svg", mediaType: "image/svg+xml", text: svg), image]
    }
}
