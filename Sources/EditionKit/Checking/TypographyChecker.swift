import Foundation

/// Punctuation and spacing as a reader sees them: text that still mixes typewriter and
/// typographic quotes, doubled spaces, a space before a comma or a full stop, and a language
/// tag the print edition would hyphenate with another region's patterns. Code is aside.
struct TypographyChecker {
    let book: Book

    func check() -> [Diagnostic] {
        hyphenation() + book.articles.flatMap(check)
    }

    /// What one article's model and lines show (not its language tag: `hyphenation()`).
    func check(_ article: Article) -> [Diagnostic] {
        mixedMarksInRawHTML(article) + sourceLines(article)
    }

    // MARK: Hyphenation

    /// The languages WeasyPrint's hyphenator (pyphen) has several regional patterns for, the
    /// ones a tag without a region falls back to, and the regions it knows.
    static let regionalPatterns: [String: (fallback: String, regions: [String])] = [
        "en": ("en-GB", ["en-GB", "en-US"]),
        "pt": ("pt-BR", ["pt-BR", "pt-PT"]),
        "de": ("de-AT", ["de-AT", "de-CH", "de-DE"]),
    ]

    /// A warning when `tag` would hyphenate with patterns of a region it does not name.
    static func hyphenationProblem(_ tag: String) -> String? {
        let parts = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        guard let primary = parts.first?.lowercased(), let patterns = regionalPatterns[primary] else { return nil }
        let region = parts.dropFirst().first { $0.count == 2 && $0.allSatisfy(\.isLetter) }?.uppercased()
        let regions = patterns.regions.joined(separator: ", ")
        guard let region else {
            return "'\(tag)' names no region: the print edition would hyphenate it with \(patterns.fallback)'s patterns; write one of \(regions)"
        }
        if patterns.regions.contains("\(primary)-\(region)") { return nil }
        return "there are no hyphenation patterns for '\(tag)': the print edition would use \(patterns.fallback)'s; write one of \(regions)"
    }

    func hyphenation() -> [Diagnostic] {
        var result: [Diagnostic] = []
        let manifest = (book.root.path as NSString).appendingPathComponent(BookLoader.manifestName)
        if let problem = Self.hyphenationProblem(book.metadata.language) {
            result.append(.warning(.hyphenationFallback, problem,
                                   at: Self.place(ofKey: "language", in: relative(manifest))))
        }
        for article in book.articles {
            if let language = article.language, let problem = Self.hyphenationProblem(language) {
                result.append(.warning(.hyphenationFallback, problem,
                                       at: Self.place(ofKey: "language", in: article.location.file) ?? article.location))
            }
        }
        return result
    }

    /// Paths as the loader printed them (relative to where the book was named).
    private func relative(_ path: String) -> String {
        let root = book.articles.first.map { ($0.location.file as NSString).deletingLastPathComponent }
        return root.map { $0.isEmpty ? BookLoader.manifestName : ($0 as NSString).appendingPathComponent(BookLoader.manifestName) } ?? path
    }

    /// Where `key:` is written at the start of a line of `file`, pointing at its value.
    static func place(ofKey key: String, in file: String) -> SourceLocation? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix("\(key):") {
            let value = line.dropFirst(key.count + 1).prefix { $0 == " " }.count
            return SourceLocation(file: file, line: index + 1, column: key.count + 2 + value)
        }
        return nil
    }

    // MARK: Quotes

    static let straight: Set<Character> = ["'", "\""]
    static let curly: Set<Character> = ["‘", "’", "“", "”", "«", "»"]

    /// Raw HTML is passed through as written, so its quotes stay typewriter ones beside the
    /// text's typographic ones.
    private func mixedMarksInRawHTML(_ article: Article) -> [Diagnostic] {
        guard book.metadata.typography.mode == .smart else { return [] }
        var result: [Diagnostic] = []
        var seen: [String: Int] = [:]
        for block in article.body + article.notes.flatMap(\.blocks) {
            block.forEachBlock { nested in
                guard case .html(let html) = nested else { return }
                let index = seen[html, default: 0]
                seen[html] = index + 1
                let text = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
                guard text.contains(where: Self.straight.contains) || text.contains("...") else { return }
                let places = article.htmlBlockLocations[html] ?? []
                result.append(.warning(.punctuationMixed, "typewriter quotes or '...' in raw HTML stay as typed beside the text's typographic ones",
                                       at: index < places.count ? places[index] : article.location,
                                       hint: "type the marks in the HTML (“ ” ‘ ’ …), or write the passage in Markdown"))
            }
        }
        return result
    }

    // MARK: Source lines

    /// Reads the article's Markdown line by line, code and addresses aside: spacing in every
    /// mode, and with `typography: plain`, lines that mix typewriter and typographic quotes.
    private func sourceLines(_ article: Article) -> [Diagnostic] {
        guard let text = try? String(contentsOfFile: article.location.file, encoding: .utf8) else { return [] }
        let split = FrontMatter.split(text)
        guard split.yaml != nil else { return [] }
        let plain = book.metadata.typography.mode == .plain
        var result: [Diagnostic] = []
        var inFence = false
        for (index, raw) in split.body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence || line.hasPrefix("    ") || line.hasPrefix("\t") || trimmed.hasPrefix("|") || trimmed.hasPrefix("<") { continue }
            let masked = Self.mask(line)
            let lineNumber = index + 1 + split.bodyLineOffset
            func at(_ offset: Int) -> SourceLocation {
                SourceLocation(file: article.location.file, line: lineNumber, column: offset + 1)
            }
            for match in Self.matches(#"(?<=\S)  +(?=\S)"#, in: masked) {
                result.append(.warning(.spacingWrong, "a doubled space", at: at(match)))
            }
            for match in Self.matches(#"(?<=\S) +(?=,|\.(?![.\d]))"#, in: masked) {
                let mark = masked[masked.index(masked.startIndex, offsetBy: match)...].first { $0 != " " } ?? ","
                result.append(.warning(.spacingWrong, "a space before a \(mark == "," ? "comma" : "full stop")", at: at(match)))
            }
            if plain, let offset = masked.firstIndex(where: Self.straight.contains),
               masked.contains(where: Self.curly.contains) {
                result.append(.warning(.punctuationMixed, "this line mixes typewriter and typographic quotes",
                                       at: at(masked.distance(from: masked.startIndex, to: offset)),
                                       hint: "remove `typography: plain` from book.yaml, or type one kind"))
            }
        }
        return result
    }

    /// The line with code spans, link destinations, addresses and HTML tags blanked out
    /// (the same length, so that columns stay right).
    static func mask(_ line: String) -> String {
        var result = line
        for pattern in [#"(`+)[^`]*?\1"#, #"\]\([^)]*\)"#, #"<[^>\s]+://[^>]*>"#, #"https?://\S+"#, #"<[^>]*>"#] {
            guard let expression = try? NSRegularExpression(pattern: pattern) else { continue }
            let ns = result as NSString
            var copy = result
            for match in expression.matches(in: result, range: NSRange(location: 0, length: ns.length)).reversed() {
                guard let range = Range(match.range, in: copy) else { continue }
                copy.replaceSubrange(range, with: String(repeating: "x", count: copy[range].count))
            }
            result = copy
        }
        return result
    }

    /// The character offsets where `pattern` matches `text`.
    static func matches(_ pattern: String, in text: String) -> [Int] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length)).compactMap { match in
            Range(match.range, in: text).map { text.distance(from: text.startIndex, to: $0.lowerBound) }
        }
    }
}
