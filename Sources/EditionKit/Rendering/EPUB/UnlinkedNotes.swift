/// The notes of an article that its text cites: footnote asides in a section at the end of the
/// article, each reached from its citations (the EPUB's, and the web page's, which has the
/// EPUB's markup without `epub:type`).
struct CitedNotes {
    let article: Article
    let labels: Localization
    let content: ContentRenderer

    var notes: [Note] { article.notes.filter { $0.citationCount > 0 } }

    func section(indent: String, dialect: ContentRenderer.Dialect) -> String {
        let type = dialect == .epub ? " epub:type=\"footnote\"" : ""
        return NotesSection(article: article, labels: labels, content: content)
            .markup(notes, sectionClass: "footnotes", id: Ids.notesSection(article), title: labels[.notes],
                    open: { "<aside class=\"footnote\" id=\"\($0)\"\(type) role=\"doc-footnote\">" }, close: "</aside>", indent: indent)
    }
}

/// The notes of an article that nothing in its text cites (their marks were lost in the
/// source): a visible, titled list at the end of the article, not footnote asides, which
/// reading systems hide until a citation is followed, and none leads to these.
struct UnlinkedNotes {
    let article: Article
    let labels: Localization
    let content: ContentRenderer

    var notes: [Note] { article.notes.filter { $0.citationCount == 0 } }

    func epub(indent: String) -> String {
        NotesSection(article: article, labels: labels, content: content)
            .markup(notes, sectionClass: "unlinked-notes", id: "\(Ids.notesSection(article))-unlinked", title: labels[.unlinkedNotes],
                    open: { "<div class=\"footnote unlinked-note\" id=\"\($0)\">" }, close: "</div>", indent: indent)
    }
}

/// A titled section of notes at the end of an article: nothing when there are none.
private struct NotesSection {
    let article: Article
    let labels: Localization
    let content: ContentRenderer

    /// `open` gives the opening tag of a note's element from the note's id.
    func markup(_ notes: [Note], sectionClass: String, id: String, title: String, open: (String) -> String, close: String,
                indent: String) -> String {
        guard !notes.isEmpty else { return "" }
        var body = "\(indent)<section class=\"\(sectionClass)\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
        body += "\(indent)  <h2 id=\"\(id)-heading\">\(Markup.text(title))</h2>\n"
        for note in notes {
            body += "\(indent)  \(open(Ids.note(article, note.label)))\n"
            body += content.noteBody(note, labels: labels, citationHref: { "#" + $0 }, indent: indent + "    ")
            body += "\(indent)  \(close)\n"
        }
        return body + "\(indent)</section>\n"
    }
}
