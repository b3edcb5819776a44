import EditionKit
import Foundation

/// How completely one article of the built EPUB holds its part of a source text, and what it
/// has that the source has not.
struct ArticleCompleteness {
    /// The share of a source's words that must be found, in order: 99.9%. With the editors'
    /// corrections applied to the source, what is left out is only the header's lines.
    static let requiredCoverage = 0.999
    /// The longest run of consecutive source words that may be missing (outside the lines the
    /// EPUB's header stands for). A corrected typo or abbreviation is a word or two; a lost
    /// sentence, list item or heading of three words or more fails even when it is far less
    /// than 0.5% of a long article.
    /// Once the corrections (book.yaml) are applied to the source, none: the corrections are
    /// the only differences the edition may have.
    static let longestAllowedRun = 0
    /// The share of an article's words (after its header) that may be missing from its source,
    /// and the longest run of them. Text the edition writes itself is left out before counting
    /// (note numbers, the "Notes" heading, back-links); titles, bylines, source lines and dates
    /// are in the header and are not counted. What is left should be the authors' words, so
    /// 0.5% (about 7 words in the shortest article), in runs of at most two words, allows a
    /// corrected typo but not an invented or duplicated sentence.
    /// Once the corrections' additions are allowed, none.
    static let allowedExtraShare = 0.0

    let segment: EditionSources.Segment
    let document: ArticleDocument
    /// The source's text against the EPUB's header and text.
    let body: WordAlignment
    let notes: WordAlignment
    /// The number of words of the EPUB's header, which come first in `body.target`.
    let headerCount: Int
    /// The source lines that the header stands for (its title, byline, source line).
    let headerLines: Set<Int>
    /// Runs of the edition's words that the corrections add (an editors' heading), each
    /// allowed once; and those that no extra run used.
    let allowedRuns: [Range<Int>]
    let unusedAdditions: [[String]]

    init(segment: EditionSources.Segment, document: ArticleDocument, additions: [[String]] = []) {
        self.segment = segment
        self.document = document
        let header = document.headerWords
        headerCount = header.count
        var body = WordAlignment(source: segment.bodyWords, target: header + document.bodyWords)
        // The header puts title, byline and source line in the edition's order; the sources
        // have them in their own (the Sagra text prints its byline after a first paragraph,
        // 001 its source line before the title). The header's words still unmatched are
        // matched in any order with the unmatched words of the source's first lines.
        let openingLines = Set(segment.opening.map(\.number))
        body.pairOutOfOrder(sourceIndices: body.source.indices.filter { openingLines.contains(body.source[$0].line) },
                            targetIndices: 0..<header.count)
        // A source line most of whose words are the header's is the title, byline or source
        // line: its other words ("By", "The following article was") are the edition's to drop.
        var headerWords: [Int: (header: Int, all: Int)] = [:]
        for (index, word) in body.source.enumerated() {
            headerWords[word.line, default: (0, 0)].all += 1
            if let target = body.targetOfSource[index], target < header.count {
                headerWords[word.line, default: (0, 0)].header += 1
            }
        }
        headerLines = Set(headerWords.filter { 2 * $0.value.header >= $0.value.all }.keys)
        self.body = body
        notes = WordAlignment(source: segment.noteWords, target: document.noteWords)
        var unused = additions
        var allowed: [Range<Int>] = []
        let headerCount = header.count
        for run in WordAlignment.runs(body.targetMatched, where: { $0 >= headerCount }) {
            if let index = unused.firstIndex(of: body.target[run].map(\.text)) {
                unused.remove(at: index)
                allowed.append(run)
            }
        }
        allowedRuns = allowed
        unusedAdditions = unused
    }

    var matched: Int { body.matchedCount + notes.matchedCount }
    var words: Int { body.source.count + notes.source.count }
    var coverage: Double { Double(matched) / Double(max(words, 1)) }

    /// Runs of missing source words longer than allowed, outside the header's lines.
    var longMissingRuns: [(WordAlignment, Range<Int>)] {
        let body = WordAlignment.runs(self.body.sourceMatched) { !headerLines.contains(self.body.source[$0].line) }
            .filter { $0.count > Self.longestAllowedRun }.map { (self.body, $0) }
        let notes = WordAlignment.runs(self.notes.sourceMatched).filter { $0.count > Self.longestAllowedRun }.map { (self.notes, $0) }
        return body + notes
    }

    /// The EPUB's words after its header that are not in the source.
    var extra: Int {
        body.targetMatched[headerCount...].filter { !$0 }.count + notes.targetMatched.filter { !$0 }.count
            - allowedRuns.reduce(0) { $0 + $1.count }
    }

    var counted: Int { body.target.count - headerCount + notes.target.count }
    var extraShare: Double { Double(extra) / Double(max(counted, 1)) }

    var longExtraRuns: [Range<Int>] {
        (WordAlignment.runs(body.targetMatched) { $0 >= headerCount }.filter { !allowedRuns.contains($0) }
            + WordAlignment.runs(notes.targetMatched))
            .filter { $0.count > Self.longestAllowedRun }
    }

    var missingDescription: String {
        [body.missingRuns(), notes.missingRuns()].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    var extraDescription: String {
        [body.extraRuns(where: { index in index >= headerCount && !allowedRuns.contains { $0.contains(index) } }),
         notes.extraRuns()].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// What the EPUB lacks of the source, one message per problem; none when it is complete.
    var missingProblems: [String] {
        var result: [String] = []
        if coverage < Self.requiredCoverage {
            result.append("\(name): only \(Self.percent(coverage)) of the source's words are in the EPUB in order; missing:\n\(missingDescription)")
        }
        let long = longMissingRuns
        if !long.isEmpty {
            let runs = long.map { WordAlignment.describe(runs: [$0.1], in: $0.0.source, context: 6, limit: 1) }
            result.append("\(name): \(long.count) runs of more than \(Self.longestAllowedRun) source words are missing:\n" + runs.joined(separator: "\n"))
        }
        return result
    }

    /// What the EPUB has that the source has not, if it is too much.
    var extraProblems: [String] {
        let unused = unusedAdditions.map { "\(name): the correction adding [\($0.joined(separator: " "))] is not in the EPUB" }
        guard extraShare > Self.allowedExtraShare || !longExtraRuns.isEmpty else { return unused }
        return unused + ["\(name): \(extra) of \(counted) words (\(Self.percent(extraShare))) are not in the source:\n\(extraDescription)"]
    }

    var problems: [String] { missingProblems + extraProblems }

    private var name: String { "\(segment.article) (from \(segment.source))" }

    static func percent(_ share: Double) -> String { String(format: "%.2f%%", share * 100) }

    /// Every article of the edition against its source segment, in reading order.
    /// The sources are read with the editors' corrections (book.yaml) applied.
    static func measure(_ edition: BuiltEdition) throws -> [ArticleCompleteness] {
        try measure(book: edition.book) { try edition.article($0) }
    }

    /// The measure of any output of `book`: `document` gives the article a source segment
    /// became (by its file) in that output (the EPUB, the web pages).
    static func measure(book: Book, document: (String) throws -> ArticleDocument) throws -> [ArticleCompleteness] {
        let (segments, additions) = try EditionSources.correctedSegments(book.metadata.editorial.corrections)
        return try segments.map { segment in
            ArticleCompleteness(segment: segment, document: try document(segment.article),
                                additions: additions[segment.article] ?? [])
        }
    }
}
