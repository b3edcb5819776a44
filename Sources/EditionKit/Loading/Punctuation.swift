import Foundation

/// Typographic punctuation for one text's language, applied by `MarkdownParser` after
/// cmark-gfm's smart punctuation (CMARK_OPT_SMART: “ ” ‘ ’ by the delimiter rules, `...` → …,
/// `--` → –, `---` → —): the language's own quotation marks and the house style for dashes.
/// Code, URLs, raw HTML and ids never pass through here.
struct Punctuation: Sendable {
    var dashes: TypographySettings.DashStyle
    var marks: TypographySettings.QuoteMarks

    /// nil when book.yaml says `typography: plain`.
    init?(_ settings: TypographySettings, language: String) {
        guard settings.mode == .smart else { return nil }
        dashes = settings.dashes
        marks = settings.quoteMarks(for: language)
    }

    /// How many inner quotations are open in the block being converted: a ’ closes one only
    /// when one is open and it does not stand between letters (an apostrophe: workers’, ’70s).
    struct State { var openInner = 0 }

    /// A run of text as cmark set it, in the language's marks and the house dashes.
    func apply(_ text: String, state: inout State) -> String {
        var result = text
        if result.contains("‘") { result = Self.elide(result) }
        if dashes != .asWritten { result = Self.dash(result, style: dashes) }
        guard marks != .english else { return result }
        var output = ""
        let characters = Array(result)
        for (index, character) in characters.enumerated() {
            switch character {
            case "“": output.append(marks.open)
            case "”": output.append(marks.close)
            case "‘":
                state.openInner += 1
                output.append(marks.innerOpen)
            case "’":
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                if state.openInner > 0, !(before.isLetter && after.isLetter) {
                    state.openInner -= 1
                    output.append(marks.innerClose)
                } else {
                    output.append(character)
                }
            default: output.append(character)
            }
        }
        return output
    }

    /// An apostrophe that starts a word is not an opening quote, even when a later one seems
    /// to close it: ’70s, rock ’n’ roll, ’Tis, ’em.
    static func elide(_ text: String) -> String {
        text.replacingOccurrences(of: #"‘(?=[0-9]{2}s?\b|n’|(?:tis|twas|em|cause|til)\b)"#, with: "’",
                                  options: [.regularExpression, .caseInsensitive])
    }

    /// Dashes between words in the house style; an en dash between figures or closed up
    /// (1952–1956, May–June) is a range and stays.
    static func dash(_ text: String, style: TypographySettings.DashStyle) -> String {
        switch style {
        case .asWritten:
            return text
        case .em:
            return text
                .replacingOccurrences(of: #"[ \x{00A0}]*—[ \x{00A0}]*"#, with: "—", options: .regularExpression)
                .replacingOccurrences(of: #"[ \x{00A0}]+[-–][ \x{00A0}]+"#, with: "—", options: .regularExpression)
        case .en:
            return text
                .replacingOccurrences(of: #"(?<=\S)[ \x{00A0}]*—[ \x{00A0}]*(?=\S)"#, with: " – ", options: .regularExpression)
                .replacingOccurrences(of: #"[ \x{00A0}]+-[ \x{00A0}]+"#, with: " – ", options: .regularExpression)
        }
    }
}
