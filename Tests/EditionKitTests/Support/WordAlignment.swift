import Foundation

/// A word of a text, as the completeness tests compare them.
struct Word: Sendable {
    /// The normalised form that is compared (see `Words.tokens`).
    var text: String
    /// The word as written, for messages.
    var surface: String
    /// The line of the source file it is on (1-based), or 0 when it has none.
    var line: Int
}

/// Splits text into words with a normalisation that hides only typography, never wording.
enum Words {
    /// Unicode superscript digits: in the source texts they are note marks glued to the text
    /// ("population²."), never part of a word, so they separate words and are dropped.
    static let superscriptDigits: [Character: Int] = [
        "⁰": 0, "¹": 1, "²": 2, "³": 3, "⁴": 4, "⁵": 5, "⁶": 6, "⁷": 7, "⁸": 8, "⁹": 9,
    ]

    /// Apostrophes, straight or typographic (the Sagra text writes "Estenssoro´s" with an
    /// acute accent). Inside a word they become "'"; at its edges they are quotation marks.
    static let apostrophes: Set<Character> = ["'", "’", "‘", "ʼ", "´", "`"]

    /// The words of `text`:
    /// - NFC, so that "á" precomposed and decomposed are the same word; accents are kept
    ///   (a lost accent is a real difference);
    /// - case-folded (the print edition sets its headings and bylines in capitals);
    /// - a word is a run of letters and digits, with apostrophes kept inside it
    ///   ("Bolivia’s" → "bolivia's", "workers’" → "workers");
    /// - everything else separates words: punctuation, Markdown emphasis (`**`, `*`, `\$`),
    ///   hyphens and dashes of every kind ("May–June", "May-June" and "May — June" give the
    ///   same two words; this also makes the one line-end hyphen of the sources, "the Evo-" /
    ///   "aligned faction", a non-issue: it is a real hyphen, so no de-hyphenation is done),
    ///   superscript note marks and symbols ("■", "°").
    static func tokens(in text: String, line: Int = 0) -> [Word] {
        let characters = Array(text.precomposedStringWithCanonicalMapping)
        var words: [Word] = []
        var normal = ""
        var surface = ""
        func flush() {
            if !normal.isEmpty { words.append(Word(text: normal, surface: surface, line: line)) }
            normal = ""
            surface = ""
        }
        for (index, character) in characters.enumerated() {
            if isWordCharacter(character) {
                normal += character.lowercased()
                surface.append(character)
            } else if apostrophes.contains(character), !normal.isEmpty,
                      index + 1 < characters.count, isWordCharacter(characters[index + 1]) {
                normal += "'"
                surface.append(character)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The words of a multi-line text, each with its line number (`firstLine` is the number
    /// of the first line).
    static func tokens(inLines lines: some Sequence<String>, firstLine: Int) -> [Word] {
        var result: [Word] = []
        for (offset, line) in lines.enumerated() {
            result += tokens(in: line, line: firstLine + offset)
        }
        return result
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        if superscriptDigits[character] != nil { return false }
        return character.isLetter || character.isNumber
    }

    /// The normalised words only.
    static func normalized(_ text: String) -> [String] { tokens(in: text).map(\.text) }
}

/// An in-order alignment of two word sequences: a common subsequence found with patience
/// anchors (words that occur exactly once on each side, kept in order by a longest
/// increasing subsequence) and Myers' O((N+M)·D) diff between the anchors. It never pairs
/// words that differ and never pairs out of order, so `matched` is a lower bound of the
/// longest common subsequence: a poor alignment can make a test fail, never pass wrongly.
struct WordAlignment {
    let source: [Word]
    let target: [Word]
    /// For each source word, the target word it is, if any.
    private(set) var targetOfSource: [Int?]
    private(set) var sourceMatched: [Bool]
    private(set) var targetMatched: [Bool]

    /// Gaps with more edits than this are counted as unmatched instead of being diffed,
    /// so that a wildly wrong input costs seconds, not minutes (it fails either way).
    static let maximumEditsPerGap = 3000

    init(source: [Word], target: [Word]) {
        self.source = source
        self.target = target
        sourceMatched = Array(repeating: false, count: source.count)
        targetMatched = Array(repeating: false, count: target.count)
        targetOfSource = Array(repeating: nil, count: source.count)
        // Words as integers; a target word that is not in the source gets -1, which matches nothing.
        var ids: [String: Int] = [:]
        let a = source.map { word -> Int in
            if let id = ids[word.text] { return id }
            ids[word.text] = ids.count
            return ids.count - 1
        }
        let b = target.map { word in ids[word.text] ?? -1 }
        var found: [(Int, Int)] = []
        WordAlignment.align(a, 0..<a.count, b, 0..<b.count, into: &found)
        for (s, t) in found { pair(s, t) }
    }

    private mutating func pair(_ s: Int, _ t: Int) {
        sourceMatched[s] = true
        targetMatched[t] = true
        targetOfSource[s] = t
        matchedCount += 1
    }

    /// Pairs the still unmatched words of `sourceIndices` with equal unmatched words of
    /// `targetIndices`, in any order: for parts that the two texts may order differently.
    mutating func pairOutOfOrder(sourceIndices: some Sequence<Int>, targetIndices: some Sequence<Int>) {
        var free: [String: [Int]] = [:]
        for t in targetIndices where !targetMatched[t] { free[target[t].text, default: []].append(t) }
        for s in sourceIndices where !sourceMatched[s] {
            if var candidates = free[source[s].text], !candidates.isEmpty {
                pair(s, candidates.removeFirst())
                free[source[s].text] = candidates
            }
        }
    }

    private(set) var matchedCount = 0

    /// The share of source words found in the target (1 when the source is empty).
    var sourceCoverage: Double { source.isEmpty ? 1 : Double(matchedCount) / Double(source.count) }

    /// Runs of consecutive unmatched indices, as ranges.
    static func runs(_ matched: [Bool], where include: (Int) -> Bool = { _ in true }) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start: Int?
        for index in 0...matched.count {
            let missing = index < matched.count && !matched[index] && include(index)
            if missing, start == nil { start = index }
            if !missing, let first = start {
                result.append(first..<index)
                start = nil
            }
        }
        return result
    }

    /// The source words missing from the target, run by run, each with `context` words of
    /// source text either side and its line number, for an editor to find:
    /// `line 933: … of the total [population] Yet this …`.
    func missingRuns(context: Int = 6, limit: Int = 40) -> String {
        WordAlignment.describe(runs: WordAlignment.runs(sourceMatched), in: source, context: context, limit: limit)
    }

    /// The target words that are not in the source, described the same way.
    func extraRuns(where include: (Int) -> Bool = { _ in true }, context: Int = 6, limit: Int = 40) -> String {
        WordAlignment.describe(runs: WordAlignment.runs(targetMatched, where: include), in: target,
                               context: context, limit: limit)
    }

    static func describe(runs: [Range<Int>], in words: [Word], context: Int, limit: Int) -> String {
        var lines: [String] = []
        for run in runs.prefix(limit) {
            let before = words[max(0, run.lowerBound - context)..<run.lowerBound].map(\.surface)
            let after = words[run.upperBound..<min(words.count, run.upperBound + context)].map(\.surface)
            let inside = words[run].map(\.surface)
            let place = words[run.lowerBound].line > 0 ? "line \(words[run.lowerBound].line)" : "word \(run.lowerBound) of the EPUB text"
            lines.append("  \(place) (\(run.count) word\(run.count == 1 ? "" : "s")): … "
                + (before + ["[" + inside.joined(separator: " ") + "]"] + after).joined(separator: " ") + " …")
        }
        if runs.count > limit { lines.append("  … and \(runs.count - limit) more runs") }
        return lines.joined(separator: "\n")
    }

    // MARK: - Alignment

    /// Aligns a[ar] with b[br], appending the matched index pairs (in any order).
    private static func align(_ a: [Int], _ ar: Range<Int>, _ b: [Int], _ br: Range<Int>,
                              into pairs: inout [(Int, Int)]) {
        var ar = ar, br = br
        // Common prefix and suffix.
        while !ar.isEmpty, !br.isEmpty, a[ar.lowerBound] == b[br.lowerBound] {
            pairs.append((ar.lowerBound, br.lowerBound))
            ar = ar.dropFirst()
            br = br.dropFirst()
        }
        while !ar.isEmpty, !br.isEmpty, a[ar.upperBound - 1] == b[br.upperBound - 1] {
            pairs.append((ar.upperBound - 1, br.upperBound - 1))
            ar = ar.dropLast()
            br = br.dropLast()
        }
        guard !ar.isEmpty, !br.isEmpty else { return }

        let anchors = patienceAnchors(a, ar, b, br)
        if anchors.isEmpty {
            pairs += myers(a, ar, b, br) ?? []
            return
        }
        var lastA = ar.lowerBound, lastB = br.lowerBound
        for (i, j) in anchors {
            align(a, lastA..<i, b, lastB..<j, into: &pairs)
            pairs.append((i, j))
            lastA = i + 1
            lastB = j + 1
        }
        align(a, lastA..<ar.upperBound, b, lastB..<br.upperBound, into: &pairs)
    }

    /// Words that occur exactly once in a[ar] and once in b[br], paired, reduced to the longest
    /// chain increasing on both sides.
    private static func patienceAnchors(_ a: [Int], _ ar: Range<Int>, _ b: [Int], _ br: Range<Int>) -> [(Int, Int)] {
        var countA: [Int: Int] = [:], positionA: [Int: Int] = [:]
        for i in ar {
            countA[a[i], default: 0] += 1
            positionA[a[i]] = i
        }
        var countB: [Int: Int] = [:], positionB: [Int: Int] = [:]
        for j in br where countA[b[j]] == 1 {
            countB[b[j], default: 0] += 1
            positionB[b[j]] = j
        }
        var candidates: [(Int, Int)] = []
        for i in ar where countA[a[i]] == 1 && countB[a[i]] == 1 {
            candidates.append((i, positionB[a[i]]!))
        }
        // Longest increasing subsequence of the target positions (patience sorting).
        var tails: [Int] = []            // index into candidates of the smallest tail of each length
        var previous = Array(repeating: -1, count: candidates.count)
        for (index, candidate) in candidates.enumerated() {
            var low = 0, high = tails.count
            while low < high {
                let middle = (low + high) / 2
                if candidates[tails[middle]].1 < candidate.1 { low = middle + 1 } else { high = middle }
            }
            if low > 0 { previous[index] = tails[low - 1] }
            if low == tails.count { tails.append(index) } else { tails[low] = index }
        }
        var chain: [(Int, Int)] = []
        var cursor = tails.last ?? -1
        while cursor >= 0 {
            chain.append(candidates[cursor])
            cursor = previous[cursor]
        }
        return chain.reversed()
    }

    /// Myers' greedy diff of a[ar] and b[br]: the matched pairs of a shortest edit script, or
    /// nil when it needs more than `maximumEditsPerGap` edits.
    private static func myers(_ a: [Int], _ ar: Range<Int>, _ b: [Int], _ br: Range<Int>) -> [(Int, Int)]? {
        let n = ar.count, m = br.count
        let maxD = min(n + m, maximumEditsPerGap)
        let offset = maxD + 1
        var v = Array(repeating: 0, count: 2 * maxD + 3)
        // trace[d] holds v[-d-1 ... d+1] as it was before round d.
        var trace: [[Int]] = []
        for d in 0...maxD {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[ar.lowerBound + x] == b[br.lowerBound + y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    return backtrack(trace: trace, n: n, m: m, ar: ar, br: br)
                }
            }
        }
        return nil
    }

    private static func backtrack(trace: [[Int]], n: Int, m: Int, ar: Range<Int>, br: Range<Int>) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let saved = trace[d]
            let at = { (k: Int) in saved[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let previousX = d == 0 ? 0 : at(previousK)
            let previousY = d == 0 ? 0 : previousX - previousK
            while x > previousX, y > previousY {
                pairs.append((ar.lowerBound + x - 1, br.lowerBound + y - 1))
                x -= 1
                y -= 1
            }
            x = previousX
            y = previousY
        }
        return pairs
    }
}
