import Foundation

/// `edition verify`: compares the outputs of one build with one another and with the model,
/// and reports every difference as a diagnostic at its place in an output:
///   - verify-words: each article's words in the EPUB, in the print HTML and as the model
///     renders them now (an output from another build of the text differs);
///   - verify-note: each note's number and words, and the word its citation follows, in the
///     EPUB and the print HTML;
///   - verify-page-list: when the PDF is there, the EPUB's page list against its pages: one
///     entry per folio, and after each marker the words its page begins with.
/// The PDF is read with poppler's pdftotext and pdfinfo.
public struct Verifier {
    public var book: String
    public var output: String
    public var environment: [String: String]

    public init(book: String, output: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.book = book
        self.output = output
        self.environment = environment
    }

    /// Every difference found; errors when an output is missing or the book cannot be loaded.
    public func verify() -> [Diagnostic] {
        let (loaded, problems) = Pipeline.check(book: book)
        guard let book = loaded else { return problems.filter { $0.severity == .error } }
        let context = EditionContext(book: book)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        let epubURL = folder.appendingPathComponent("\(book.metadata.slug).epub")
        let printURL = folder.appendingPathComponent("print/\(book.metadata.slug).html")
        let pdfURL = folder.appendingPathComponent("\(book.metadata.slug).pdf")
        var result: [Diagnostic] = []
        guard let epub = try? EPUBReader(url: epubURL) else {
            return [.error(.fileMissing, "no EPUB to verify at \(epubURL.relativePath)", at: nil, hint: "run edition build first")]
        }
        guard let printData = FileManager.default.contents(atPath: printURL.path) else {
            return [.error(.fileMissing, "no print edition to verify at \(printURL.relativePath)", at: nil, hint: "run edition build first")]
        }
        let print = Output(name: printURL.relativePath, markup: String(decoding: printData, as: UTF8.self))
        let documents = epub.spineDocuments.map { Output(name: "\(epubURL.relativePath)/\($0.name)", markup: $0.text) }
        let epubRenderer = EPUBRenderer(context: context, stylesheet: "", modified: BuildDate(isoDate: book.metadata.date, environment: environment))
        let printRenderer = PrintRenderer(context: context, coverImage: nil)

        for article in context.articles {
            guard let document = documents.first(where: { $0.words.openingTag(withID: article.id) != nil }) else {
                result.append(.error(.verifyWords, "article \(article.id) (\(article.file)) is not in the EPUB", at: SourceLocation(file: epubURL.relativePath, line: 1)))
                continue
            }
            let modelEPUB = Output(name: "the model", markup: String(decoding: epubRenderer.articleDocument(article).data, as: UTF8.self))
            let modelPrint = Output(name: "the model", markup: printRenderer.article(article))
            result += compareWords(article, document, modelEPUB)
            result += compareWords(article, print, modelPrint)
            result += compareWords(article, print, document)
            result += compareNotes(article, epub: document, print: print)
        }
        if FileManager.default.fileExists(atPath: pdfURL.path) {
            result += comparePageList(epub: epub, epubName: epubURL.relativePath, pdf: pdfURL)
        }
        return result
    }

    /// An output's markup with its words at hand.
    struct Output {
        var name: String
        var markup: String
        var words: MarkupWords { MarkupWords(markup) }

