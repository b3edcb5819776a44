/// The ids every output uses for the same things, so that the EPUB and the print edition
/// can be compared and cross-linked. Ids are unique across the whole edition.
public enum Ids {
    /// The note `label` of `article`: `bolivia-1952-note-14`.
    public static func note(_ article: Article, _ label: String) -> String {
        "\(article.id)-note-\(Slug.make(label, fallback: "n", leadingLetter: false))"
    }

    /// A citation of a note: the first is `…-ref-14`, the second `…-ref-14-2`.
    public static func noteReference(_ article: Article, _ label: String, occurrence: Int) -> String {
        let base = "\(article.id)-ref-\(Slug.make(label, fallback: "n", leadingLetter: false))"
        return occurrence <= 1 ? base : "\(base)-\(occurrence)"
    }

    /// The notes section of an article.
    public static func notesSection(_ article: Article) -> String { "\(article.id)-notes" }

    /// The article's title heading.
    public static func title(_ article: Article) -> String { "\(article.id)-title" }
}
