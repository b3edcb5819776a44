/// Limits that protect the machine from hostile or broken input. Each is far above what an
/// edition needs (the longest article of No. 29 is 50 KB, its deepest nesting 3) and far below
/// what would make `check` or `build` slow or large. Going past one is an `input-limit` error
/// at the place where it happens, never a hang.
public enum InputLimits {
    /// The largest Markdown file or book.yaml, in bytes.
    public static let fileBytes = 4 * 1024 * 1024
    /// The values a YAML document may hold once its aliases are expanded.
    public static let yamlValues = 10_000
    /// How deeply YAML lists and mappings may nest.
    public static let yamlDepth = 64
    /// How deeply Markdown blocks (quotes, lists) and inlines (emphasis, links) may nest.
    public static let markdownDepth = 64
    /// The notes one article may define.
    public static let notesPerArticle = 10_000
}
