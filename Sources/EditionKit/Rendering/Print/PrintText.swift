import Foundation

/// The text of the print edition, as WeasyPrint should hyphenate it: a word that starts with
/// a capital letter (a name, a place, an acronym, a month) and is long enough to break goes in
/// `<span class="name">`, which print.css never hyphenates; a word of book.yaml's
/// `hyphenation` list gets soft hyphens where the list breaks it, and breaks only there.
struct PrintText: Sendable {
    /// The shortest word print.css's `hyphenate-limit-chars` lets the hyphenator break.
    static let shortestBreakable = 6

    /// The break offsets (in characters) of each listed word, by its lower-case letters.
    private let breaks: [String: [Int]]

    /// - Parameter exceptions: words with a hyphen at each place they may break (`po-liti-cal`).
    init(exceptions: [String] = []) {
        var breaks: [String: [Int]] = [:]
        for exception in exceptions {
            var offsets: [Int] = []
            var letters = ""
            for character in exception {
                if character == "-" { offsets.append(letters.count) } else { letters.append(character) }
            }
            breaks[letters.lowercased()] = offsets
        }
        self.breaks = breaks
        let asciiWords = breaks.keys.map { Array($0.utf8) }
        // A few ASCII words (book/ lists one): looked for in the bytes before the text is
        // split into words (a longer list goes straight to the split).
        prefilter = asciiWords.count <= 8 && asciiWords.allSatisfy { $0.allSatisfy { $0 < 0x80 } } ? asciiWords : nil
        // The bytes a listed word may start with (its first letter in either case), and the
        // Kelvin sign's first byte: any other byte is passed over at the cost of a look-up.
        var starts = [Bool](repeating: false, count: 256)
        for word in asciiWords where !word.isEmpty {
            starts[Int(word[0])] = true
            if word[0] >= UInt8(ascii: "a"), word[0] <= UInt8(ascii: "z") { starts[Int(word[0] - 0x20)] = true }
        }
        starts[0xE2] = true
        prefilterStarts = starts
        var lengths = [Bool](repeating: false, count: (breaks.keys.map(\.utf8.count).max() ?? 0) + 1)
        for word in breaks.keys { lengths[word.utf8.count] = true }
        listedLengths = lengths
    }

    /// The listed words' bytes when they are few and all ASCII. Then a text holds a listed
    /// word only if it holds its letters in some case, or the Kelvin sign (U+212A, which
    /// lower-cases to `k`: the only letter outside ASCII that lower-cases into it), and most
    /// runs of text are handed back without being split into words.
    private let prefilter: [[UInt8]]?
    private let prefilterStarts: [Bool]

    /// Whether a listed word is so many bytes long (by length): an ASCII word of another
    /// length is not one of them. (An array, not a set: this is asked for every word.)
    private let listedLengths: [Bool]

    /// `text` escaped for HTML, with its capitalized words kept whole and its listed words
    /// broken only where the list says. On the text's Unicode scalars, in one pass each (this
    /// runs on every run of text of the print edition), finding what the regular expressions
    /// `[\p{L}\p{M}]+` (a word, for the list) and
    /// `(?<![\p{L}\p{M}\p{N}&])\p{Lu}[\p{L}\p{M}’'\-]{5,}(?![\p{L}\p{M}\p{N}])` (a name) find.
    func render(_ text: String) -> String {
        var result = text
        if !breaks.isEmpty { result = breakListedWords(result) }
        return Self.markNames(Markup.text(result))
    }

