/// Renders an article's blocks and inlines as markup that is both well-formed XHTML and valid
/// HTML5, for the EPUB and the print edition alike. What differs between outputs — how a note
/// citation looks and where it points, where a link to another article goes — is given as closures.
/// `init(article:context:dialect:…)` sets them from the resolved edition, so that an output
/// says only where it keeps articles, notes and images.
public struct ContentRenderer {
    public enum Dialect: Sendable {
        /// EPUB XHTML: `epub:type` attributes are allowed.
        case epub
        /// Plain HTML5: no `epub:` attributes.
        case html
    }

    public var article: Article
    public var dialect: Dialect
    /// Where a note of this article lives: `#id`, or `notes.xhtml#id`.
    public var noteHref: (String) -> String
    /// Renders a citation; the default is an EPUB/ARIA note reference link.
    public var renderNoteReference: ((NoteReference) -> String)?
    /// Rewrites a link destination (to another article's Markdown file, say).
    public var resolveLink: (String) -> String
    /// Rewrites an image source (a file of the book folder) to where the output keeps it.
    public var resolveImage: (String) -> String = { $0 }
    /// Writes a run of text as markup; nil escapes it (the print edition keeps names whole).
    public var renderText: ((String) -> String)?

    public init(article: Article, dialect: Dialect, noteHref: ((String) -> String)? = nil,
                resolveLink: @escaping (String) -> String = { $0 }) {
        self.article = article
        self.dialect = dialect
        self.noteHref = noteHref ?? { [article] label in "#" + Ids.note(article, label) }
        self.resolveLink = resolveLink
    }

    /// A renderer for an output where `articleHref(article, fragment)` links to an article
    /// (or to the id `fragment` inside it) and `imageHref(asset)` to an image of the book:
    /// links to other articles' files and ids and the book's images resolve through
    /// `context`; anything else is written as it is.
    public init(article: Article, context: EditionContext, dialect: Dialect,
                noteHref: ((String) -> String)? = nil,
                articleHref: @escaping (Article, String?) -> String,
                imageHref: @escaping (EditionContext.ImageAsset) -> String) {
        self.init(article: article, dialect: dialect, noteHref: noteHref,
                  resolveLink: { context.resolveLink($0, from: article, href: articleHref) })
        resolveImage = { source in context.image(source).map(imageHref) ?? source }
    }

    // MARK: Blocks

    public func blocks(_ blocks: [Block], indent: String = "") -> String {
        blocks.map { block($0, indent: indent) }.joined()
    }

    public func block(_ block: Block, indent: String = "") -> String {
        switch block {
        case .paragraph(let content):
            return "\(indent)<p>\(inlines(content))</p>\n"
        case .heading(let heading):
            let level = min(max(heading.level, 1), 6)
            return "\(indent)<h\(level) id=\"\(Markup.attribute(heading.id))\">\(inlines(heading.content))</h\(level)>\n"
        case .blockQuote(let inner):
            return "\(indent)<blockquote>\n\(blocks(inner, indent: indent + "  "))\(indent)</blockquote>\n"
        case .list(let list):
            let tag = list.ordered ? "ol" : "ul"
            let start = list.ordered && list.start != 1 ? " start=\"\(list.start)\"" : ""
            var result = "\(indent)<\(tag)\(start)>\n"
            for item in list.items {
                if list.tight, item.allSatisfy({ if case .paragraph = $0 { return true } else { return false } }) {
                    let content = item.map { if case .paragraph(let inline) = $0 { return inlines(inline) } else { return "" } }
                    result += "\(indent)  <li>\(content.joined(separator: "<br/>"))</li>\n"
                } else {
                    result += "\(indent)  <li>\n\(blocks(item, indent: indent + "    "))\(indent)  </li>\n"
                }
            }
            return result + "\(indent)</\(tag)>\n"
        case .codeBlock(let info, let text):
            let language = info.split(separator: " ").first.map { " class=\"language-\(Markup.attribute(String($0)))\"" } ?? ""
            return "\(indent)<pre><code\(language)>\(Markup.text(text))</code></pre>\n"
        case .html(let html):
            return html.hasSuffix("\n") ? html : html + "\n"
        case .thematicBreak:
            return "\(indent)<hr/>\n"
        case .table(let table):
            return self.table(table, indent: indent)
        }
    }

