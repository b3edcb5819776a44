import Foundation

/// The words the tool itself writes ("Contents", "Notes"…), in the book's language.
/// English, Spanish and Portuguese are built in; other languages fall back to English.
public struct Localization: Sendable {
    public let language: String
    private let table: [Key: String]

    public enum Key: Sendable, CaseIterable {
        case contents, notes, cover, titlePage, colophon, landmarks, startOfReading
        case edition, and, backToCitation, publishedBy, issn, website
        case responsibleEditor, editor, layout, designer, coverDesigner, translator, proofreader
        case illustrator, photographer, madeWith, pages
        case unlinkedNotes, corrections, revised, firstPublished
    }

    public init(language: String) {
        self.language = language
        let base = language.split(separator: "-").first.map { String($0).lowercased() } ?? "en"
        table = Self.tables[base] ?? Self.tables["en"]!
    }

    public subscript(key: Key) -> String { table[key] ?? Self.tables["en"]![key]! }

    /// Whether the tool has its own words for this language (else it writes English ones).
    public static func isSupported(_ language: String) -> Bool {
        tables[language.split(separator: "-").first.map { String($0).lowercased() } ?? ""] != nil
    }

    public func backToCitation(_ occurrence: Int) -> String {
        self[.backToCitation].replacingOccurrences(of: "%d", with: String(occurrence))
    }

    public func role(_ role: Contributor.Role) -> String {
        switch role {
        case .responsibleEditor: return self[.responsibleEditor]
        case .editor: return self[.editor]
        case .layout: return self[.layout]
        case .designer: return self[.designer]
        case .coverDesigner: return self[.coverDesigner]
        case .translator: return self[.translator]
        case .proofreader: return self[.proofreader]
        case .illustrator: return self[.illustrator]
        case .photographer: return self[.photographer]
        }
    }

    /// "A, B and C" in this language.
    public func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(self[.and]) " + items.last!
    }

    /// A `YYYY-MM-DD` date as "June 2026" / "junio de 2026" / "junho de 2026".
    public func monthAndYear(_ isoDate: String) -> String {
        let parts = isoDate.split(separator: "-").compactMap { Int($0) }
        guard parts.count >= 2, (1...12).contains(parts[1]) else { return isoDate }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language)
        let month = formatter.standaloneMonthSymbols[parts[1] - 1]
        switch language.prefix(2) {
        case "es", "pt": return "\(month) de \(parts[0])"
        default: return "\(month.prefix(1).uppercased())\(month.dropFirst()) \(parts[0])"
        }
    }

    private static let tables: [String: [Key: String]] = [
        "en": [
            .contents: "Contents", .notes: "Notes", .cover: "Cover", .titlePage: "Title page",
            .colophon: "Colophon", .landmarks: "Landmarks", .startOfReading: "Start of reading",
            .edition: "Edition", .and: "and",
            .backToCitation: "Back to citation %d", .publishedBy: "Published by", .issn: "ISSN",
            .website: "Website",
            .responsibleEditor: "Responsible editor", .editor: "Editor", .layout: "Layout",
            .designer: "Design", .coverDesigner: "Cover design", .translator: "Translation",
            .proofreader: "Proofreading", .illustrator: "Illustrations", .photographer: "Photography",
            .madeWith: "Made with edition", .pages: "Pages",
            .unlinkedNotes: "Notes Without a Reference Mark", .corrections: "Corrections",
            .revised: "Revised edition", .firstPublished: "First published",
        ],
        "es": [
            .contents: "Índice", .notes: "Notas", .cover: "Cubierta", .titlePage: "Portadilla",
            .colophon: "Colofón", .landmarks: "Puntos de referencia", .startOfReading: "Comienzo de la lectura",
            .edition: "Edición", .and: "y",
            .backToCitation: "Volver a la cita %d", .publishedBy: "Publicado por", .issn: "ISSN",
            .website: "Sitio web",
            .responsibleEditor: "Editor responsable", .editor: "Edición", .layout: "Diagramación",
            .designer: "Diseño", .coverDesigner: "Diseño de cubierta", .translator: "Traducción",
            .proofreader: "Corrección", .illustrator: "Ilustraciones", .photographer: "Fotografía",
            .madeWith: "Hecho con edition", .pages: "Páginas",
            .unlinkedNotes: "Notas sin llamada en el texto", .corrections: "Correcciones",
            .revised: "Edición revisada", .firstPublished: "Primera publicación",
        ],
        "pt": [
            .contents: "Sumário", .notes: "Notas", .cover: "Capa", .titlePage: "Folha de rosto",
            .colophon: "Colofão", .landmarks: "Pontos de referência", .startOfReading: "Início da leitura",
            .edition: "Edição", .and: "e",
            .backToCitation: "Voltar à citação %d", .publishedBy: "Publicado por", .issn: "ISSN",
            .website: "Site",
            .responsibleEditor: "Editor responsável", .editor: "Edição", .layout: "Diagramação",
            .designer: "Projeto gráfico", .coverDesigner: "Capa", .translator: "Tradução",
            .proofreader: "Revisão", .illustrator: "Ilustrações", .photographer: "Fotografia",
            .madeWith: "Feito com edition", .pages: "Páginas",
            .unlinkedNotes: "Notas sem chamada no texto", .corrections: "Correções",
            .revised: "Edição revista", .firstPublished: "Primeira publicação",
        ],
    ]
}
