/// The colophon's record of the edition: when it was first published, when it was revised,
/// and every correction the editors made to the sources' text, with its date and reason.
/// (The identifier, a `urn:uuid:`, is for reading systems, not readers: the package has it.)
struct ColophonRecord {
    let book: Book
    let labels: Localization
    /// The editors' corrections as the colophon shows them (`EditionContext.shownCorrections`).
    let corrections: [Correction]

    func markup(indent: String) -> String {
        let metadata = book.metadata
        let editorial = metadata.editorial
        var body = "\(indent)<p class=\"first-published\">\(Markup.text(labels[.firstPublished])): "
            + "<time datetime=\"\(metadata.date)\">\(Markup.text(metadata.dateLabel ?? labels.monthAndYear(metadata.date)))</time>.</p>\n"
        if let revised = editorial.revised {
            body += "\(indent)<p class=\"revised\">\(Markup.text(labels[.revised])): <time datetime=\"\(revised)\">\(revised)</time>.</p>\n"
        }
        guard !corrections.isEmpty else { return body }
        body += "\(indent)<section class=\"corrections\" aria-labelledby=\"corrections-title\">\n"
        body += "\(indent)  <h2 id=\"corrections-title\">\(Markup.text(labels[.corrections]))</h2>\n"
        body += "\(indent)  <ul>\n"
        // The book's articles put together once (`Book.articles` is a new array at every call:
        // at ×100, 1,200 articles copied for each correction).
        let articles = book.articles
        for correction in corrections {
            let article = articles.first { $0.file == correction.file }
            var item = "<time datetime=\"\(correction.date)\">\(correction.date)</time>"
            if let article { item += ", <cite>\(Markup.text(article.plainTitle))</cite>" }
            item += ": " + Self.change(correction) + ". " + Markup.text(Self.sentence(correction.reason))
            body += "\(indent)    <li>\(item)</li>\n"
        }
        body += "\(indent)  </ul>\n"
        return body + "\(indent)</section>\n"
    }

    /// “was” → “now”, long passages shortened to their first words; `shown` stands for a
    /// source text that must not be quoted (a placeholder).
    static func change(_ correction: Correction) -> String {
        func quoted(_ text: String) -> String { "“" + Markup.text(short(text)) + "”" }
        if let shown = correction.shown {
            let what = Markup.text(shown)
            return correction.now.isEmpty ? "removed \(what)" : "\(what) → \(quoted(correction.now))"
        }
        if correction.now.isEmpty { return "removed \(quoted(correction.was))" }
        if correction.was.isEmpty { return "added \(quoted(correction.now))" }
        return "\(quoted(correction.was)) → \(quoted(correction.now))"
    }

    static func short(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let words = flat.split(separator: " ")
        guard words.count > 14 else { return flat }
        return words.prefix(12).joined(separator: " ") + " …"
    }

    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let capital = first.uppercased() + text.dropFirst()
        return capital.hasSuffix(".") ? capital : capital + "."
    }
}
