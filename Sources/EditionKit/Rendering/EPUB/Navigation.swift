import Foundation

/// The navigation document (`nav.xhtml`: contents, landmarks) and `toc.ncx` for older
/// reading systems, both from one tree of entries.
struct Navigation {
    /// The edition: its book, labels, and each article's headings as resolved.
    let context: EditionContext
    let articleHref: (Article) -> String
    var book: Book { context.book }
    var labels: Localization { context.labels }
    /// The print edition's pages, when the EPUB has them.
    var pageList: PageList? = nil

    /// An entry of the table of contents.
    struct Entry {
        var label: String
        var href: String
        var children: [Entry] = []
        /// Set when the label is in another language than the book's.
        var language: String? = nil
    }

    /// Parts → articles → the headings inside each article. An untitled part adds no level.
    var entries: [Entry] {
        var result: [Entry] = []
        for part in book.parts {
            let articles = part.articles.map(articleEntry)
            if let title = part.title {
                result.append(Entry(label: title, href: "text/\(part.id).xhtml", children: articles))
            } else {
                result += articles
            }
        }
        if book.metadata.notePlacement == .book, context.articles.contains(where: { $0.outline.noteCount > 0 }) {
            result.append(Entry(label: labels[.notes], href: "text/notes.xhtml"))
        }
        result.append(Entry(label: labels[.colophon], href: "text/colophon.xhtml"))
        return result
    }

    private func articleEntry(_ article: Article) -> Entry {
        let href = "text/" + articleHref(article)
        let language = article.language == book.metadata.language ? nil : article.language
        var entry = Entry(label: article.title.plainText, href: href, language: language)
        // Nest headings by level under the article: a stack of the open entries, each moved
        // into the one below it (or the article's) when a heading of its level or higher
        // closes it, so that no entry is looked for again from the top.
        var open: [(level: Int, entry: Entry)] = []
        func close(downTo level: Int) {
            while let last = open.last, last.level >= level {
                open.removeLast()
                if open.isEmpty {
                    entry.children.append(last.entry)
                } else {
                    open[open.count - 1].entry.children.append(last.entry)
                }
            }
        }
        for heading in context.headings(of: article) {
            close(downTo: heading.level)
            open.append((heading.level, Entry(label: heading.content.plainText, href: href + "#" + heading.id,
                                              language: language)))
        }
        close(downTo: .min)
        return entry
    }

    /// The navigation document of `entries` (`entries`, worked out once for it and the NCX).
    func navDocument(entries: [Entry]) -> Data {
        var body = MarkupBytes(capacity: 1 << 16)
        body.append("<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n")
        body.append("  <h1 id=\"toc-title\">\(labels[.contents])</h1>\n")
        list(entries, indent: 2, into: &body)
        body.append("</nav>\n")
        body.append("<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"landmarks-title\" hidden=\"hidden\">\n")
        body.append("  <h2 id=\"landmarks-title\">\(labels[.landmarks])</h2>\n  <ol>\n")
        var landmarks: [(String, String, String)] = [
            ("cover", "text/cover.xhtml", labels[.cover]),
            ("titlepage", "text/titlepage.xhtml", labels[.titlePage]),
            ("toc", "text/contents.xhtml", labels[.contents]),
        ]
        if let first = context.articles.first {
            landmarks.append(("bodymatter", "text/" + articleHref(first), labels[.startOfReading]))
        }
        if book.metadata.notePlacement == .book, context.articles.contains(where: { $0.outline.noteCount > 0 }) {
            landmarks.append(("endnotes", "text/notes.xhtml", labels[.notes]))
        }
        for (type, href, label) in landmarks {
            body.append("    <li><a epub:type=\"\(type)\" href=\"\(href)\">\(Markup.text(label))</a></li>\n")
        }
        body.append("  </ol>\n</nav>\n")
        if let pageList, !pageList.entries.isEmpty { body.append(pageList.navigation(title: labels[.pages])) }
        return XHTMLPage(title: labels[.contents], language: book.metadata.language, bodyType: nil,
                         stylesheet: "css/epub.css").render(body: body)
    }

    /// Appends the list of `entries`, `indent` spaces in, to `result`: one buffer for the whole
    /// tree, nested lists written in place.
    private func list(_ entries: [Entry], indent: Int, into result: inout MarkupBytes) {
        result.spaces(indent)
        result.append("<ol>\n")
        for entry in entries {
            result.spaces(indent)
            result.append("  <li><a href=\"")
            result.attribute(entry.href)
            result.append("\"")
            if let language = entry.language {
                result.append(" xml:lang=\"")
                result.attribute(language)
                result.append("\" lang=\"")
                result.attribute(language)
                result.append("\"")
            }
            result.append(">")
            result.text(entry.label)
            result.append("</a>")
            if entry.children.isEmpty {
                result.append("</li>\n")
            } else {
                result.append("\n")
                list(entry.children, indent: indent + 4, into: &result)
                result.spaces(indent)
                result.append("  </li>\n")
            }
        }
        result.spaces(indent)
        result.append("</ol>\n")
    }

    /// The NCX of `entries`.
    func ncx(entries: [Entry]) -> Data {
        var playOrder = 0
        func points(_ entries: [Entry], indent: Int, into result: inout MarkupBytes) {
            for entry in entries {
                playOrder += 1
                result.spaces(indent)
                result.append("<navPoint id=\"navpoint-")
                result.number(playOrder)
                result.append("\" playOrder=\"")
                result.number(playOrder)
                result.append("\">\n")
                result.spaces(indent)
                result.append("  <navLabel")
                if let language = entry.language {
                    result.append(" xml:lang=\"")
                    result.attribute(language)
                    result.append("\"")
                }
                result.append("><text>")
                result.text(entry.label)
                result.append("</text></navLabel>\n")
                result.spaces(indent)
                result.append("  <content src=\"")
                result.attribute(entry.href)
                result.append("\"/>\n")
                points(entry.children, indent: indent + 2, into: &result)
                result.spaces(indent)
                result.append("</navPoint>\n")
            }
        }
        let depth = entries.map(\.depth).max() ?? 1
        var result = MarkupBytes(capacity: 1 << 16)
        result.append("""
        <?xml version="1.0" encoding="UTF-8"?>
        <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="\(Markup.attribute(book.metadata.language))">
          <head>
            <meta name="dtb:uid" content="\(Markup.attribute(book.metadata.identifier))"/>
            <meta name="dtb:depth" content="\(depth)"/>
            <meta name="dtb:totalPageCount" content="\(pageList?.entries.count ?? 0)"/>
            <meta name="dtb:maxPageNumber" content="\(pageList?.maxFolio ?? 0)"/>
          </head>
          <docTitle><text>\(Markup.text(book.metadata.title))</text></docTitle>
          <navMap>

        """)
        points(entries, indent: 4, into: &result)
        result.append("  </navMap>\n")
        if let pageList, !pageList.entries.isEmpty { result.append(pageList.ncx(label: labels[.pages], playOrderAfter: playOrder)) }
        result.append("</ncx>\n")
        return result.data
    }
}

extension Navigation.Entry {
    /// Without an array of the children's depths at every level of the tree.
    var depth: Int { 1 + children.reduce(0) { Swift.max($0, $1.depth) } }
}