    /// Soft hyphens in each word of the list, at its break points.
    private func breakListedWords(_ text: String) -> String {
        if let prefilter, !Self.mayHold(text, prefilter, starts: prefilterStarts) { return text }
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        var copied = 0
        var index = 0
        while index < bytes.count {
            let (scalar, length) = Self.decode(bytes, at: index)
            guard Self.isLetterOrMark(scalar) else {
                index += length
                continue
            }
            var end = index + length
            while end < bytes.count {
                let (next, nextLength) = Self.decode(bytes, at: end)
                guard Self.isLetterOrMark(next) else { break }
                end += nextLength
            }
            let wordLength = end - index
            if !(wordLength < listedLengths.count && listedLengths[wordLength]), !bytes[index..<end].contains(where: { $0 >= 0x80 }) {
                index = end
                continue
            }
            let word = String(decoding: bytes[index..<end], as: UTF8.self)
            if let offsets = breaks[word.lowercased()] {
                var characters = Array(word)
                for offset in offsets.reversed() where offset > 0 && offset < characters.count {
                    characters.insert("\u{AD}", at: offset)
                }
                if result.isEmpty { result.reserveCapacity(bytes.count + 16) }
                result += bytes[copied..<index]
                result += Array(String(characters).utf8)
                copied = end
            }
            index = end
        }
        guard copied > 0 else { return text }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether `text` holds one of `words` (ASCII, lower-case) in any case, or a Kelvin sign.
    private static func mayHold(_ text: String, _ words: [[UInt8]], starts: [Bool]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard starts[Int(byte)] else { continue }
                if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x84, bytes[index + 2] == 0xAA { return true }
                for word in words where !word.isEmpty && index + word.count <= bytes.count && lower(byte) == word[0] {
                    var offset = 1
                    while offset < word.count, lower(bytes[index + offset]) == word[offset] { offset += 1 }
                    if offset == word.count { return true }
                }
            }
            return false
        }
    }

    /// An ASCII capital as its small letter; any other byte as it is.
    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Each name (a capital, then at least five letters, marks, apostrophes or hyphens, not
    /// inside a longer word or number) in `<span class="name">`.
    static func markNames(_ escaped: String) -> String {
        let bytes = Array(escaped.utf8)
        // Fast path: a text without an upper-case letter has no name (ASCII text is checked
        // byte by byte; other text goes the full way).
        if !bytes.contains(where: { $0 >= 0x80 || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) }) { return escaped }
        var result: [UInt8] = []
        var copied = 0
        var index = 0
        var previous: Unicode.Scalar?
        while index < bytes.count {
            let (scalar, length) = decode(bytes, at: index)
            if isUppercaseLetter(scalar), !(previous.map { isLetterMarkOrNumber($0) || $0 == "&" } ?? false),
               let matchEnd = nameEnd(bytes, after: index + length) {
                if result.isEmpty { result.reserveCapacity(bytes.count + 64) }
                result += bytes[copied..<index]
                result += Array("<span class=\"name\">".utf8)
                result += bytes[index..<matchEnd]
                result += Array("</span>".utf8)
                copied = matchEnd
                index = matchEnd
                // The next position's lookbehind sees the last scalar of the name.
                previous = decode(bytes, at: matchEnd - lastScalarLength(bytes, before: matchEnd)).scalar
                continue
            }
            previous = scalar
            index += length
        }
        guard copied > 0 else { return escaped }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    /// Where a name that starts with a capital just before `start` ends: the longest run of
    /// name parts after it, cut back to the longest part (five at least) that no letter, mark
    /// or number follows, as a regular expression backtracks; nil when there is none.
    private static func nameEnd(_ bytes: [UInt8], after start: Int) -> Int? {
        var ends: [Int] = []  // the byte offset after each scalar of the run
        var end = start
        var after: Unicode.Scalar?
        while end < bytes.count {
            let (next, nextLength) = decode(bytes, at: end)
            guard isNamePart(next) else { after = next; break }
            end += nextLength
            ends.append(end)
        }
        var count = ends.count
        while count >= shortestBreakable - 1 {
            let following: Unicode.Scalar? = count == ends.count ? after : decode(bytes, at: ends[count - 1]).scalar
            if following.map(isLetterMarkOrNumber) != true { return ends[count - 1] }
            count -= 1
        }
        return nil
    }

    /// The scalar at `index` of valid UTF-8 and its length in bytes.
    static func decode(_ bytes: [UInt8], at index: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let first = UInt32(bytes[index])
        if first < 0x80 { return (Unicode.Scalar(UInt8(first)), 1) }
        let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
        var value = first & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length where index + offset < bytes.count {
            value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F)
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    /// The length of the scalar that ends at `end`.
    private static func lastScalarLength(_ bytes: [UInt8], before end: Int) -> Int {
        var start = end - 1
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return end - start
    }

    private static func isUppercaseLetter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x41 && scalar.value <= 0x5A }
        return ScalarCategory.of(scalar) == .uppercaseLetter
    }

    private static func isLetterOrMark(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A }
        switch ScalarCategory.of(scalar) {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    private static func isLetterMarkOrNumber(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isLetterOrMark(scalar) || (scalar.value >= 0x30 && scalar.value <= 0x39) }
        if isLetterOrMark(scalar) { return true }
        switch ScalarCategory.of(scalar) {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    private static func isNamePart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "’" || scalar == "'" || scalar == "-" || isLetterOrMark(scalar)
    }
}
