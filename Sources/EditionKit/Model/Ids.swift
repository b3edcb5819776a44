/// The ids every output uses for the same things, so that the EPUB and the print edition
/// can be compared and cross-linked. Ids are unique across the whole edition.
public enum Ids {
    /// The note `label` of `article`: `bolivia-1952-note-14`.
    public static func note(_ article: Article, _ label: String) -> String { note(articleId: article.id, label) }

    public static func note(articleId: String, _ label: String) -> String {
        "\(articleId)-note-\(Slug.make(label, fallback: "n", leadingLetter: false))"
    }

    /// A citation of a note: the first is `…-ref-14`, the second `…-ref-14-2`.
    public static func noteReference(_ article: Article, _ label: String, occurrence: Int) -> String {
        noteReference(articleId: article.id, label, occurrence: occurrence)
    }

    public static func noteReference(articleId: String, _ label: String, occurrence: Int) -> String {
        let base = "\(articleId)-ref-\(Slug.make(label, fallback: "n", leadingLetter: false))"
        return occurrence <= 1 ? base : "\(base)-\(occurrence)"
    }

    /// The notes section of an article.
    public static func notesSection(_ article: Article) -> String { notesSection(articleId: article.id) }
    public static func notesSection(articleId: String) -> String { "\(articleId)-notes" }

    /// The article's title heading.
    public static func title(_ article: Article) -> String { title(articleId: article.id) }
    public static func title(articleId: String) -> String { "\(articleId)-title" }

    /// The ids an article's documents give to things other than its headings: a heading
    /// titled "Notes" or "Note 14" must not take one of them.
    static func reserved(articleId: String, noteLabels: [String], citations: [String: Int]) -> Set<String> {
        var result: Set<String> = [title(articleId: articleId), notesSection(articleId: articleId),
                                   notesSection(articleId: articleId) + "-heading"]
        for label in noteLabels { result.insert(note(articleId: articleId, label)) }
        for (label, count) in citations {
            for occurrence in 1...max(count, 1) {
                result.insert(noteReference(articleId: articleId, label, occurrence: occurrence))
            }
        }
        return result
    }
}
