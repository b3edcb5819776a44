/// How the edition's punctuation is set, from book.yaml: `typography`, `dashes`, `quotes`.
public struct TypographySettings: Hashable, Sendable {
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        /// Typographic quotes, apostrophes, ellipses and dashes (the default).
        case smart
        /// The punctuation as the editors typed it.
        case plain
    }

    /// The house style for dashes between words.
    public enum DashStyle: String, Hashable, Sendable, CaseIterable {
        /// `--` becomes an en dash, `---` an em dash; every other dash stays as typed.
        case asWritten = "as-written"
        /// A closed-up em dash ("word—word"): `--`, `---` and the spaced dashes ` - `, ` – `,
        /// ` — ` between words become `—`. An en dash in a range (1952–1956) stays.
        case em
        /// A spaced en dash ("word – word"): `--`, `---`, ` - `, ` — ` and a closed-up em dash become ` – `.
        case en
    }

    /// A language's quotation marks: the outer pair, then the pair for a quotation inside it.
    public struct QuoteMarks: Hashable, Sendable {
        public var open: Character
        public var close: Character
        public var innerOpen: Character
        public var innerClose: Character

        /// From four characters: outer open and close, inner open and close (`“”‘’`, `«»“”`).
        public init?(_ text: String) {
            let marks = Array(text.filter { !$0.isWhitespace })
            guard marks.count == 4, !marks.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
            (open, close, innerOpen, innerClose) = (marks[0], marks[1], marks[2], marks[3])
        }

        public static let english = QuoteMarks("“”‘’")!
    }

    public var mode: Mode = .smart
    public var dashes: DashStyle = .asWritten
    /// Quotation marks by language (a primary subtag such as `es`, or a full tag such as `pt-PT`).
    public var quotes: [String: QuoteMarks] = Self.defaultQuotes

    public init() {}

    /// English's by default; Spanish's and Portuguese's until book.yaml says otherwise.
    public static let defaultQuotes: [String: QuoteMarks] = [
        "en": .english, "es": QuoteMarks("«»“”")!, "pt": QuoteMarks("“”‘’")!,
    ]

    /// The marks for a language tag: its own entry, else its primary language's, else English's.
    public func quoteMarks(for language: String) -> QuoteMarks {
        let tag = language.lowercased()
        if let marks = quotes.first(where: { $0.key.lowercased() == tag })?.value { return marks }
        let primary = String(tag.prefix { $0 != "-" && $0 != "_" })
        return quotes.first(where: { $0.key.lowercased() == primary })?.value ?? .english
    }
}
