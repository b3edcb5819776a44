import Foundation

extension BookLoader {
    /// book.yaml's `typography` (smart or plain), `dashes` (the house style) and `quotes`
    /// (quotation marks by language, four characters: outer open and close, inner open and close).
    func readTypography(_ manifest: inout YAMLMapping) -> TypographySettings {
        var settings = TypographySettings()
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let text = manifest.string(key) else { return nil }
            guard let value = T(rawValue: text) else {
                let allowed = T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                manifest.report(.error(.valueInvalid, "'\(key)' must be one of \(allowed), not '\(text)'",
                                       at: manifest.location(ofValue: key)))
                return nil
            }
            return value
        }
        if let mode = choice("typography", TypographySettings.Mode.self) { settings.mode = mode }
        if let dashes = choice("dashes", TypographySettings.DashStyle.self) { settings.dashes = dashes }
        if var quotes = manifest.mapping("quotes") {
            for language in quotes.keys {
                guard let text = quotes.string(language) else { continue }
                if !Self.isLanguageTag(language) {
                    quotes.report(.error(.valueInvalid, Self.languageMessage(language), at: quotes.location(ofValue: language)))
                } else if let marks = TypographySettings.QuoteMarks(text) {
                    settings.quotes[language] = marks
                } else {
                    quotes.report(.error(.valueInvalid, "the quotation marks for '\(language)' must be four marks: outer open and close, inner open and close (“”‘’ or «»“”), not '\(text)'",
                                         at: quotes.location(ofValue: language)))
                }
            }
            manifest.merge(quotes)
        }
        return settings
    }

    /// The metadata's words with typographic punctuation; identifiers, dates, the ISSN, the
    /// slug, the language and addresses are left as they are. Names (the periodical, the
    /// publisher, people) keep their dashes as their owners write them.
    static func punctuated(_ metadata: BookMetadata) -> BookMetadata {
        guard var punctuation = Punctuation(metadata.typography, language: metadata.language) else { return metadata }
        let fix = { (text: String) in MarkdownParser.punctuate(text, punctuation) }
        punctuation.dashes = .asWritten
        let name = { (text: String) in MarkdownParser.punctuate(text, punctuation) }
        var result = metadata
        result.title = fix(metadata.title)
        result.subtitle = metadata.subtitle.map(fix)
        result.periodical?.name = name(metadata.periodical?.name ?? "")
        result.dateLabel = metadata.dateLabel.map(fix)
        result.publisher = metadata.publisher.map(name)
        result.rights = metadata.rights.map(fix)
        result.description = metadata.description.map(fix)
        result.contributors = metadata.contributors.map { contributor in
            var contributor = contributor
            contributor.name = name(contributor.name)
            return contributor
        }
        return result
    }

    /// A correction as the colophon shows it: the model keeps what the editors typed, which
    /// the tests find in the sources; the reader sees typographic quotes (dashes as written).
    static func punctuatedForDisplay(_ correction: Correction, in metadata: BookMetadata) -> Correction {
        let punctuation = Punctuation(metadata.typography, language: metadata.language)
        var shown = correction
        shown.was = punctuatedName(correction.was, punctuation)
        shown.now = punctuatedName(correction.now, punctuation)
        shown.reason = punctuatedName(correction.reason, punctuation)
        shown.shown = correction.shown.map { punctuatedName($0, punctuation) }
        return shown
    }

    /// A byline's name or organization: typographic quotes, dashes as written.
    static func punctuatedName(_ text: String, _ punctuation: Punctuation?) -> String {
        guard var punctuation else { return text }
        punctuation.dashes = .asWritten
        return MarkdownParser.punctuate(text, punctuation)
    }
}

extension BookLoader {
    /// `print.hyphenation`: words with a hyphen at each place the print edition may break them.
    static func hyphenationExceptions(_ mapping: inout YAMLMapping) -> [String] {
        guard let entries = mapping.strings("hyphenation") else { return [] }
        var words: [String] = []
        for (word, location) in entries {
            let letters = word.replacingOccurrences(of: "-", with: "")
            guard !letters.isEmpty, letters.allSatisfy({ $0.isLetter }), !word.hasPrefix("-"), !word.hasSuffix("-") else {
                mapping.report(.error(.valueInvalid, "'\(word)' in 'hyphenation' must be a word with a hyphen where it may break (po-liti-cal)",
                                      at: location))
                continue
            }
            words.append(word)
        }
        return words
    }
}
