/// A note as a print footnote: it stands right after its first citation, inside the paragraph
/// (or heading, list item, table cell) that cites it, so that WeasyPrint puts it at the foot
/// of the page the citation is on. Inside a paragraph HTML allows only phrasing content, so
/// the note's blocks become spans that print.css displays as blocks; their inline content is
/// rendered by the shared `ContentRenderer`, the same as in the EPUB.
struct FootnoteRenderer {
    /// Renders the note's inlines; a citation inside a note stays a plain link.
    let content: ContentRenderer

    /// `<span class="footnote" id="…-note-14">`: the number (a link back to the first
    /// citation), then the text.
    func footnote(_ note: Note) -> String {
        let article = content.article
        let id = Ids.note(article, note.label)
        let citation = Ids.noteReference(article, note.label, occurrence: 1)
        var result = "<span class=\"footnote\" id=\"\(Markup.attribute(id))\" role=\"doc-footnote\">"
        result += "<a class=\"note-number\" href=\"#\(Markup.attribute(citation))\" role=\"doc-backlink\">\(Markup.text(note.label))</a>"
        result += "<span class=\"note-separator\">. </span>"
        var blocks = note.blocks
        if case .paragraph(let first)? = blocks.first {
            blocks.removeFirst()
            result += content.inlines(first)
        }
        result += blocks.map(phrasing).joined()
        return result + "</span>"
    }

    /// A block of a note as phrasing content.
    private func phrasing(_ block: Block) -> String {
        switch block {
        case .paragraph(let inlines):
            return "<span class=\"note-paragraph\">\(content.inlines(inlines))</span>"
        case .heading(let heading):
            return "<span class=\"note-paragraph note-heading\">\(content.inlines(heading.content))</span>"
        case .blockQuote(let inner):
            return "<span class=\"note-quote\">\(inner.map(phrasing).joined())</span>"
        case .list(let list):
            var result = "<span class=\"note-list\">"
            for (index, item) in list.items.enumerated() {
                let marker = list.ordered ? "\(list.start + index)." : "•"
                var blocks = item
                var first = ""
                if case .paragraph(let inlines)? = blocks.first {
                    blocks.removeFirst()
                    first = content.inlines(inlines)
                }
                // The marker is print.css's, as a list's is: the note's text is the EPUB's.
                result += "<span class=\"note-item\" data-marker=\"\(marker)\">\(first)\(blocks.map(phrasing).joined())</span>"
            }
            return result + "</span>"
        case .codeBlock(_, let text):
            return "<code class=\"note-code\">\(Markup.text(text))</code>"
        case .html(let html):
            return html
        case .thematicBreak:
            return "<span class=\"note-break\"></span>"
        case .table(let table):
            let rows = (table.header.isEmpty ? [] : [table.header]) + table.rows
            return rows.map { row in
                "<span class=\"note-paragraph note-row\">\(row.map(content.inlines).joined(separator: " · "))</span>"
            }.joined()
        }
    }
}
