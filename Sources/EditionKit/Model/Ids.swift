/// The ids every output uses for the same things, so that the EPUB and the print edition
/// can be compared and cross-linked. Ids are unique across the whole edition, and each depends
/// only on its article (and the article's id on its file name).
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

    /// A heading of the article: `bolivia-1952--the-cycle`. The double hyphen, which neither
    /// an article id nor a slug contains, keeps it apart from every other article's ids and
    /// from the article's own generated ones (`…-title`, `…-note-14`), so a heading's id
    /// depends on its article alone: nothing another article says can change it.
    public static func heading(articleId: String, _ slug: String) -> String { "\(articleId)--\(slug)" }
}
