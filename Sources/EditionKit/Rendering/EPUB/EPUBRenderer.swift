import Foundation

/// Renders the book model as the files of an EPUB 3 publication: the documents, the
/// navigation, the package document and the container's own files.
public struct EPUBRenderer {
    public let book: Book
    public let stylesheet: String
    public let modified: BuildDate
    /// The cover; nil makes it from the book with the process's environment.
    public let cover: CoverImage?
    let labels: Localization

    public init(book: Book, stylesheet: String, modified: BuildDate, cover: CoverImage? = nil) {
        self.book = book
        self.stylesheet = stylesheet
        self.modified = modified
        self.cover = cover
        self.labels = Localization(language: book.metadata.language)
    }

    /// Every file of the publication, `mimetype` and `META-INF/container.xml` first.
    public func render() throws -> [EPUBFile] {
        var documents: [EPUBFile] = []
        let pages = FrontMatterPages(book: book, labels: labels)

        let covers = try coverImages()
        documents += covers
        documents.append(page("cover", pages.cover(imageHref: "../\(covers[0].href)"), title: labels[.cover],
                              bodyType: "cover"))
        documents.append(page("titlepage", pages.titlePage(), title: book.metadata.title, bodyType: "frontmatter"))
        documents.append(page("contents", pages.contents(href: articleHref), title: labels[.contents],
                              bodyType: "frontmatter"))
        for part in book.parts {
            if let title = part.title {
                documents.append(page(part.id, pages.partTitle(part), title: title, bodyType: "bodymatter"))
            }
            for article in part.articles {
                documents.append(articleDocument(article))
            }
        }
        if book.metadata.notePlacement == .book, book.articles.contains(where: { !$0.notes.isEmpty }) {
            documents.append(page("notes", notesDocument(), title: labels[.notes], bodyType: "backmatter"))
        }
        documents.append(page("colophon", pages.colophon(), title: labels[.colophon], bodyType: "backmatter"))
        documents.append(EPUBFile(path: "EPUB/css/epub.css", mediaType: "text/css", text: stylesheet))
        documents += try images.map { source, path in
            let data = try Data(contentsOf: book.localFile(forImage: source) ?? book.root.appendingPathComponent(source))
            return EPUBFile(path: path, mediaType: Self.imageMediaType(source), data: data)
        }

        let navigation = Navigation(book: book, labels: labels, articleHref: articleHref)
        documents.append(EPUBFile(path: "EPUB/nav.xhtml", mediaType: EPUBFile.xhtml,
                                  text: navigation.navDocument(), properties: ["nav"]))
        documents.append(EPUBFile(path: "EPUB/toc.ncx", mediaType: "application/x-dtbncx+xml",
                                  text: navigation.ncx()))

        let package = PackageDocument(book: book, labels: labels, modified: modified, files: documents)
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
                      language: String? = nil) -> EPUBFile {
        let xhtml = XHTMLPage(title: title, language: language ?? book.metadata.language, bodyType: bodyType)
        return EPUBFile(path: "EPUB/text/\(name).xhtml", mediaType: EPUBFile.xhtml,
                        text: xhtml.render(body: body), spine: .linear)
    }

    // MARK: Articles

    private func contentRenderer(for article: Article) -> ContentRenderer {
        let inBook = book.metadata.notePlacement == .book
        var renderer = ContentRenderer(article: article, dialect: .epub, noteHref: { label in
            (inBook ? "notes.xhtml" : "") + "#" + Ids.note(article, label)
        }, resolveLink: { resolveLink($0, from: article) })
        let images = self.images
        renderer.resolveImage = { source in images[source].map { "../" + $0.dropFirst("EPUB/".count) } ?? source }
        return renderer
    }

    /// The book's own image files that articles show, by source, with their path in the container.
    var images: [String: String] {
        var result: [String: String] = [:]
        for image in book.images where book.localFile(forImage: image.source) != nil {
            let name = image.source.removingPercentEncoding ?? image.source
            let ext = (name as NSString).pathExtension.lowercased()
            let stem = Slug.make((name as NSString).deletingPathExtension, fallback: "image")
            result[image.source] = "EPUB/images/figures/\(stem).\(ext)"
        }
        return result
    }

    static func imageMediaType(_ path: String) -> String {
        ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml",
         "webp": "image/webp", "gif": "image/gif"][(path as NSString).pathExtension.lowercased()] ?? "image/jpeg"
    }

    /// A link to another article's Markdown file goes to its document, and so does a link to
    /// `#id` when another article's document holds the id.
    private func resolveLink(_ destination: String, from article: Article) -> String {
        let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts[0].isEmpty, parts.count > 1, !article.linkTargets.contains(parts[1]),
           let target = book.article(holding: parts[1]) {
            return articleHref(target) + "#\(parts[1])"
        }
        guard parts[0].hasSuffix(".md"), let target = book.article(forLinkFile: parts[0]) else { return destination }
        return articleHref(target) + (parts.count > 1 ? "#\(parts[1])" : "")
    }

    /// The tool's words inside an article: in the article's language when the tool has them,
    /// so that a document in Spanish does not say "Notes" and "Back to citation" in English.
    private func labels(for article: Article) -> Localization {
        guard let language = article.language, Localization.isSupported(language) else { return labels }
        return Localization(language: language)
    }

    private func articleDocument(_ article: Article) -> EPUBFile {
        let labels = labels(for: article)
        let content = contentRenderer(for: article)
        let furniture = ArticleFurniture(article: article, labels: labels, content: content)
        let language = article.language ?? book.metadata.language
        var body = "<section id=\"\(article.id)\" class=\"article\" epub:type=\"chapter\" role=\"doc-chapter\" aria-labelledby=\"\(Ids.title(article))\">\n"
        body += furniture.header(titleLevel: 1, indent: "  ", dialect: .epub)
        body += content.blocks(article.body, indent: "  ")
        if book.metadata.notePlacement == .article, !article.notes.isEmpty {
            body += "  <section class=\"footnotes\" id=\"\(Ids.notesSection(article))\" aria-labelledby=\"\(Ids.notesSection(article))-heading\">\n"
            body += "    <h2 id=\"\(Ids.notesSection(article))-heading\">\(labels[.notes])</h2>\n"
            for note in article.notes {
                body += "    <aside class=\"footnote\" id=\"\(Ids.note(article, note.label))\" epub:type=\"footnote\" role=\"doc-footnote\">\n"
                body += content.noteBody(note, labels: labels, citationHref: { "#" + $0 }, indent: "      ")
                body += "    </aside>\n"
            }
            body += "  </section>\n"
        }
        body += "</section>\n"
        return page(article.id, body, title: article.plainTitle, bodyType: "bodymatter", language: language)
    }

    /// All notes of the edition in one document, grouped by article.
    private func notesDocument() -> String {
        var body = "<section class=\"endnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\" aria-labelledby=\"notes-heading\">\n"
        body += "  <h1 id=\"notes-heading\">\(labels[.notes])</h1>\n"
        for article in book.articles where !article.notes.isEmpty {
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
