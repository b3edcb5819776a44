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
        // Not `article` in the closure: that copies it for every block.
        let htmlBlockLocations = article.htmlBlockLocations, start = article.location
        for block in article.body + article.notes.flatMap(\.blocks) {
            block.forEachBlock { nested in
                guard case .html(let html) = nested else { return }
                let index = seen[html, default: 0]
                seen[html] = index + 1
                let text = TextShape.withoutTags(html)
                guard text.contains(where: Self.straight.contains) || text.contains("...") else { return }
                let places = htmlBlockLocations[html] ?? []
                result.append(.warning(.punctuationMixed, "typewriter quotes or '...' in raw HTML stay as typed beside the text's typographic ones",
                                       at: index < places.count ? places[index] : start,
                                       hint: "type the marks in the HTML (“ ” ‘ ’ …), or write the passage in Markdown"))
            }
        }
        return result
    }

    // MARK: Source lines

    /// Reads the article's Markdown line by line, code and addresses aside: spacing in every
    /// mode, and with `typography: plain`, lines that mix typewriter and typographic quotes.
    /// Works on each line's characters once (no regular expression: this runs on every line
    /// of the book); a column is a character offset + 1. The body is the one the loader read
    /// (`Article.bodyText`, after the front matter): the file is not read again.
    private func sourceLines(_ article: Article) -> [Diagnostic] {
        let plain = book.metadata.typography.mode == .plain
        // Most lines have no doubled space, no space before a comma or full stop and no quote
        // to compare: they are passed over on the bytes, and only the others are read as
        // characters and masked.
        var suspicious: [(index: Int, line: String)] = []
        article.bodyText.withUTF8Bytes { bytes in
            let count = bytes.count
            var inFence = false
            var lineStart = 0
            var index = 0
            while lineStart <= count {
                var lineEnd = count
                if lineStart < count, let base = bytes.baseAddress,
                   let found = memchr(base + lineStart, 0x0A, count - lineStart) {
                    lineEnd = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                defer { lineStart = lineEnd + 1; index += 1 }
                // The line's kind from its first bytes: a fence, code, a table row, HTML.
                var textStart = lineStart
                while textStart < lineEnd, bytes[textStart] == UInt8(ascii: " ") { textStart += 1 }
                let indent = textStart - lineStart
                if textStart + 3 <= lineEnd, bytes[textStart] == UInt8(ascii: "`") || bytes[textStart] == UInt8(ascii: "~"),
                   bytes[textStart + 1] == bytes[textStart], bytes[textStart + 2] == bytes[textStart] {
                    inFence.toggle()
                    continue
                }
                if inFence || indent >= 4 { continue }
                if lineStart < lineEnd, bytes[lineStart] == UInt8(ascii: "\t") { continue }
                if textStart < lineEnd, bytes[textStart] == UInt8(ascii: "|") || bytes[textStart] == UInt8(ascii: "<") { continue }
                var found = plain
                var previous: UInt8 = 0
                var at = lineStart
                while !found, at < lineEnd {
                    if at + 9 <= lineEnd {
                        // Eight positions at once: a space, and after it a space, comma or stop.
                        let here = ByteScan.word(bytes, at: at), next = ByteScan.word(bytes, at: at + 1)
                        let after = ByteScan.matches(next, UInt8(ascii: " ")) | ByteScan.matches(next, UInt8(ascii: ","))
                            | ByteScan.matches(next, UInt8(ascii: "."))
                        if ByteScan.matches(here, UInt8(ascii: " ")) & after != 0 { found = true; break }
                        at += 8
                        previous = bytes[at - 1]
                        continue
                    }
                    let byte = bytes[at]
                    if previous == UInt8(ascii: " "), byte == UInt8(ascii: " ") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") {
                        found = true
                    }
                    previous = byte
                    at += 1
                }
                guard found else { continue }
                suspicious.append((index, String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]), as: UTF8.self)))
            }
        }
        var result: [Diagnostic] = []
        for (index, line) in suspicious {
            let masked = Self.mask(Array(line))
            let lineNumber = index + 1 + article.bodyLineOffset
            func at(_ offset: Int) -> SourceLocation {
                SourceLocation(file: article.location.file, line: lineNumber, column: offset + 1)
            }
            for offset in Self.doubledSpaces(in: masked) {
                result.append(.warning(.spacingWrong, "a doubled space", at: at(offset)))
            }
            for (offset, mark) in Self.spacesBeforeStops(in: masked) {
                result.append(.warning(.spacingWrong, "a space before a \(mark == "," ? "comma" : "full stop")", at: at(offset)))
            }
            if plain, let offset = masked.firstIndex(where: Self.straight.contains),
               masked.contains(where: Self.curly.contains) {
                result.append(.warning(.punctuationMixed, "this line mixes typewriter and typographic quotes",
                                       at: at(offset),
                                       hint: "remove `typography: plain` from book.yaml, or type one kind"))
            }
        }
        return result
    }

    /// The line with code spans, link destinations, addresses and HTML tags blanked out
    /// (the same length, so that columns stay right).
    static func mask(_ line: String) -> String { String(mask(Array(line))) }

    /// The same on the line's characters, masking in turn what these patterns match, as a
    /// regular expression engine finds them (leftmost first, not overlapping):
    /// ``(`+)[^`]*?\1``, `\]\([^)]*\)`, `<[^>\s]+://[^>]*>`, `https?://\S+`, `<[^>]*>`.
    static func mask(_ line: [Character]) -> [Character] {
        var text = line
        let count = text.count
        func blank(_ range: Range<Int>) { for index in range { text[index] = "x" } }
        func first(_ character: Character, from start: Int) -> Int? {
            var index = start
            while index < count { if text[index] == character { return index }; index += 1 }
            return nil
        }
        // Code spans: a run of backticks, then the nearest run of as many (the opening run may
        // be cut short: "``" is an empty span of one backtick each side).
        var index = 0
        while index < count {
            guard text[index] == "`" else { index += 1; continue }
            var run = index
            while run < count, text[run] == "`" { run += 1 }
            var matched: Int?
            for length in stride(from: run - index, through: 1, by: -1) {
                var close = index + length
                while close < count, text[close] != "`" { close += 1 }
                var closing = 0
                while closing < length, close + closing < count, text[close + closing] == "`" { closing += 1 }
                if closing == length { matched = close + length; break }
            }
            if let end = matched {
                blank(index..<end)
                index = end
            } else {
                index += 1
            }
        }
        // Link destinations: "](" to the next ")".
        index = 0
        while index + 1 < count {
            if text[index] == "]", text[index + 1] == "(", let close = first(")", from: index + 2) {
                blank(index..<(close + 1))
                index = close + 1
            } else {
                index += 1
            }
        }
        // Autolinks: "<", characters that are neither ">" nor white space with "://" after the
        // first of them, then anything to the next ">".
        index = 0
        while index < count {
            if text[index] == "<" {
                var end = index + 1
                while end < count, text[end] != ">", !text[end].isWhitespace { end += 1 }
                var scheme = false
                var at = index + 2
                while at + 3 <= end {
                    if text[at] == ":", text[at + 1] == "/", text[at + 2] == "/" { scheme = true; break }
                    at += 1
                }
                if scheme, let close = first(">", from: at + 3) {
                    blank(index..<(close + 1))
                    index = close + 1
                    continue
                }
            }
            index += 1
        }
        // Bare addresses: http:// or https:// and what follows up to white space.
        index = 0
        while index < count {
            if text[index] == "h", index + 4 < count, text[index + 1] == "t", text[index + 2] == "t", text[index + 3] == "p" {
                var at = index + 4
                if at < count, text[at] == "s" { at += 1 }
                if at + 3 < count, text[at] == ":", text[at + 1] == "/", text[at + 2] == "/", !text[at + 3].isWhitespace {
                    var end = at + 3
                    while end < count, !text[end].isWhitespace { end += 1 }
                    blank(index..<end)
                    index = end
                    continue
                }
            }
            index += 1
        }
        // Tags: "<" to the next ">".
        index = 0
        while index < count {
            if text[index] == "<", let close = first(">", from: index + 1) {
                blank(index..<(close + 1))
                index = close + 1
            } else {
                index += 1
            }
        }
        return text
    }

    /// Where runs of two or more spaces stand between two characters that are not white space.
    static func doubledSpaces(in text: [Character]) -> [Int] {
        var result: [Int] = []
        var index = 1
        while index < text.count {
            guard text[index] == " " else { index += 1; continue }
            var end = index
            while end < text.count, text[end] == " " { end += 1 }
            if end - index >= 2, !text[index - 1].isWhitespace, end < text.count, !text[end].isWhitespace {
                result.append(index)
            }
            index = end
        }
        return result
    }

    /// Where spaces after a character that is not white space stand before a comma, or before
    /// a full stop that is not followed by another or by a digit (an ellipsis, a decimal).
    static func spacesBeforeStops(in text: [Character]) -> [(offset: Int, mark: Character)] {
        var result: [(Int, Character)] = []
        var index = 1
        while index < text.count {
            guard text[index] == " " else { index += 1; continue }
            var end = index
            while end < text.count, text[end] == " " { end += 1 }
            if !text[index - 1].isWhitespace, end < text.count {
                let mark = text[end]
                if mark == "," {
                    result.append((index, mark))
                } else if mark == "." {
                    let after = end + 1 < text.count ? text[end + 1] : nil
                    if after != ".", !(after.map(isDecimalDigit) ?? false) { result.append((index, mark)) }
                }
            }
            index = end
        }
        return result
    }

    /// `\d` of a regular expression: a decimal digit of any script.
    private static func isDecimalDigit(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { $0.properties.generalCategory == .decimalNumber } ?? false
    }
}
