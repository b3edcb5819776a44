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
        prefilterStartBytes = (0...255).filter { starts[$0] }.map(UInt8.init)
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
    /// The same bytes as a list, tested eight text bytes at a time.
    private let prefilterStartBytes: [UInt8]

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
        if let prefilter, !Self.mayHold(text, prefilter, starts: prefilterStarts, startBytes: prefilterStartBytes) { return text }
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
    private static func mayHold(_ text: String, _ words: [[UInt8]], starts: [Bool], startBytes: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                // Eight bytes none of which a listed word or the Kelvin sign starts with.
                if index + 8 <= bytes.count {
                    let word = ByteScan.word(bytes, at: index)
                    if !startBytes.contains(where: { ByteScan.has(word, $0) }) {
                        index += 8
                        continue
                    }
                }
                let start = index, byte = bytes[start]
                index += 1
                guard starts[Int(byte)] else { continue }
                if byte == 0xE2, start + 2 < bytes.count, bytes[start + 1] == 0x84, bytes[start + 2] == 0xAA { return true }
                for word in words where !word.isEmpty && start + word.count <= bytes.count && lower(byte) == word[0] {
                    var offset = 1
                    while offset < word.count, lower(bytes[start + offset]) == word[offset] { offset += 1 }
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
    /// inside a longer word or number) in `<span class="name">`. One pass over the bytes: an
    /// ASCII byte is classed without decoding, and a capital's run is measured without a list
    /// of its ends (this runs on every run of text of the print edition: 22 MB at ×100).
    static func markNames(_ escaped: String) -> String {
        var escaped = escaped
        return escaped.withUTF8 { markNames(in: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? escaped
    }

    private static let nameOpen = Array("<span class=\"name\">".utf8)
    private static let nameClose = Array("</span>".utf8)

    /// The text with its names marked, or nil when it has none.
    private static func markNames(in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        var copied = 0
        var index = 0
        // Whether the scalar before `index` is a letter, mark or number, or `&`: no name starts after one.
        var joined = false
        while index < bytes.count {
            if index + 8 <= bytes.count {
                // Eight ASCII bytes with no capital: none starts a name; the last sets `joined`.
                let word = ByteScan.word(bytes, at: index)
                if !ByteScan.hasHigh(word), !ByteScan.hasASCII(word, in: UInt8(ascii: "A"), UInt8(ascii: "Z")) {
                    index += 8
                    joined = joinsNext(bytes[index - 1])
                    continue
                }
            }
            let byte = bytes[index]
            let scalar: Unicode.Scalar, length: Int
            if byte < 0x80 {
                if byte &- 0x41 >= 26 {
                    joined = joinsNext(byte)
                    index += 1
                    continue
                }
                (scalar, length) = (Unicode.Scalar(byte), 1)
            } else {
                (scalar, length) = decode(bytes, at: index)
            }
            if !joined, isUppercaseLetter(scalar), let matchEnd = nameEnd(bytes, after: index + length) {
                if result.isEmpty { result.reserveCapacity(bytes.count + 64) }
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                result += nameOpen
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<matchEnd]))
                result += nameClose
                copied = matchEnd
                index = matchEnd
                // The next position's lookbehind sees the last scalar of the name.
                let last = decode(bytes, at: matchEnd - lastScalarLength(bytes, before: matchEnd)).scalar
                joined = isLetterMarkOrNumber(last) || last == "&"
                continue
            }
            joined = isLetterMarkOrNumber(scalar) || scalar == "&"
            index += length
        }
        guard copied > 0 else { return nil }
        result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        return result
    }

    /// Whether an ASCII byte that is not a capital holds back a name that would start after
    /// it: a small letter, a digit or `&`.
    @inline(__always)
    private static func joinsNext(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == UInt8(ascii: "&")
    }

    /// Where a name that starts with a capital just before `start` ends: the longest run of
    /// name parts after it, cut back to the longest part (five at least) that no letter, mark
    /// or number follows, as a regular expression backtracks; nil when there is none. Within
    /// the run, only an apostrophe or a hyphen is followed by no letter, mark or number, so the
    /// cut is before the last of those that has five parts before it.
    private static func nameEnd(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int) -> Int? {
        let least = shortestBreakable - 1
        var end = start
        var count = 0
        var cut: Int?
        var followed = false  // whether a letter, mark or number follows the run
        while end < bytes.count {
            let (next, nextLength) = decode(bytes, at: end)
            guard isNamePart(next) else {
                followed = isLetterMarkOrNumber(next)
                break
            }
            if count >= least, !isLetterOrMark(next) { cut = end }
            end += nextLength
            count += 1
        }
        return count >= least && !followed ? end : cut
    }

    /// The scalar at `index` of valid UTF-8 and its length in bytes.
    static func decode<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: Int) -> (scalar: Unicode.Scalar, length: Int)
    where Bytes.Index == Int {
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
    private static func lastScalarLength(_ bytes: UnsafeBufferPointer<UInt8>, before end: Int) -> Int {
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
