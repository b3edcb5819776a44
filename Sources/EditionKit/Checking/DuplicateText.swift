import Foundation

/// Finds text an article says twice: paragraphs and sentences repeated word for word or
/// nearly (a word changed, "has shaken" and "have shaken"), and headings that repeat the
/// article's title. Extraction and copy-and-paste leave such doubles; an editor decides
/// whether to keep them. Reads the article's Markdown as the loader read it (never the file
/// again), so every finding has its line.
///
/// It works on the text's UTF-8 bytes and on integer word ids, and compares a passage only
/// with the earlier ones that share one of its rarest word pairs (prefix filtering: two
/// passages alike enough share one of the few rarest pairs of each), so its time grows with
/// the article's length, not with its square.
struct DuplicateText {
    /// Passages shorter than this (in words) are not compared: "See note 4." may recur.
    static let paragraphMinimum = 12
    static let sentenceMinimum = 10
    /// How alike two passages must be (shared word pairs over all of them) to be reported.
    static let threshold = 0.8
    /// How much of the shorter of two sentences the longer must hold to contain it.
    static let containment = 0.9

    struct Passage {
        /// Lower-case words (letters and digits only), as ids of a `Vocabulary`.
        var words: [Int32]
        var line: Int
        var column: Int
        var paragraph: Int
    }

    /// The words the checks of one build have met, shared by its articles (checked one after
    /// another, under a lock): a word an earlier article had is not lower-cased and stored
    /// again. Word ids are only ever compared with each other, so sharing them changes no
    /// finding; new words were a third of the tokenizer's time.
    final class Words: @unchecked Sendable {
        private let lock = NSLock()
        private var vocabulary = Vocabulary()

        init() {}

        func with<Result>(_ body: (inout Vocabulary) -> Result) -> Result {
            lock.lock()
            defer { lock.unlock() }
            return body(&vocabulary)
        }
    }

    let article: Article
    /// The words known already (a new, empty set unless the caller shares one).
    var words = Words()

    func check() -> [Diagnostic] {
        words.with { check(vocabulary: &$0) }
    }

    private func check(vocabulary: inout Vocabulary) -> [Diagnostic] {
        let (paragraphs, sentences, headings) = Self.passages(article.bodyText, lineOffset: article.bodyLineOffset,
                                                              vocabulary: &vocabulary)
        let file = article.location.file
        var result: [Diagnostic] = []
        var reportedParagraphs = Set<Int>()
        let longParagraphs = paragraphs.filter { $0.words.count >= Self.paragraphMinimum }
        for (later, earlier, likeness) in Self.pairs(longParagraphs) {
            reportedParagraphs.insert(later.paragraph)
            reportedParagraphs.insert(earlier.paragraph)
            result.append(.warning(.textDuplicate, "this paragraph \(Self.describe(likeness)) the one at line \(earlier.line)",
                                   at: SourceLocation(file: file, line: later.line, column: later.column),
                                   hint: "keep one, or acknowledge the repetition in book.yaml with the reason"))
        }
        let longSentences = sentences.filter { $0.words.count >= Self.sentenceMinimum }
        for (later, earlier, likeness) in Self.pairs(longSentences, contained: true)
        where !(reportedParagraphs.contains(later.paragraph) && reportedParagraphs.contains(earlier.paragraph)) {
            result.append(.warning(.textDuplicate, "this sentence \(Self.describe(likeness)) one at line \(earlier.line)",
                                   at: SourceLocation(file: file, line: later.line, column: later.column),
                                   hint: "keep one, or acknowledge the repetition in book.yaml with the reason"))
        }
        var tokenizer = Tokenizer()
        let title = tokenizer.words(Array(article.plainTitle.utf8)[...], vocabulary: &vocabulary)
        for heading in headings where heading.words == title {
            result.append(.warning(.textDuplicate, "this heading repeats the article's title",
                                   at: SourceLocation(file: file, line: heading.line, column: heading.column),
                                   hint: "a heading names a section; mark what comes before it (an introduction?) instead"))
        }
        return result
    }

    static func describe(_ likeness: Double) -> String {
        likeness >= 1 ? "repeats" : likeness == 0 ? "repeats the words of"
            : "nearly repeats (\(Int((likeness * 100).rounded(.down)))% alike)"
    }