        /// The line and column of a UTF-8 offset.
        func location(_ offset: Int) -> SourceLocation {
            var line = 1, column = 1
            for byte in markup.utf8.prefix(offset) {
                if byte == 10 { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return SourceLocation(file: name, line: line, column: column)
        }
    }

    /// The first word where `output` and `other` differ in the article, reported in `output`.
    func compareWords(_ article: Article, _ output: Output, _ other: Output) -> [Diagnostic] {
        guard let mine = output.words.words(inElementWithID: article.id)?.words else {
            return [.error(.verifyWords, "article \(article.id) (\(article.file)) is not in \(output.name)", at: SourceLocation(file: output.name, line: 1))]
        }
        guard let theirs = other.words.words(inElementWithID: article.id)?.words else {
            return [.error(.verifyWords, "article \(article.id) (\(article.file)) is not in \(other.name)", at: SourceLocation(file: output.name, line: 1))]
        }
        guard let index = (0..<min(mine.count, theirs.count)).first(where: { mine[$0].text != theirs[$0].text }) ?? (mine.count == theirs.count ? nil : min(mine.count, theirs.count)) else {
            return []
        }
        let here = index < mine.count ? mine[index].text : "the end of the article"
        let there = index < theirs.count ? theirs[index].text : "the end of the article"
        let context = mine[max(0, index - 4)..<min(mine.count, index)].map(\.text).joined(separator: " ")
        let place = index < mine.count ? output.location(mine[index].start) : SourceLocation(file: output.name, line: 1)
        return [.error(.verifyWords, "\(article.file): after “\(context)”, word \(index + 1) is “\(here)” here and “\(there)” in \(other.name)", at: place)]
    }

    /// Each note's label and words, and where it is cited, in the EPUB and the print HTML.
    func compareNotes(_ article: Article, epub: Output, print: Output) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let noteParts: Set<String> = ["note-number", "note-separator", "backlink", "backlinks"]
        let epubBody = epub.words.words(inElementWithID: article.id)?.words ?? []
        let printBody = print.words.words(inElementWithID: article.id)?.words ?? []
        for note in article.notes {
            let id = Ids.note(article, note.label)
            let inEPUB = epub.words.words(inElementWithID: id, alsoSkipping: noteParts)
            let inPrint = print.words.words(inElementWithID: id, alsoSkipping: noteParts)
            guard let inEPUB, let inPrint else {
                let missing = inEPUB == nil ? epub : print
                result.append(.error(.verifyNote, "\(article.file): note \(note.label) is missing from \(missing.name)",
                                     at: SourceLocation(file: missing.name, line: 1)))
                continue
            }
            let labels = [epub, print].map { output in MarkupWords.label(ofNote: id, in: output.markup) }
            if labels[0] != note.label || labels[1] != note.label {
                result.append(.error(.verifyNote, "\(article.file): note \(note.label) is numbered \(labels[0] ?? "nothing") in the EPUB and \(labels[1] ?? "nothing") in the print edition",
                                     at: print.location(print.words.openingTag(withID: id) ?? 0)))
            }
            // Joined: a note's list is block markup in the EPUB and inline spans in print, so
            // the words may be cut differently; their letters may not differ.
            if inEPUB.words.map(\.text).joined() != inPrint.words.map(\.text).joined() {
                let index = (0..<min(inEPUB.words.count, inPrint.words.count)).first { inEPUB.words[$0].text != inPrint.words[$0].text } ?? min(inEPUB.words.count, inPrint.words.count)
                let place = index < inPrint.words.count ? print.location(inPrint.words[index].start) : print.location(print.words.openingTag(withID: id) ?? 0)
                result.append(.error(.verifyNote, "\(article.file): the words of note \(note.label) differ at word \(index + 1) between the print edition and the EPUB", at: place))
            }
            // The citation: the same number of the article's words before it in both.
            for occurrence in 1...max(note.citationCount, 1) where note.citationCount > 0 {
                let reference = Ids.noteReference(article, note.label, occurrence: occurrence)
                let here = [epub, print].map { output -> Int? in
                    output.words.openingTag(withID: reference).map { offset in
                        (output.name == epub.name ? epubBody : printBody).filter { $0.start < offset }.count
                    }
                }
                if here[0] != here[1] {
                    let place = print.words.openingTag(withID: reference).map(print.location) ?? SourceLocation(file: print.name, line: 1)
                    result.append(.error(.verifyNote, "\(article.file): note \(note.label) is cited after word \(here[1].map(String.init) ?? "—") in the print edition and after word \(here[0].map(String.init) ?? "—") in the EPUB",
                                         at: place))
                }
            }
        }
        return result
    }