    private func table(_ table: Table, indent: String) -> String {
        func cell(_ tag: String, _ content: [Inline], _ column: Int) -> String {
            let alignment = column < table.alignments.count ? table.alignments[column] : .none
            let style = alignment == .none ? "" : " style=\"text-align: \(alignment.rawValue)\""
            return "<\(tag)\(style)>\(inlines(content))</\(tag)>"
        }
        var result = "\(indent)<table>\n"
        if !table.header.isEmpty {
            let cells = table.header.enumerated().map { cell("th", $1, $0) }.joined()
            result += "\(indent)  <thead><tr>\(cells)</tr></thead>\n"
        }
        result += "\(indent)  <tbody>\n"
        for row in table.rows {
            result += "\(indent)    <tr>\(row.enumerated().map { cell("td", $1, $0) }.joined())</tr>\n"
        }
        return result + "\(indent)  </tbody>\n\(indent)</table>\n"
    }

    // MARK: Inlines

    public func inlines(_ content: [Inline]) -> String {
        content.map(inline).joined()
    }

    public func inline(_ inline: Inline) -> String {
        switch inline {
        case .text(let text): return renderText?(text) ?? Markup.text(text)
        case .emphasis(let content): return "<em>\(inlines(content))</em>"
        case .strong(let content): return "<strong>\(inlines(content))</strong>"
        case .strikethrough(let content): return "<del>\(inlines(content))</del>"
        case .code(let text): return "<code>\(Markup.text(text))</code>"
        case .link(let destination, let title, let content):
            let attributes = Markup.attributes([("href", resolveLink(destination)), ("title", title.isEmpty ? nil : title)])
            return "<a\(attributes)>\(inlines(content))</a>"
        case .image(let source, let title, let alt):
            let attributes = Markup.attributes([("src", resolveImage(source)), ("alt", alt.plainText),
                                                ("title", title.isEmpty ? nil : title)])
            return "<img\(attributes)/>"
        case .softBreak: return "\n"
        case .lineBreak: return "<br/>\n"
        case .noteReference(let reference):
            return renderNoteReference?(reference) ?? noteReference(reference)
        case .html(let html): return html
        }
    }

    /// `<a epub:type="noteref" role="doc-noteref" …>14</a>`: the bare number, styled as a
    /// superscript by CSS (a `sup` inside the link breaks pop-up notes in Apple Books).
    public func noteReference(_ reference: NoteReference) -> String {
        let id = Ids.noteReference(article, reference.label, occurrence: reference.occurrence)
        let type = dialect == .epub ? " epub:type=\"noteref\"" : ""
        return "<a class=\"noteref\"\(type) role=\"doc-noteref\" id=\"\(Markup.attribute(id))\" href=\"\(Markup.attribute(noteHref(reference.label)))\">\(Markup.text(reference.label))</a>"
    }

    // MARK: Notes

    /// A note's content, with its number first (a link back to its first citation) and a link
    /// back to each further citation at its end. `citationHref` turns a reference id into a link.
    public func noteBody(_ note: Note, labels: Localization, citationHref: (String) -> String,
                         indent: String = "") -> String {
        var number: String
        if note.citationCount > 0 {
            let first = citationHref(Ids.noteReference(article, note.label, occurrence: 1))
            number = "<a class=\"note-number\" href=\"\(Markup.attribute(first))\" role=\"doc-backlink\">\(Markup.text(note.label))</a>"
        } else {
            number = "<span class=\"note-number\">\(Markup.text(note.label))</span>"
        }
        number += "<span class=\"note-separator\">. </span>"
        var more = ""
        if note.citationCount > 1 {
            more = (2...note.citationCount).map { occurrence in
                let href = citationHref(Ids.noteReference(article, note.label, occurrence: occurrence))
                return " <a class=\"backlink\" href=\"\(Markup.attribute(href))\" role=\"doc-backlink\" aria-label=\"\(Markup.attribute(labels.backToCitation(occurrence)))\">↩\(occurrence)</a>"
            }.joined()
        }
        var parts = note.blocks
        var result = ""
        if case .paragraph(let first)? = parts.first {
            parts.removeFirst()
            let tail = parts.isEmpty ? more : ""
            result += "\(indent)<p>\(number)\(inlines(first))\(tail)</p>\n"
        } else {
            result += "\(indent)<p>\(number)</p>\n"
        }
        if !parts.isEmpty {
            result += blocks(parts, indent: indent)
            if !more.isEmpty { result += "\(indent)<p class=\"backlinks\">\(more)</p>\n" }
        }
        return result
    }
}