    // MARK: - Comparing

    /// Every later passage alike enough to an earlier one, with the earliest such and how
    /// alike: 1 for the same words, 0 for one held in the other (`contained`), else the
    /// shared word pairs over all the pairs of both (at least `threshold`).
    static func pairs(_ passages: [Passage], contained: Bool = false) -> [(Passage, Passage, Double)] {
        // Each passage's distinct word pairs, as dense ids (a pair met again in the same
        // passage is known by the passage's stamp, not by sorting the pairs by id), all in
        // one array: passage p's are `shingles[starts[p]..<starts[p + 1]]`. (An array per
        // passage cost a uniqueness check on two arrays for every pair written.)
        let capacity = passages.reduce(0) { $0 + max($1.words.count - 1, 0) }
        var pairIds = PairTable(capacity: capacity)
        var shingles = [Int32](repeating: 0, count: capacity)
        var starts = [Int](repeating: 0, count: passages.count + 1)
        var frequency = [Int32](repeating: 0, count: capacity)
        var lastPassage = [Int32](repeating: -1, count: capacity)
        shingles.withUnsafeMutableBufferPointer { shingles in
            frequency.withUnsafeMutableBufferPointer { frequency in
                lastPassage.withUnsafeMutableBufferPointer { lastPassage in
                    var end = 0
                    for (position, passage) in passages.enumerated() {
                        let words = passage.words
                        let stamp = Int32(position)
                        for index in words.indices.dropLast() {
                            let key = UInt64(UInt32(bitPattern: words[index])) << 32 | UInt64(UInt32(bitPattern: words[index + 1]))
                            let id = Int(pairIds.id(key).id)
                            if lastPassage[id] != stamp {
                                lastPassage[id] = stamp
                                frequency[id] += 1
                                shingles[end] = Int32(id)
                                end += 1
                            }
                        }
                        starts[position + 1] = end
                    }
                }
            }
            // The rarest pairs first (ties by id): two sets sharing at least α pairs share one
            // among the first |set| - α + 1 of each in this order. Sorted as one integer each,
            // frequency above id: the same order, no comparison closure. The passages' pairs
            // are kept in this order only (every other use of them is a count or a membership).
            var keys: [UInt64] = []
            for position in passages.indices {
                let range = starts[position]..<starts[position + 1]
                keys.removeAll(keepingCapacity: true)
                for index in range {
                    let id = shingles[index]
                    keys.append(UInt64(UInt32(bitPattern: frequency[Int(id)])) << 32 | UInt64(UInt32(bitPattern: id)))
                }
                keys.sort()
                for (offset, key) in keys.enumerated() { shingles[range.lowerBound + offset] = Int32(truncatingIfNeeded: key) }
            }
        }
        // α for the threshold: likeness ≥ 0.8 means shared ≥ 0.8 × |union| ≥ 0.8 × |each|.
        func similarPrefix(_ count: Int) -> Int { count == 0 ? 0 : count - (4 * count + 4) / 5 + 1 }
        // α for containment: shared ≥ 0.9 × |shorter|.
        func containedPrefix(_ count: Int) -> Int { count == 0 ? 0 : count - (9 * count + 9) / 10 + 1 }
        let similarIndex = Postings(pairs: pairIds.count, shingles: shingles, starts: starts, listed: similarPrefix)
        let fullIndex = contained ? Postings(pairs: pairIds.count, shingles: shingles, starts: starts, listed: { $0 }) : nil
        let containedIndex = contained
            ? Postings(pairs: pairIds.count, shingles: shingles, starts: starts, listed: containedPrefix) : nil

        var result: [(Passage, Passage, Double)] = []
        var mark = [Int32](repeating: -1, count: pairIds.count)
        var seen = [Int32](repeating: -1, count: passages.count)
        shingles.withUnsafeBufferPointer { shingles in
            mark.withUnsafeMutableBufferPointer { mark in
                seen.withUnsafeMutableBufferPointer { seen in
                    for (position, passage) in passages.enumerated() {
                        let own = UnsafeBufferPointer(rebasing: shingles[starts[position]..<starts[position + 1]])
                        let stamp = Int32(position)
                        for id in own { mark[Int(id)] = stamp }
                        var best: (other: Int, likeness: Double)?
                        func consider(_ other: Int) {
                            guard seen[other] != stamp else { return }
                            seen[other] = stamp
                            if let best, best.other < other { return }
                            let others = UnsafeBufferPointer(rebasing: shingles[starts[other]..<starts[other + 1]])
                            var count = 0
                            for id in others where mark[Int(id)] == stamp { count += 1 }
                            guard count > 0 else { return }
                            let likeness: Double
                            if passages[other].words == passage.words {
                                likeness = 1
                            } else {
                                let similar = Double(count) / Double(own.count + others.count - count)
                                if similar >= threshold {
                                    likeness = similar
                                } else if contained, Double(count) / Double(min(own.count, others.count)) >= containment {
                                    // One passage inside the other: a sentence repeated with a clause added.
                                    likeness = 0
                                } else {
                                    return
                                }
                            }
                            best = (other, likeness)
                        }
                        for id in own.prefix(similarPrefix(own.count)) {
                            similarIndex.forEach(id, before: position, consider)
                        }
                        if let fullIndex, let containedIndex {
                            // This one the shorter: one of its rarest pairs is in the other.
                            for id in own.prefix(containedPrefix(own.count)) { fullIndex.forEach(id, before: position, consider) }
                            // The other the shorter: one of its rarest pairs is among this one's.
                            for id in own { containedIndex.forEach(id, before: position, consider) }
                        }
                        if let best { result.append((passage, passages[best.other], best.likeness)) }
                    }
                }
            }
        }
        return result
    }

