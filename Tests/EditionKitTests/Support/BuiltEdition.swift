import EditionKit
import Foundation
import XCTest

/// The real book (book/) built into an EPUB and read back, for the tests that check the
/// edition itself; `BuiltEditionTestCase` builds it once per test class.
final class BuiltEdition: @unchecked Sendable {
    let folder: URL
    let epub: URL
    let book: Book
    let reader: EPUBReader
    /// The spine's documents, parsed, with their entry names.
    let spine: [(name: String, root: XElement)]

    static let bookFolder = TestSupport.repository.appendingPathComponent("book")

    /// Builds a book (book/ unless told) into a new temporary folder, EPUB only.
    static func make(book bookFolder: URL = bookFolder) throws -> BuiltEdition {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("edition-book-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            let report = try TestSupport.build(book: bookFolder, into: folder, epubOnly: true)
            guard let epub = report.outputs.first(where: { $0.pathExtension == "epub" }) else {
                throw SetupError(message: "the build wrote no EPUB: \(report.outputs)")
            }
            let (loaded, diagnostics) = Pipeline.check(book: bookFolder.path)
            guard let book = loaded else {
                throw SetupError(message: diagnostics.map(\.description).joined(separator: "\n"))
            }
            let reader = try EPUBReader(url: epub)
            let spine = try reader.spineDocuments.map { entry in
                (name: entry.name, root: try XHTMLTree.parse(entry.data, name: entry.name))
            }
            return BuiltEdition(folder: folder, epub: epub, book: book, reader: reader, spine: spine)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private init(folder: URL, epub: URL, book: Book, reader: EPUBReader, spine: [(name: String, root: XElement)]) {
        self.folder = folder
        self.epub = epub
        self.book = book
        self.reader = reader
        self.spine = spine
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The article book.yaml lists as `file`, in the EPUB.
    func article(_ file: String) throws -> ArticleDocument {
        guard let article = book.articles.first(where: { $0.file == file }) else {
            throw SetupError(message: "book.yaml lists no article \(file)")
        }
        for document in spine {
            if let section = document.root.first({ $0.name == "section" && $0.id == article.id && $0.hasClass("article") }) {
                return ArticleDocument(article: article, entryName: document.name, root: document.root, section: section)
            }
        }
        throw SetupError(message: "no document of the EPUB's spine has the article \(article.id) (\(file))")
    }

    /// A parsed document of the spine by its entry name ("EPUB/text/contents.xhtml").
    func document(_ name: String) throws -> XElement {
        guard let document = spine.first(where: { $0.name == name }) else {
            throw SetupError(message: "\(name) is not in the spine: \(spine.map(\.name))")
        }
        return document.root
    }
}

/// One article's document in the built EPUB.
struct ArticleDocument {
    let article: Article
    let entryName: String
    let root: XElement
    let section: XElement

    static func types(_ element: XElement) -> [String] {
        (element["epub:type"] ?? "").split(separator: " ").map(String.init)
    }

    /// A citation: `epub:type="noteref"` in the EPUB, the same link with its ARIA role on the web.
    static func isNoteref(_ element: XElement) -> Bool {
        element.name == "a" && (types(element).contains("noteref") || element["role"] == "doc-noteref")
    }

    static func isFootnote(_ element: XElement) -> Bool {
        element.name == "aside" && (types(element).contains("footnote") || element["role"] == "doc-footnote")
    }

    static func isNotesSection(_ element: XElement) -> Bool {
        element.name == "section" && (element.hasClass("footnotes") || element.hasClass("unlinked-notes"))
    }

    /// A note whose reference mark was lost: in the titled list at the end of its article.
    static func isUnlinkedNote(_ element: XElement) -> Bool {
        element.name == "div" && element.hasClass("unlinked-note") && element.parent?.hasClass("unlinked-notes") == true
    }

    static func isBacklink(_ element: XElement) -> Bool { element.name == "a" && element["role"] == "doc-backlink" }

    /// The note's number as shown, and its separator: generated, like a note mark.
    static func isNoteLabel(_ element: XElement) -> Bool {
        element.hasClass("note-number") || element.hasClass("note-separator") || isBacklink(element)
    }

    /// The title, subtitle, byline, source line and date.
    var header: XElement? { section.first { $0.name == "header" && $0.isInside { $0 === section } } }

    var notesSection: XElement? { section.first(ArticleDocument.isNotesSection) }

    var footnotes: [XElement] { section.all(ArticleDocument.isFootnote) }

    /// The citations of notes in the text, in reading order.
    var noterefs: [XElement] { section.all(ArticleDocument.isNoteref) }

    /// The words of the header.
    var headerWords: [Word] { header.map { Words.tokens(in: $0.text()) } ?? [] }

    /// The words of the document's body but the article's header and notes, without note
    /// marks: everything a reader sees of the article's text, even outside its section.
    var bodyWords: [Word] {
        let header = self.header
        let body = root.first { $0.name == "body" } ?? section
        return Words.tokens(in: body.text { element in
            element === header || ArticleDocument.isNotesSection(element) || ArticleDocument.isNoteref(element)
        })
    }

    /// The words of a note without its number and back-links.
    static func noteWords(_ footnote: XElement) -> [Word] {
        Words.tokens(in: footnote.text(skipping: isNoteLabel))
    }

    /// The notes no citation leads to, listed visibly after the others.
    var unlinkedNotes: [XElement] { section.all(ArticleDocument.isUnlinkedNote) }

    /// Every note, cited or not, in the order of their numbers.
    var allNotes: [XElement] {
        (footnotes + unlinkedNotes).sorted { Int(ArticleDocument.label($0) ?? "") ?? 0 < Int(ArticleDocument.label($1) ?? "") ?? 0 }
    }

    /// The words of every note, in the order of their numbers.
    var noteWords: [Word] { allNotes.flatMap(ArticleDocument.noteWords) }

    /// The label a note shows.
    static func label(_ footnote: XElement) -> String? {
        footnote.first { $0.hasClass("note-number") }?.text().trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A test class that checks the real edition: builds it once before its tests and removes it
/// after them.
class BuiltEditionTestCase: XCTestCase {
    nonisolated(unsafe) private static var built: [ObjectIdentifier: Result<BuiltEdition, Error>] = [:]

    override class func setUp() {
        super.setUp()
        built[ObjectIdentifier(self)] = Result { try BuiltEdition.make() }
    }

    override class func tearDown() {
        if case .success(let edition) = built[ObjectIdentifier(self)] { edition.remove() }
        built[ObjectIdentifier(self)] = nil
        super.tearDown()
    }

    /// The edition this class built.
    var edition: BuiltEdition {
        get throws {
            guard let result = Self.built[ObjectIdentifier(type(of: self))] else {
                throw SetupError(message: "the book was not built")
            }
            return try result.get()
        }
    }
}
