/// The navigation document (`nav.xhtml`: contents, landmarks) and `toc.ncx` for older
/// reading systems, both from one tree of entries.
struct Navigation {
    let book: Book
    let labels: Localization
    let articleHref: (Article) -> String
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
        if book.metadata.notePlacement == .book, book.articles.contains(where: { !$0.notes.isEmpty }) {
            result.append(Entry(label: labels[.notes], href: "text/notes.xhtml"))
        }
        result.append(Entry(label: labels[.colophon], href: "text/colophon.xhtml"))
        return result
    }

    private func articleEntry(_ article: Article) -> Entry {
        let href = "text/" + articleHref(article)
        let language = article.language == book.metadata.language ? nil : article.language
        var entry = Entry(label: article.title.withoutNotes.plainText, href: href, language: language)
        // Nest headings by level under the article: a stack of open levels.
        var stack: [(level: Int, path: [Int])] = []
        for heading in article.headings {
            let child = Entry(label: heading.content.withoutNotes.plainText, href: "\(href)#\(heading.id)", language: language)
            while let last = stack.last, last.level >= heading.level { stack.removeLast() }
            let parentPath = stack.last?.path ?? []
            let index = entry.insert(child, at: parentPath)
            stack.append((heading.level, parentPath + [index]))
        }
        return entry
    }

    func navDocument() -> String { navDocument(entries: entries) }

    /// The navigation document of `entries` (`entries`, worked out once for it and the NCX).
    func navDocument(entries: [Entry]) -> String {
        var body = "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">\n"
        body += "  <h1 id=\"toc-title\">\(labels[.contents])</h1>\n"
        list(entries, indent: "  ", into: &body)
        body += "</nav>\n"
        body += "<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"landmarks-title\" hidden=\"hidden\">\n"
        body += "  <h2 id=\"landmarks-title\">\(labels[.landmarks])</h2>\n  <ol>\n"
        var landmarks: [(String, String, String)] = [
            ("cover", "text/cover.xhtml", labels[.cover]),
            ("titlepage", "text/titlepage.xhtml", labels[.titlePage]),
            ("toc", "text/contents.xhtml", labels[.contents]),
        ]
        if let first = book.articles.first {
            landmarks.append(("bodymatter", "text/" + articleHref(first), labels[.startOfReading]))
        }
        if book.metadata.notePlacement == .book, book.articles.contains(where: { !$0.notes.isEmpty }) {
            landmarks.append(("endnotes", "text/notes.xhtml", labels[.notes]))
        }
        for (type, href, label) in landmarks {
            body += "    <li><a epub:type=\"\(type)\" href=\"\(href)\">\(Markup.text(label))</a></li>\n"
        }
        body += "  </ol>\n</nav>\n"
        if let pageList, !pageList.entries.isEmpty { body += pageList.navigation(title: labels[.pages]) }
        return XHTMLPage(title: labels[.contents], language: book.metadata.language, bodyType: nil,
                         stylesheet: "css/epub.css").render(body: body)
    }

    /// Appends the list of `entries` to `result` (one string for the whole tree: nested lists
    /// are not built apart and copied into their parents').
    private func list(_ entries: [Entry], indent: String, into result: inout String) {
        result += "\(indent)<ol>\n"
        for entry in entries {
            let lang = entry.language.map { " xml:lang=\"\(Markup.attribute($0))\" lang=\"\(Markup.attribute($0))\"" } ?? ""
            result += "\(indent)  <li><a href=\"\(Markup.attribute(entry.href))\"\(lang)>\(Markup.text(entry.label))</a>"
            if entry.children.isEmpty {
                result += "</li>\n"
            } else {
                result += "\n"
                list(entry.children, indent: indent + "    ", into: &result)
                result += "\(indent)  </li>\n"
            }
        }
        result += "\(indent)</ol>\n"
    }

    func ncx() -> String { ncx(entries: entries) }

    /// The NCX of `entries`.
    func ncx(entries: [Entry]) -> String {
        var playOrder = 0
        var counter = 0
        func points(_ entries: [Entry], indent: String, into result: inout String) {
            for entry in entries {
                playOrder += 1
                counter += 1
                result += "\(indent)<navPoint id=\"navpoint-\(counter)\" playOrder=\"\(playOrder)\">\n"
                let lang = entry.language.map { " xml:lang=\"\(Markup.attribute($0))\"" } ?? ""
                result += "\(indent)  <navLabel\(lang)><text>\(Markup.text(entry.label))</text></navLabel>\n"
                result += "\(indent)  <content src=\"\(Markup.attribute(entry.href))\"/>\n"
                points(entry.children, indent: indent + "  ", into: &result)
                result += "\(indent)</navPoint>\n"
            }
        }
        var navPoints = ""
        points(entries, indent: "    ", into: &navPoints)
        let depth = entries.map(\.depth).max() ?? 1
        return """
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
        \(navPoints)  </navMap>
        \(pageList.map { $0.entries.isEmpty ? "" : $0.ncx(label: labels[.pages], playOrderAfter: playOrder) } ?? "")</ncx>

        """
    }
}

extension Navigation.Entry {
    var depth: Int { 1 + (children.map(\.depth).max() ?? 0) }

    /// Appends `child` under the entry at `path` (indices from this entry down) and returns its index.
    mutating func insert(_ child: Navigation.Entry, at path: [Int]) -> Int {
        guard let first = path.first else {
            children.append(child)
            return children.count - 1
        }
        return children[first].insert(child, at: Array(path.dropFirst()))
    }
}