    /// For each word pair, the passages (in order) whose listed pairs hold it.
    struct Postings {
        private var starts: [Int32]
        private var entries: [Int32]

        /// - Parameter listed: how many of a passage's pairs (the first, of so many) are listed.
        init(pairs: Int, shingles: [Int32], starts passageStarts: [Int], listed: (Int) -> Int) {
            let passages = passageStarts.count - 1
            func list(_ passage: Int) -> Range<Int> {
                let start = passageStarts[passage]
                return start..<(start + listed(passageStarts[passage + 1] - start))
            }
            var counts = [Int32](repeating: 0, count: pairs + 1)
            for passage in 0..<passages { for index in list(passage) { counts[Int(shingles[index]) + 1] += 1 } }
            for index in 0..<pairs { counts[index + 1] += counts[index] }
            starts = counts
            var next = counts
            entries = [Int32](repeating: 0, count: Int(counts[pairs]))
            for passage in 0..<passages {
                for index in list(passage) {
                    let id = Int(shingles[index])
                    entries[Int(next[id])] = Int32(passage)
                    next[id] += 1
                }
            }
        }

        /// Calls `body` with each passage holding `pair` that comes before `position`.
        func forEach(_ pair: Int32, before position: Int, _ body: (Int) -> Void) {
            var index = Int(starts[Int(pair)])
            let end = Int(starts[Int(pair) + 1])
            while index < end {
                let passage = Int(entries[index])
                if passage >= position { return }
                body(passage)
                index += 1
            }
        }
    }

    // MARK: - Reading the Markdown