    /// The EPUB's page list against the PDF's pages.
    func comparePageList(epub: EPUBReader, epubName: String, pdf: URL) -> [Diagnostic] {
        let pages: [PDFText.Page]
        do { pages = try PDFText(environment: environment).pages(of: pdf) } catch let failure as BuildFailure {
            return failure.diagnostics
        } catch {
            return [.error(.toolMissing, "cannot read \(pdf.relativePath): \(error)", at: nil, hint: "run scripts/build, which installs poppler-utils")]
        }
        guard let first = pages.firstIndex(where: { $0.folio != nil }), let start = pages[first].folio else { return [] }
        let folios = (first..<pages.count).map { (folio: start + $0 - first, index: $0) }
        let nav = epub["EPUB/nav.xhtml"]?.text ?? ""
        var list: [(label: String, href: String)] = []
        if let open = nav.range(of: "epub:type=\"page-list\""), let close = nav.range(of: "</nav>", range: open.upperBound..<nav.endIndex) {
            list = nav[open.upperBound..<close.lowerBound].matches(of: /<a href="([^"]+)">([^<]*)<\/a>/).map { (String($0.2), String($0.1)) }
        }
        var result: [Diagnostic] = []
        let navName = "\(epubName)/EPUB/nav.xhtml"
        if list.map(\.label) != folios.map({ String($0.folio) }) {
            result.append(.error(.verifyPageList, "the page list has \(list.count) entries (\(list.first?.label ?? "")–\(list.last?.label ?? "")); the PDF has \(folios.count) numbered pages (\(folios.first.map { String($0.folio) } ?? "")–\(folios.last.map { String($0.folio) } ?? ""))",
                                 at: SourceLocation(file: navName, line: 1)))
        }
        for (folio, index) in folios {
            guard let entry = list.first(where: { $0.label == String(folio) }),
                  let page = pages[index...].first(where: { !$0.words.isEmpty }) else { continue }
            let parts = entry.href.split(separator: "#").map(String.init)
            guard parts.count == 2, let document = epub["EPUB/" + parts[0]]?.text,
                  let after = MarkupWords.words(afterElementWithID: parts[1], in: document) else {
                result.append(.error(.verifyPageList, "page \(folio): the page list points to \(entry.href), which the EPUB does not have", at: SourceLocation(file: navName, line: 1)))
                continue
            }
            let expected = Array(Self.plain(page.words).prefix(4))
            let found = Array(Self.plain(after.words).prefix(4))
            let same = !expected.isEmpty && found.count == expected.count && found[0].hasSuffix(expected[0])
                && Array(found.dropFirst()) == Array(expected.dropFirst())
            if !same {
                let output = Output(name: "\(epubName)/EPUB/\(parts[0])", markup: document)
                result.append(.error(.verifyPageList, "page \(folio) of the PDF begins “\(expected.joined(separator: " "))”; the EPUB's marker is before “\(found.joined(separator: " "))”",
                                     at: output.location(after.markerOffset)))
            }
        }
        return result
    }

    /// Words without the punctuation around them; numbers left out (the PDF prints note
    /// citations as numbers in the line, the EPUB's words leave citations out).
    static func plain(_ words: [String]) -> [String] {
        words.map { $0.trimmingCharacters(in: .punctuationCharacters.union(.symbols)) }
            .filter { !$0.isEmpty && !$0.allSatisfy(\.isNumber) }
    }
}

/// The text of a PDF's pages, read with poppler's pdftotext: the page area's words (hyphens
/// of broken lines joined) and the number printed in the bottom margin.
struct PDFText {
    struct Page {
        var words: [String]
        var folio: Int?
    }

    var environment: [String: String]

    func pages(of pdf: URL) throws -> [Page] {
        let info = try run("pdfinfo", [pdf.path])
        let count = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) } ?? 0
        let size = info.split(separator: "\n").first { $0.hasPrefix("Page size:") }
            .map { $0.split(separator: " ").compactMap { Double($0) } } ?? []
        guard count > 0, size.count >= 2 else { return [] }
        let (width, height) = (size[0], size[1])
        // The margins' bands: 6% of the page's height at the top and at the bottom.
        let band = (height * 0.06).rounded(.down)
        return try (1...count).map { number in
            func crop(_ top: Double, _ bandHeight: Double) throws -> String {
                try run("pdftotext", ["-f", "\(number)", "-l", "\(number)", "-enc", "UTF-8", "-r", "72", "-x", "0", "-y", "\(Int(top))",
                                      "-W", "\(Int(width))", "-H", "\(Int(bandHeight))", pdf.path, "-"])
            }
            let body = try crop(band, height - 2 * band).replacingOccurrences(of: "\u{2010}\n", with: "")
                .replacingOccurrences(of: "\u{AD}\n", with: "")
            let foot = try crop(height - band, band).trimmingCharacters(in: .whitespacesAndNewlines)
            return Page(words: body.split(whereSeparator: { $0.isWhitespace }).map(String.init), folio: Int(foot))
        }
    }

    private func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BuildFailure([.error(.toolMissing, "\(program) failed or is not installed (exit status \(process.terminationStatus))",
                                       at: nil, hint: "run scripts/build, which installs poppler-utils")])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
