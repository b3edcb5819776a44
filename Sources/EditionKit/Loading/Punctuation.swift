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
        // "‘" (E2 80 98) looked for in the bytes: Foundation's `contains` bridges every run of text.
        if Self.hasLeftSingleQuote(result) { result = Self.elide(result) }
        if dashes != .asWritten, Self.mayHaveDashToSet(result, style: dashes) { result = Self.dash(result, style: dashes) }
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
    /// What `‘(?=[0-9]{2}s?\b|n’|(?:tis|twas|em|cause|til)\b)` (case-insensitive) replaced
    /// with ’, looked for scalar by scalar: a regular expression started ICU in every build.
    static func elide(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var changed = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == "‘", startsElision(scalars[(index + 1)...]) {
                result.append("’")
                changed = true
            } else {
                result.append(scalar)
            }
        }
        return changed ? String(result) : text
    }

    /// Whether what follows an opening quote is an elided start: two digits (and an s) that end
    /// a word, “n’”, or 'tis, 'twas, 'em, 'cause, 'til ending a word.
    private static func startsElision(_ after: ArraySlice<Unicode.Scalar>) -> Bool {
        func lower(_ offset: Int) -> Unicode.Scalar? {
            let index = after.startIndex + offset
            guard index < after.endIndex else { return nil }
            let scalar = after[index]
            return ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
        }
        func endsWord(at offset: Int) -> Bool {
            let index = after.startIndex + offset
            return index >= after.endIndex || !TextShape.isWordScalar(after[index])
        }
        let isDigit = { (scalar: Unicode.Scalar?) in scalar.map { $0.isASCII && TextShape.isDigit(UInt8($0.value)) } ?? false }
        if isDigit(lower(0)), isDigit(lower(1)) {
            if endsWord(at: 2) { return true }
            if lower(2) == "s", endsWord(at: 3) { return true }
        }
        if lower(0) == "n", lower(1) == "’" { return true }
        for word in ["tis", "twas", "em", "cause", "til"] {
            let letters = Array(word.unicodeScalars)
            if letters.indices.allSatisfy({ lower($0) == letters[$0] }), endsWord(at: letters.count) { return true }
        }
        return false
    }

    static func hasLeftSingleQuote(_ text: String) -> Bool {
        // Each E2 found with memchr, then the two bytes after it (on the string's own storage).
        text.withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress else { return false }
            var offset = 0
            while offset < bytes.count, let found = memchr(base + offset, 0xE2, bytes.count - offset) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if at + 2 < bytes.count, bytes[at + 1] == 0x80, bytes[at + 2] == 0x98 { return true }
                offset = at + 1
            }
            return false
        }
    }

    /// Whether `text` has what `dash` changes: an em dash, or a hyphen or en dash with a
    /// space or no-break space on both sides. Most runs of text have neither, and the regular
    /// expressions cost more than all the rest of reading a book: they run only when needed.
    /// With `style` .em, an em dash counts only with a space or no-break space beside it: the
    /// em style closes em dashes up, and one closed up already is left as it is.
    static func mayHaveDashToSet(_ text: String, style: TypographySettings.DashStyle = .en) -> Bool {
        text.withUTF8Bytes { mayHaveDashToSet($0, closedEmDashStays: style == .em) }
    }

    private static func mayHaveDashToSet(_ bytes: UnsafeBufferPointer<UInt8>, closedEmDashStays: Bool) -> Bool {
        guard let base = bytes.baseAddress, memchr(base, Int32(UInt8(ascii: "-")), bytes.count) != nil
                || memchr(base, 0xE2, bytes.count) != nil else { return false }
        // One byte more, a zero, so that looking past the end needs no test.
        let utf8 = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count + 1)
        defer { utf8.deallocate() }
        _ = utf8.initialize(from: bytes)
        utf8[bytes.count] = 0
        func spaceEnds(at end: Int) -> Bool {  // a space or no-break space ends just before `end`
            end >= 1 && (utf8[end - 1] == UInt8(ascii: " ") || (end >= 2 && utf8[end - 2] == 0xC2 && utf8[end - 1] == 0xA0))
        }
        func spaceStarts(at start: Int) -> Bool {
            utf8[start] == UInt8(ascii: " ") || (utf8[start] == 0xC2 && utf8[start + 1] == 0xA0)
        }
        var index = 0
        while index < bytes.count {
            let byte = utf8[index]
            if byte == 0xE2, utf8[index + 1] == 0x80, utf8[index + 2] == 0x94 {  // —
                if !closedEmDashStays || spaceEnds(at: index) || spaceStarts(at: index + 3) { return true }
                index += 3
                continue
            }
            if byte == 0xE2, utf8[index + 1] == 0x80, utf8[index + 2] == 0x93 {  // –
                if spaceEnds(at: index), spaceStarts(at: index + 3) { return true }
                index += 3
                continue
            }
            if byte == UInt8(ascii: "-"), spaceEnds(at: index), spaceStarts(at: index + 1) { return true }
            index += 1
        }
        return false
    }

    /// Dashes between words in the house style; an en dash between figures or closed up
    /// (1952–1956, May–June) is a range and stays.
    static func dash(_ text: String, style: TypographySettings.DashStyle) -> String {
        // What the regular expressions `[ \x{00A0}]*—[ \x{00A0}]*` → "—" then
        // `[ \x{00A0}]+[-–][ \x{00A0}]+` → "—" (em), or `(?<=\S)[ \x{00A0}]*—[ \x{00A0}]*(?=\S)`
        // → " – " then `[ \x{00A0}]+-[ \x{00A0}]+` → " – " (en) do, on the text's scalars.
        let scalars = Array(text.unicodeScalars)
        let result: [Unicode.Scalar]
        switch style {
        case .asWritten:
            return text
        case .em:
            result = spacedDashes(closedEmDashes(scalars), dashes: ["-", "–"], with: ["—"])
        case .en:
            result = spacedDashes(spacedEmDashes(scalars), dashes: ["-"], with: [" ", "–", " "])
        }
        // Encoded into bytes once: appending scalars to a String one by one costs more than
        // the whole rule.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(result.count + result.count / 2)
        for scalar in result { UTF8.encode(scalar) { bytes.append($0) } }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\u{A0}" }

    /// Every em dash closed up: the spaces and no-break spaces on both sides go.
    private static func closedEmDashes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            if text[index] == "—" {
                while let last = result.last, isSpace(last) { result.removeLast() }
                result.append("—")
                index += 1
                while index < text.count, isSpace(text[index]) { index += 1 }
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    /// An em dash between two characters that are not white space becomes " – " with the
    /// spaces around it; one next to white space or a line's end stays.
    private static func spacedEmDashes(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count + 8)
        var index = 0
        var searchFrom = 0  // where the last replacement ended: a match starts no earlier
        while index < text.count {
            if text[index] == "—" {
                var start = index
                while start > searchFrom, isSpace(text[start - 1]) { start -= 1 }
                var end = index + 1
                while end < text.count, isSpace(text[end]) { end += 1 }
                if start > 0, !isSpace(text[start - 1]), !text[start - 1].properties.isWhitespace,
                   end < text.count, !text[end].properties.isWhitespace {
                    result.removeLast(index - start)
                    result += [" ", "–", " "]
                    index = end
                    searchFrom = end
                    continue
                }
            }
            result.append(text[index])
            index += 1
        }
        return result
    }

    /// Spaces, one of `dashes`, spaces: the house dash instead.
    private static func spacedDashes(_ text: [Unicode.Scalar], dashes: Set<Unicode.Scalar>,
                                     with replacement: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        var index = 0
        while index < text.count {
            guard isSpace(text[index]) else {
                result.append(text[index])
                index += 1
                continue
            }
            var dash = index
            while dash < text.count, isSpace(text[dash]) { dash += 1 }
            if dash + 1 < text.count, dashes.contains(text[dash]), isSpace(text[dash + 1]) {
                var end = dash + 1
                while end < text.count, isSpace(text[end]) { end += 1 }
                result += replacement
                index = end
            } else {
                result += text[index..<dash]
                index = dash
            }
        }
        return result
    }
}