    /// The body's paragraphs (list items, quotes and note definitions each count as one),
    /// their sentences, and the headings (level 2 and below), read line by line on the bytes.
    static func passages(_ body: String, lineOffset: Int, vocabulary: inout Vocabulary) -> ([Passage], [Passage], [Passage]) {
        let bytes = Array(body.utf8)
        var paragraphs: [Passage] = [], sentences: [Passage] = [], headings: [Passage] = []
        var tokenizer = Tokenizer()
        // The lines of the paragraph being read: their numbers, columns and byte ranges.
        var current: [(line: Int, column: Int, range: Range<Int>)] = []
        var joined: [UInt8] = []
        var fenced = false
        var inNote = false
        func flush() {
            guard let first = current.first else { return }
            let number = paragraphs.count
            // Without a closing bracket (no citation, no link address to cut) a paragraph's
            // words are its sentences' words one after another (sentences and lines part at
            // white space), so its text is tokenized once, in the same order: the same words
            // and the same ids. With one, the joined paragraph is tokenized on its own.
            let clean = !current.contains { bytes[$0.range].contains(UInt8(ascii: "]")) }
            var paragraphWords: [Int32] = []
            func sentence(_ range: Range<Int>, _ part: (line: Int, column: Int, range: Range<Int>)) {
                let words = tokenizer.cleanWords(bytes[range], vocabulary: &vocabulary)
                if clean { paragraphWords += words }
                sentences.append(Passage(words: words, line: part.line,
                                         column: part.column + range.lowerBound - part.range.lowerBound, paragraph: number))
            }
            if !clean {
                joined.removeAll(keepingCapacity: true)
                for (index, part) in current.enumerated() {
                    if index > 0 { joined.append(0x20) }
                    joined.append(contentsOf: bytes[part.range])
                }
                paragraphWords = tokenizer.cleanWords(joined[...], vocabulary: &vocabulary)
            }
            for part in current {
                var start = part.range.lowerBound
                for end in Text.sentenceEnds(bytes, in: part.range) {
                    sentence(start..<end, part)
                    start = end
                }
                if start < part.range.upperBound { sentence(start..<part.range.upperBound, part) }
            }
            paragraphs.append(Passage(words: paragraphWords, line: first.line, column: first.column, paragraph: number))
            current.removeAll(keepingCapacity: true)
        }
        var lineStart = 0
        var line = lineOffset + 1
        while lineStart <= bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            defer { lineStart = lineEnd + 1; line += 1 }
            var end = lineEnd
            if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
            let trimmed = Text.trimmed(bytes, lineStart..<end)
            if Text.startsFence(bytes, trimmed) { fenced.toggle(); flush(); continue }
            if fenced { continue }
            if trimmed.isEmpty { flush(); continue }
            // A block's markers (heading, quote, list item, note definition) start a new block.
            var textStart = lineStart
            while textStart < end, bytes[textStart] == 0x20 || bytes[textStart] == 0x09 { textStart += 1 }
            let indent = textStart - lineStart
            // Note definitions are not compared: notes repeat a source's reference on purpose.
            if Text.startsNoteDefinition(bytes, textStart..<end) { flush(); inNote = true; continue }
            if inNote, indent > 0 { continue }
            inNote = false
            let marker = Text.blockMarker(bytes, textStart..<end)
            if marker > 0 {
                let isHeading = bytes[textStart] == UInt8(ascii: "#")
                flush()
                let rest = (textStart + marker)..<end
                let column = indent + marker + 1
                if isHeading {
                    // A level-1 heading inside an article is an error of its own.
                    if textStart + 1 < end, bytes[textStart + 1] == UInt8(ascii: "#") {
                        headings.append(Passage(words: tokenizer.cleanWords(bytes[rest], vocabulary: &vocabulary),
                                                line: line, column: column, paragraph: -1))
                    }
                    continue
                }
                current.append((line, column, rest))
            } else {
                current.append((line, indent + 1, textStart..<end))
            }
        }
        flush()
        return (paragraphs, sentences, headings)
    }

    /// Byte-level readings of a Markdown line.
    enum Text {
        /// The scalar starting at `index` (the bytes are valid UTF-8) and its length: of an
        /// array or of a buffer (one generic decoder, specialized for each).
        @inline(__always)
        static func scalar<Bytes: RandomAccessCollection>(_ bytes: Bytes, at index: Int) -> (Unicode.Scalar, Int)
        where Bytes.Element == UInt8, Bytes.Index == Int {
            let lead = UInt32(bytes[index])
            if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
            if lead < 0xE0 {
                return (Unicode.Scalar(((lead & 0x1F) << 6) | (UInt32(bytes[index + 1]) & 0x3F)) ?? " ", 2)
            }
            if lead < 0xF0 {
                let value = ((lead & 0x0F) << 12) | ((UInt32(bytes[index + 1]) & 0x3F) << 6) | (UInt32(bytes[index + 2]) & 0x3F)
                return (Unicode.Scalar(value) ?? " ", 3)
            }
            let value = ((lead & 0x07) << 18) | ((UInt32(bytes[index + 1]) & 0x3F) << 12)
                | ((UInt32(bytes[index + 2]) & 0x3F) << 6) | (UInt32(bytes[index + 3]) & 0x3F)
            return (Unicode.Scalar(value) ?? " ", 4)
        }

        /// Foundation's `.whitespaces`: spaces (category Zs) and the tab.
        static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
            default: return false
            }
        }

        /// A regular expression's `\s`: any white space, line ends included.
        static func whitespaceLength(_ bytes: [UInt8], at index: Int, before end: Int) -> Int {
            let byte = bytes[index]
            if byte < 0x80 { return byte == 0x20 || (0x09...0x0D).contains(byte) ? 1 : 0 }
            let (scalar, length) = scalar(bytes, at: index)
            return index + length <= end && scalar.properties.isWhitespace ? length : 0
        }

        /// The line without the spaces and tabs at its ends.
        static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
            var start = range.lowerBound
            while start < range.upperBound {
                let (scalar, length) = scalar(bytes, at: start)
                guard isSpace(scalar) else { break }
                start += length
            }
            var end = range.upperBound
            while end > start {
                var first = end - 1
                while first > start, bytes[first] & 0xC0 == 0x80 { first -= 1 }
                guard isSpace(scalar(bytes, at: first).0) else { break }
                end = first
            }
            return start..<end
        }

        static func startsFence(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
            guard range.count >= 3 else { return false }
            let mark = bytes[range.lowerBound]
            guard mark == UInt8(ascii: "`") || mark == UInt8(ascii: "~") else { return false }
            return bytes[range.lowerBound + 1] == mark && bytes[range.lowerBound + 2] == mark
        }

        /// `[^label]:` at the start.
        static func startsNoteDefinition(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
            let start = range.lowerBound
            guard range.count >= 5, bytes[start] == UInt8(ascii: "["), bytes[start + 1] == UInt8(ascii: "^"),
                  let close = bytes[(start + 2)..<range.upperBound].firstIndex(of: UInt8(ascii: "]")),
                  close > start + 2, close + 1 < range.upperBound else { return false }
            return bytes[close + 1] == UInt8(ascii: ":")
        }

        /// How many bytes of block markers start the text: headings' `#`s, quotes' `>`, list
        /// items' `-`, `*`, `+` or number, as many as follow one another; 0 for none.
        static func blockMarker(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
            var index = range.lowerBound
            let end = range.upperBound
            func isDigit(_ at: Int) -> Bool {
                let byte = bytes[at]
                if byte < 0x80 { return (0x30...0x39).contains(byte) }
                return scalar(bytes, at: at).0.properties.numericType == .decimal
            }
            markers: while index < end {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "#"):
                    var hashes = index
                    while hashes < end, bytes[hashes] == byte { hashes += 1 }
                    guard hashes - index <= 6, hashes < end, bytes[hashes] == 0x20 else { break markers }
                    index = hashes + 1
                case UInt8(ascii: ">"):
                    index += 1
                    if index < end { index += whitespaceLength(bytes, at: index, before: end) }
                case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"):
                    guard index + 1 < end, bytes[index + 1] == 0x20 else { break markers }
                    index += 2
                default:
                    var digits = index
                    var count = 0
                    while digits < end, count <= 9, isDigit(digits) { digits += scalar(bytes, at: digits).1; count += 1 }
                    guard count >= 1, count <= 9, digits + 1 < end,
                          bytes[digits] == UInt8(ascii: ".") || bytes[digits] == UInt8(ascii: ")"),
                          bytes[digits + 1] == 0x20 else { break markers }
                    index = digits + 2
                }
            }
            return index - range.lowerBound
        }

        /// Where each sentence but the last of a line ends: after `.`, `!` or `?`, closing
        /// quotes or brackets, and white space, before a capital or a digit (perhaps quoted).
        static func sentenceEnds(_ bytes: [UInt8], in range: Range<Int>) -> [Int] {
            var ends: [Int] = []
            var index = range.lowerBound
            let end = range.upperBound
            func has(_ sequence: (UInt8, UInt8, UInt8), at at: Int) -> Bool {
                at + 2 < end && bytes[at] == sequence.0 && bytes[at + 1] == sequence.1 && bytes[at + 2] == sequence.2
            }
            func closerLength(_ at: Int) -> Int {
                switch bytes[at] {
                case UInt8(ascii: "\""), UInt8(ascii: ")"), UInt8(ascii: "]"): return 1
                default: return has((0xE2, 0x80, 0x9D), at: at) || has((0xE2, 0x80, 0x99), at: at) ? 3 : 0  // ” ’
                }
            }
            func openerLength(_ at: Int) -> Int {
                switch bytes[at] {
                case UInt8(ascii: "\""), UInt8(ascii: "("): return 1
                default: return has((0xE2, 0x80, 0x9C), at: at) || has((0xE2, 0x80, 0x98), at: at) ? 3 : 0  // “ ‘
                }
            }
            func startsCapital(_ at: Int) -> Bool {
                guard at < end else { return false }
                let byte = bytes[at]
                if (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) { return true }
                // Á É Í Ó Ú Ñ
                guard byte == 0xC3, at + 1 < end else { return false }
                return [0x81, 0x89, 0x8D, 0x93, 0x9A, 0x91].contains(bytes[at + 1])
            }
            while index < end {
                if index + 8 <= end {
                    // Eight bytes with no stop: none ends a sentence.
                    let word = bytes.withUnsafeBufferPointer { ByteScan.word($0, at: index) }
                    if !ByteScan.has(word, UInt8(ascii: ".")), !ByteScan.has(word, UInt8(ascii: "!")),
                       !ByteScan.has(word, UInt8(ascii: "?")) {
                        index += 8
                        continue
                    }
                }
                let byte = bytes[index]
                guard byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") else {
                    index += 1
                    continue
                }
                var after = index + 1
                while after < end { let length = closerLength(after); if length == 0 { break }; after += length }
                var next = after
                while next < end { let length = whitespaceLength(bytes, at: next, before: end); if length == 0 { break }; next += length }
                if next > after, next < end {
                    let opener = openerLength(next)
                    if startsCapital(next) || (opener > 0 && startsCapital(next + opener)) {
                        ends.append(next)
                        index = next
                        continue
                    }
                }
                index += 1
            }
            return ends
        }
    }

    /// Turns text into word ids: lower-case words, letters and digits only, as Swift's
    /// `Character.isLetter`/`isNumber` see them (a letter with its combining marks is one).
    struct Tokenizer {
        private var first: [UInt8] = []
        private var second: [UInt8] = []

        /// The words of `text` without note citations and link addresses.
        mutating func cleanWords(_ text: ArraySlice<UInt8>, vocabulary: inout Vocabulary) -> [Int32] {
            // Both take a closing bracket: without one, the text is clean already.
            guard text.contains(UInt8(ascii: "]")) else { return Self.words(text, vocabulary: &vocabulary) }
            // `[^label]` becomes a space; then `](address)` becomes `]`. (Once no closing
            // bracket follows, none will: the rest is copied unsearched.)
            first.removeAll(keepingCapacity: true)
            var index = text.startIndex
            var copied = index
            var closes = true
            while index < text.endIndex {
                if closes, text[index] == UInt8(ascii: "["), index + 2 < text.endIndex, text[index + 1] == UInt8(ascii: "^"),
                   text[index + 2] != UInt8(ascii: "]") {
                    if let close = text[(index + 2)..<text.endIndex].firstIndex(of: UInt8(ascii: "]")) {
                        first.append(contentsOf: text[copied..<index])
                        first.append(0x20)
                        index = close + 1
                        copied = index
                        continue
                    }
                    closes = false
                }
                index += 1
            }
            first.append(contentsOf: text[copied..<text.endIndex])
            second.removeAll(keepingCapacity: true)
            index = 0
            copied = 0
            closes = true
            while index < first.count {
                if closes, first[index] == UInt8(ascii: "]"), index + 1 < first.count, first[index + 1] == UInt8(ascii: "(") {
                    if let close = first[(index + 2)...].firstIndex(of: UInt8(ascii: ")")) {
                        second.append(contentsOf: first[copied...index])
                        index = close + 1
                        copied = index
                        continue
                    }
                    closes = false
                }
                index += 1
            }
            second.append(contentsOf: first[copied...])
            return Self.words(second[...], vocabulary: &vocabulary)
        }

        /// A word is a run of bytes: letters and digits, and the marks that join them.
        static func words(_ text: ArraySlice<UInt8>, vocabulary: inout Vocabulary) -> [Int32] {
            text.withUnsafeBufferPointer { buffer in
                var result: [Int32] = []
                var start = -1
                var index = 0
                let count = buffer.count
                while index < count {
                    let byte = buffer[index]
                    if byte < 0x80 {
                        if byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26 {
                            if start < 0 { start = index }
                        } else if start >= 0 {
                            result.append(vocabulary.id(UnsafeBufferPointer(rebasing: buffer[start..<index])))
                            start = -1
                        }
                        index += 1
                        continue
                    }
                    let (scalar, length) = Text.scalar(buffer, at: index)
                    let kind = ScalarKind.of(scalar)
                    if kind == .joining {
                        // Part of the character before: a word's if that one is a letter.
                    } else if kind == .word {
                        if start < 0 { start = index }
                    } else if start >= 0 {
                        result.append(vocabulary.id(UnsafeBufferPointer(rebasing: buffer[start..<index])))
                        start = -1
                    }
                    index += length
                }
                if start >= 0 { result.append(vocabulary.id(UnsafeBufferPointer(rebasing: buffer[start..<count]))) }
                return result
            }
        }

        mutating func words(_ text: ArraySlice<UInt8>, vocabulary: inout Vocabulary) -> [Int32] {
            Self.words(text, vocabulary: &vocabulary)
        }
    }

    /// What a scalar is to a word: part of one (a letter or a digit), part of the character
    /// before it (a combining mark, the zero-width joiner, an emoji's skin tone), or neither;
    /// from a table for the usual scalars (`UsualScalars`).
    enum ScalarKind: UInt8, Sendable {
        case separator, word, joining

        static func of(_ scalar: Unicode.Scalar) -> ScalarKind { table[scalar] }

        private static let table = UsualScalars(computed)

        static func computed(_ scalar: Unicode.Scalar) -> ScalarKind {
            let properties = scalar.properties
            if properties.isGraphemeExtend || scalar.value == 0x200D || properties.generalCategory == .spacingMark
                || (0x1F3FB...0x1F3FF).contains(scalar.value) {
                return .joining
            }
            return properties.isAlphabetic || properties.numericType != nil ? .word : .separator
        }
    }

    /// Words as they are written → ids of their lower-case forms (words differing only in
    /// case share one).
    struct Vocabulary {
        private var written = ByteTable()
        private var lowered = ByteTable()
        /// For each written form, its lower-case form's id.
        private var lowerOf: [Int32] = []

        mutating func id(_ word: UnsafeBufferPointer<UInt8>) -> Int32 {
            let (id, isNew) = written.insert(word)
            if isNew {
                let lower: [UInt8]
                if word.allSatisfy({ $0 < 0x80 }) {
                    lower = word.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
                } else {
                    lower = Array(String(decoding: word, as: UTF8.self).lowercased().utf8)
                }
                lowerOf.append(lower.withUnsafeBufferPointer { lowered.insert($0).id })
            }
            return lowerOf[Int(id)]
        }
    }

    /// Distinct byte strings, numbered in the order first seen (open addressing). A slot
    /// holds what tells its string from others: the bytes themselves when they are eight or
    /// fewer (most words), else their hash; so a lookup reads one slot, and the stored bytes
    /// only to confirm a long word (three arrays read per probe missed the cache at ×100).
    struct ByteTable {
        private struct Slot {
            /// A short string's bytes (first byte lowest, zeros after), or a long one's hash.
            var key: UInt64 = 0
            var id: Int32 = -1
            var length: Int32 = 0
        }

        private var storage: [UInt8] = []
        private var starts: [Int] = [0]
        private var slots = [Slot](repeating: Slot(), count: 1024)
        private var count = 0

        /// The bytes' hash, eight at a time (a word is one load or two, where FNV-1a, which
        /// this was, multiplied once for each byte).
        @inline(__always)
        static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var hash = UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
            guard let base = bytes.baseAddress else { return hash }
            let raw = UnsafeRawPointer(base)
            var index = 0
            while index + 8 <= bytes.count {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                hash ^= hash >> 32
                index += 8
            }
            if index < bytes.count {
                hash = (hash ^ packed(UnsafeBufferPointer(rebasing: bytes[index...]))) &* 0xC4CE_B9FE_1A85_EC53
            }
            return hash ^ (hash >> 31)
        }

        /// Up to eight bytes in one integer, the first lowest.
        @inline(__always)
        private static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            for byte in bytes {
                value |= UInt64(byte) << shift
                shift += 8
            }
            return value
        }

        /// The slot key of `bytes` and where its probe starts (`hash` for a long string).
        @inline(__always)
        private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> (key: UInt64, hash: UInt64) {
            if bytes.count <= 8 {
                let key = packed(bytes)
                return (key, mixed(key, bytes.count))
            }
            let hash = hash(bytes)
            return (hash, hash)
        }

        /// A short string's key, spread over all the bits (with its length, which tells
        /// "a" from "a\0").
        @inline(__always)
        private static func mixed(_ key: UInt64, _ length: Int) -> UInt64 {
            let hash = (key ^ UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15) &* 0xFF51_AFD7_ED55_8CCD
            return hash ^ (hash >> 32)
        }

        @inline(__always)
        private static func firstSlot(_ hash: UInt64, _ mask: Int) -> Int {
            Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
        }

        mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (id: Int32, isNew: Bool) {
            let (key, hash) = Self.key(bytes)
            let length = Int32(truncatingIfNeeded: bytes.count)
            let mask = slots.count - 1
            var slot = Self.firstSlot(hash, mask)
            while true {
                let found = slots[slot]
                if found.id < 0 { break }
                if found.key == key, found.length == length,
                   bytes.count <= 8 || storage.withUnsafeBufferPointer({ stored in
                       memcmp(stored.baseAddress! + starts[Int(found.id)], bytes.baseAddress!, bytes.count) == 0
                   }) {
                    return (found.id, false)
                }
                slot = (slot + 1) & mask
            }
            let id = Int32(count)
            slots[slot] = Slot(key: key, id: id, length: length)
            count += 1
            storage.append(contentsOf: bytes)
            starts.append(storage.count)
            if count * 2 > slots.count { grow() }
            return (id, true)
        }

        private mutating func grow() {
            let old = slots
            slots = [Slot](repeating: Slot(), count: old.count * 2)
            let mask = slots.count - 1
            for entry in old where entry.id >= 0 {
                let hash = entry.length <= 8 ? Self.mixed(entry.key, Int(entry.length)) : entry.key
                var slot = Self.firstSlot(hash, mask)
                while slots[slot].id >= 0 { slot = (slot + 1) & mask }
                slots[slot] = entry
            }
        }
    }

    /// Word pairs (two word ids in one integer) → dense ids, in the order first seen. A
    /// slot holds its pair beside its id: a probe reads one slot.
    struct PairTable {
        private struct Slot {
            var key: UInt64 = 0
            var id: Int32 = -1
        }

        private var keys: [UInt64] = []
        private var slots: [Slot]
        /// 64 − log2(slots.count): the slot is the top bits of the product (Fibonacci
        /// hashing), which depend on every bit of both words' ids. (Its middle bits, taken
        /// before, ignored most of the first word's: pairs ending in the same word crowded
        /// into one run of slots.)
        private var shift: UInt64
        var count: Int { keys.count }

        /// A table with room for `capacity` pairs from the start, so that it never grows
        /// (growing went over every pair again at each doubling), and no bigger than that
        /// needs: most tables hold one article's pairs, and the 4,096-slot floor this had
        /// zeroed 64 KB for each.
        init(capacity: Int) {
            var size = 64
            while size < capacity * 2 { size *= 2 }
            slots = [Slot](repeating: Slot(), count: size)
            shift = 64 - UInt64(size.trailingZeroBitCount)
            keys.reserveCapacity(capacity)
        }

        @inline(__always)
        private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }

        mutating func id(_ key: UInt64) -> (id: Int32, isNew: Bool) {
            let mask = slots.count - 1
            var slot = Self.slot(key, shift)
            while true {
                let found = slots[slot]
                if found.id < 0 { break }
                if found.key == key { return (found.id, false) }
                slot = (slot + 1) & mask
            }
            let id = Int32(keys.count)
            slots[slot] = Slot(key: key, id: id)
            keys.append(key)
            if keys.count * 2 > slots.count {
                slots = [Slot](repeating: Slot(), count: slots.count * 2)
                shift -= 1
                let mask = slots.count - 1
                for (id, key) in keys.enumerated() {
                    var slot = Self.slot(key, shift)
                    while slots[slot].id >= 0 { slot = (slot + 1) & mask }
                    slots[slot] = Slot(key: key, id: Int32(id))
                }
            }
            return (id, true)
        }
    }
}
