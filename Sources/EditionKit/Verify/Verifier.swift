import Foundation

/// `edition verify`: compares the outputs of one build with one another and with the model,
/// and reports every difference as a diagnostic at its place in an output:
///   - verify-words: each article's words in the EPUB, in the print HTML and as the model
///     renders them now (an output from another build of the text differs);
///   - verify-note: each note's number and words, and the word its citation follows, in the
///     EPUB and the print HTML;
///   - verify-pdf-text: when the PDF is there, its text layer word by word: each article's
///     words in the main flow from the page its title is on, and its notes in the footnote
///     areas (Verifier+PDF.swift, TextAlignment.swift);
///   - verify-contents: the printed contents' titles, and their page numbers against the
///     pages the articles' titles are on;
///   - verify-page-list: the EPUB's page list against the PDF's pages: one entry per folio,
///     and after each marker the words its page begins with;
///   - with `web`, a published site's folder: each article's page against the EPUB (its words,
///     verify-words; its notes, verify-note).
/// The PDF is read with poppler's pdftotext, its pages' areas from the page map the
/// WeasyPrint driver wrote when it made the PDF (kept in DIR/.edition-page-maps/).
public struct Verifier {
    public var book: String
    public var output: String
    /// A folder `edition publish` wrote (the web edition), or nil.
    public var web: String?
    public var environment: [String: String]

    public init(book: String, output: String, web: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.book = book
        self.output = output
        self.web = web
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
        if let web {
            result += compareWeb(context, site: URL(fileURLWithPath: web, isDirectory: true), documents: documents)
        }
        if FileManager.default.fileExists(atPath: pdfURL.path) {
            guard let map = pageMap(folder: folder, print: print) else {
                return result + [.error(.verifyPDFText, "\(pdfURL.relativePath) has no page map: its pages' areas are not known, so its text cannot be read",
                                        at: SourceLocation(file: pdfURL.relativePath, line: 1),
                                        hint: "make it again with edition build --pdf (the map is kept in \(folder.relativePath)/\(PageMapCache.folderName))")]
            }
            result += comparePDF(context, print: print, pdf: pdfURL, map: map, epub: epub, epubName: epubURL.relativePath)
        }
        return result
    }

    /// The page map the driver wrote for the PDF made from this print HTML and the print.css
    /// beside it (with the files it names, published beside it too), with the WeasyPrint
    /// installed now.
    func pageMap(folder: URL, print: Output) -> PageMap? {
        guard case .success(let stylesheet) = Stylesheets.load("print.css", in: folder.appendingPathComponent("print", isDirectory: true),
                                                               for: .print) else { return nil }
        return PageMapCache(output: folder, printHTML: print.markup, stylesheet: stylesheet.fingerprint,
                            weasyPrint: WeasyPrintVersion.installed(environment: environment, book: URL(fileURLWithPath: book))).load()
    }

    /// Each article's page of a published site against the EPUB: its words and its notes.
    func compareWeb(_ context: EditionContext, site: URL, documents: [Output]) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let folder = site.appendingPathComponent(context.book.metadata.slug, isDirectory: true)
        for article in context.articles {
            let url = folder.appendingPathComponent("\(article.id).html")
            guard let data = FileManager.default.contents(atPath: url.path) else {
                result.append(.error(.verifyWords, "article \(article.id) (\(article.file)) has no page in the web edition at \(url.relativePath)",
                                     at: SourceLocation(file: url.relativePath, line: 1), hint: "run edition publish first"))
                continue
            }
            let page = Output(name: url.relativePath, markup: String(decoding: data, as: UTF8.self))
            guard let document = documents.first(where: { $0.words.openingTag(withID: article.id) != nil }) else { continue }
            result += compareWords(article, page, document)
            result += compareNotes(article, epub: document, print: page, otherName: "the web edition")
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
    func compareNotes(_ article: Article, epub: Output, print: Output, otherName: String = "the print edition") -> [Diagnostic] {
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
                result.append(.error(.verifyNote, "\(article.file): note \(note.label) is numbered \(labels[0] ?? "nothing") in the EPUB and \(labels[1] ?? "nothing") in \(otherName)",
                                     at: print.location(print.words.openingTag(withID: id) ?? 0)))
            }
            // Joined: a note's list is block markup in the EPUB and inline spans in print, so
            // the words may be cut differently; their letters may not differ.
            if inEPUB.words.map(\.text).joined() != inPrint.words.map(\.text).joined() {
                let index = (0..<min(inEPUB.words.count, inPrint.words.count)).first { inEPUB.words[$0].text != inPrint.words[$0].text } ?? min(inEPUB.words.count, inPrint.words.count)
                let place = index < inPrint.words.count ? print.location(inPrint.words[index].start) : print.location(print.words.openingTag(withID: id) ?? 0)
                result.append(.error(.verifyNote, "\(article.file): the words of note \(note.label) differ at word \(index + 1) between \(otherName) and the EPUB", at: place))
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
                    result.append(.error(.verifyNote, "\(article.file): note \(note.label) is cited after word \(here[1].map(String.init) ?? "—") in \(otherName) and after word \(here[0].map(String.init) ?? "—") in the EPUB",
                                         at: place))
                }
            }
        }
        return result
    }
}
