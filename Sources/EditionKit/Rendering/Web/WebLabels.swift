/// The words the web edition writes itself, in the edition's language (English, Spanish and
/// Portuguese; other languages fall back to English), beside `Localization`'s.
struct WebLabels {
    enum Key: CaseIterable {
        case skipToText, previous, next, backToContents, downloads, downloadEPUB, downloadPDF
        case editions, opdsCatalogue, atomFeed, articlesOf, number, date, allEditions, coverOf
    }

    let table: [Key: String]

    init(language: String) {
        let base = language.split(separator: "-").first.map { String($0).lowercased() } ?? "en"
        table = Self.tables[base] ?? Self.tables["en"]!
    }

    subscript(key: Key) -> String { table[key] ?? Self.tables["en"]![key]! }

    private static let tables: [String: [Key: String]] = [
        "en": [.skipToText: "Skip to the text", .previous: "Previous", .next: "Next",
               .backToContents: "Contents", .downloads: "Downloads", .downloadEPUB: "EPUB e-book",
               .downloadPDF: "PDF for print", .editions: "Editions", .opdsCatalogue: "OPDS catalogue (for reading apps)",
               .atomFeed: "Atom feed of the articles", .articlesOf: "Articles of", .number: "No.",
               .date: "Date", .allEditions: "All editions", .coverOf: "Cover of"],
        "es": [.skipToText: "Ir al texto", .previous: "Anterior", .next: "Siguiente",
               .backToContents: "Índice", .downloads: "Descargas", .downloadEPUB: "Libro electrónico EPUB",
               .downloadPDF: "PDF para imprimir", .editions: "Ediciones", .opdsCatalogue: "Catálogo OPDS (para aplicaciones de lectura)",
               .atomFeed: "Canal Atom de los artículos", .articlesOf: "Artículos de", .number: "N.º",
               .date: "Fecha", .allEditions: "Todas las ediciones", .coverOf: "Cubierta de"],
        "pt": [.skipToText: "Ir para o texto", .previous: "Anterior", .next: "Seguinte",
               .backToContents: "Sumário", .downloads: "Downloads", .downloadEPUB: "Livro eletrônico EPUB",
               .downloadPDF: "PDF para impressão", .editions: "Edições", .opdsCatalogue: "Catálogo OPDS (para aplicativos de leitura)",
               .atomFeed: "Feed Atom dos artigos", .articlesOf: "Artigos de", .number: "N.º",
               .date: "Data", .allEditions: "Todas as edições", .coverOf: "Capa de"],
    ]

    /// "1.2 MB", "340 kB": a download's size as readers read it (SI units, one decimal).
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return "\(Int((Double(bytes) / 1000).rounded())) kB" }
        let megabytes = (Double(bytes) / 100_000).rounded() / 10
        return "\(megabytes) MB"
    }
}
