/// The notes of an article that nothing in its text cites (their marks were lost in the
/// source): a visible, titled list at the end of the article, not footnote asides, which
/// reading systems hide until a citation is followed, and none leads to these.
struct UnlinkedNotes {
    let article: Article
    let labels: Localization
    let content: ContentRenderer

    var notes: [Note] { article.notes.filter { $0.citationCount == 0 } }

    func epub(indent: String) -> String {
        guard !notes.isEmpty else { return "" }
        let id = "\(Ids.notesSection(article))-unlinked"
        var body = "\(indent)<section class=\"unlinked-notes\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
        body += "\(indent)  <h2 id=\"\(id)-heading\">\(Markup.text(labels[.unlinkedNotes]))</h2>\n"
        for note in notes {
            body += "\(indent)  <div class=\"footnote unlinked-note\" id=\"\(Ids.note(article, note.label))\">\n"
            body += content.noteBody(note, labels: labels, citationHref: { "#" + $0 }, indent: indent + "    ")
            body += "\(indent)  </div>\n"
        }
        return body + "\(indent)</section>\n"
    }
}
