import Foundation

/// The words of an element of markup this tool wrote (the EPUB's XHTML, the print HTML), read
/// without a parser: tags, text and character references, the way the renderers write them.
/// Notes and note citations are left out (`skippedClasses`): they sit in different places in
/// each output, so the n-th word of an element is the same word in every output.
struct MarkupWords {
    /// Elements whose words are not the text's own: note citations, notes, running heads.
    static let skippedClasses: Set<String> = ["noteref", "footnote", "footnotes", "endnote", "endnotes",
                                                       "unlinked-notes", "running-head"]
    static let voidElements: Set<String> = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                                            "source", "track", "wbr"]

    /// A word of the element: its text and where its first character is in the markup (UTF-8 offset).
    struct Word: Equatable {
        var text: String
        var start: Int
        /// The number of Unicode scalars of the element's text content before the word.
        var scalarOffset: Int
    }

    let markup: [UInt8]

    init(_ markup: String) { self.markup = Array(markup.utf8) }

    /// The words of the element with `id` (none when there is no such element), and the number
    /// of scalars of its whole text content, skipped parts included.
    func words(inElementWithID id: String, alsoSkipping extra: Set<String> = []) -> (words: [Word], scalars: Int)? {
        words(inElementWithID: id, skipping: Self.skippedClasses.union(extra))
    }

    /// The same, leaving out the elements of these classes only.
    func words(inElementWithID id: String, skipping skipped: Set<String>) -> (words: [Word], scalars: Int)? {
        guard let start = openingTag(withID: id) else { return nil }
        var words: [Word] = []
        var depth = 0
        var skipDepth: Int?
        var index = start
        var scalars = 0
        var current: (bytes: [UInt8], start: Int, scalars: Int)?
        func finish() {
            // A soft hyphen (print.hyphenation's break points) is where a word may break, not a
            // letter of it: the word is the same as in an output without them.
            if let word = current {
                words.append(Word(text: String(decoding: word.bytes, as: UTF8.self).replacingOccurrences(of: "\u{AD}", with: ""),
                                  start: word.start, scalarOffset: word.scalars))
            }
            current = nil
        }
        while index < markup.count {
            if markup[index] == UInt8(ascii: "<") {
                guard let end = markup[index...].firstIndex(of: UInt8(ascii: ">")) else { break }
                let tag = Array(markup[(index + 1)..<end])
                index = end + 1
                if tag.first == UInt8(ascii: "!") || tag.first == UInt8(ascii: "?") { continue }
                if tag.first == UInt8(ascii: "/") {
                    depth -= 1
                    if let skip = skipDepth, depth < skip { skipDepth = nil }
                    if depth < 0 { break }
                    continue
                }
                let name = Self.name(of: tag)
                let selfClosing = tag.last == UInt8(ascii: "/") || Self.voidElements.contains(name)
                if !selfClosing {
                    depth += 1
                    if skipDepth == nil, Self.classes(of: tag).contains(where: { skipped.contains($0) }) {
                        skipDepth = depth
                        finish()
                    }
                }
                continue
            }
            var byte = markup[index]
            var length = 1
            var decoded: [UInt8]
            if byte == UInt8(ascii: "&"), let semicolon = markup[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) {
                decoded = Self.reference(Array(markup[(index + 1)..<semicolon]))
                length = semicolon - index + 1
                byte = decoded.first ?? 0
            } else {
                length = Self.sequenceLength(byte)
                decoded = Array(markup[index..<min(index + length, markup.count)])
            }
            let isSpace = decoded.count == 1 && [9, 10, 12, 13, 32].contains(decoded[0])
                || decoded == [0xC2, 0xA0] || decoded == [0xE2, 0x80, 0xAF]
            if skipDepth == nil {
                if isSpace {
                    finish()
                } else if current == nil {
                    current = (decoded, index, scalars)
                } else {
                    current!.bytes += decoded
                }
            }
            scalars += 1
            index += length
        }
        finish()
        return (words, scalars)
    }

    /// Where the element with `id` opens: the offset just after its opening tag.
    func openingTag(withID id: String) -> Int? {
        let needle = Array(" id=\"\(id)\"".utf8)
        var index = 0
        while index + needle.count <= markup.count {
            guard let found = Self.find(needle, in: markup, from: index) else { return nil }
            // Inside a tag: the last '<' before it comes after the last '>'.
            let open = markup[..<found].lastIndex(of: UInt8(ascii: "<")) ?? -1
            let close = markup[..<found].lastIndex(of: UInt8(ascii: ">")) ?? -1
            if open > close, let end = markup[found...].firstIndex(of: UInt8(ascii: ">")) {
                return end + 1
            }
            index = found + 1
        }
        return nil
    }

    /// The word at or after `offset` scalars into the element's text content (its index in
    /// `words`), skipping the notes.
    static func wordIndex(atScalar offset: Int, in words: [Word]) -> Int? {
        words.lastIndex { $0.scalarOffset <= offset }.flatMap { index in
            // An offset inside a skipped part (a note) belongs to the next word.
            let word = words[index]
            let end = word.scalarOffset + word.text.unicodeScalars.count
            return offset < end ? index : (index + 1 < words.count ? index + 1 : nil)
        } ?? (words.isEmpty ? nil : 0)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func name(of tag: [UInt8]) -> String {
        String(decoding: tag.prefix { ![9, 10, 13, 32, UInt8(ascii: "/")].contains($0) }, as: UTF8.self).lowercased()
    }

    private static func classes(of tag: [UInt8]) -> [String] {
        let text = String(decoding: tag, as: UTF8.self)
        guard let range = text.range(of: " class=\"") else { return [] }
        let rest = text[range.upperBound...]
        return rest.prefix { $0 != "\"" }.split(separator: " ").map(String.init)
    }

    private static func sequenceLength(_ byte: UInt8) -> Int {
        byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
    }

    /// The UTF-8 of a character reference's name (`amp`, `#160`, `#xA0`).
    private static func reference(_ name: [UInt8]) -> [UInt8] {
        let text = String(decoding: name, as: UTF8.self)
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        if let value = named[text] { return Array(value.utf8) }
        if text.hasPrefix("#") {
            let digits = text.dropFirst()
            let code = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            if let code, let scalar = Unicode.Scalar(code) { return Array(String(Character(scalar)).utf8) }
        }
        return Array("&\(text);".utf8)
    }
}
