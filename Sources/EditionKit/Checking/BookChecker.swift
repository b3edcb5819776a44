import Foundation

/// Checks the model of a loaded book: structure, notes, images, links, bylines. Each check is
/// a small function reporting coded diagnostics; none of them changes the book.
public struct BookChecker {
    public let book: Book
    /// The resolved edition: which article holds each id, which file a link names.
    public let context: EditionContext

    public init(book: Book) { self.init(context: EditionContext(book: book)) }

    public init(context: EditionContext) {
        self.book = context.book
        self.context = context
    }

    public func check() -> [Diagnostic] { check(reusing: nil) }

    /// What the checks find in one article: from its model and the edition's context, and
    /// from its Markdown's lines (typography).
    public struct ArticleFindings: Sendable {
        public var model: [Diagnostic]
        public var typography: [Diagnostic]
    }

    /// Every check; `store` hands back an article's findings when an earlier build made them
    /// from the same inputs (the build cache), else calls the function it is given.
    func check(reusing store: ((Article, () -> ArticleFindings) -> ArticleFindings)?) -> [Diagnostic] {
        let typography = TypographyChecker(book: book)
        let words = DuplicateText.Words()
        let found: [ArticleFindings] = context.articles.map { article in
            store?(article) { findings(of: article, typography, words) } ?? findings(of: article, typography, words)
        }
        // In the order the checks always ran: the articles', then typography's.
        var diagnostics = found.flatMap { $0.model }
        diagnostics += typography.hyphenation()
        diagnostics += found.flatMap { $0.typography }
        return diagnostics
    }

    /// The findings of one article: a function of the article, the edition's link targets,
    /// the image files it shows and the book's typography settings.
    func findings(of article: Article, _ typography: TypographyChecker, _ words: DuplicateText.Words) -> ArticleFindings {
        var diagnostics: [Diagnostic] = []
        diagnostics += Self.headings(context.headings(of: article))
        diagnostics += notes(of: article)
        diagnostics += images(of: article)
        diagnostics += links(of: article)
        diagnostics += bylines(of: article)
        diagnostics += rawHTML(of: article)
        diagnostics += DuplicateText(article: article, words: words).check()
        return ArticleFindings(model: diagnostics, typography: typography.check(article))
    }

    // MARK: Structure

    /// The problems of an article's headings, given in order.
    static func headings(_ headings: [Heading]) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var previous = 1
        for heading in headings {
            if heading.level == 1 {
                result.append(.error(.headingTopLevel, "a level-1 heading inside an article; the title is its only one",
                                     at: heading.location, hint: "use '##' for the article's sections"))
            } else if heading.level > previous + 1 {
                result.append(.error(.headingSkip, "heading level \(heading.level) follows level \(previous)",
                                     at: heading.location, hint: "use '\(String(repeating: "#", count: previous + 1))'"))
            }
            if TextShape.isBlank(heading.content.plainText) {
                result.append(.error(.headingEmpty, "a heading without text", at: heading.location))
            }
            previous = max(heading.level, 1)
        }
        return result
    }

    // MARK: Notes

    func notes(of article: Article) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let uncited = article.notes.filter { $0.citationCount == 0 }
        if uncited.count > 1, uncited.count == article.notes.count {
            // The text cites none of its notes: their marks were lost, most likely in extraction.
            // One warning says so, where the notes begin.
            let labels = uncited.map(\.label)
            result.append(.warning(.noteUncited,
                                   "none of the article's \(uncited.count) notes (\(labels.first!)–\(labels.last!)) is cited; they are kept at the end of the article",
                                   at: uncited.first?.location, hint: "were their citation marks lost? cite each one with [^label] where it belongs"))
        } else {
            for note in uncited {
                result.append(.warning(.noteUncited, "note \(note.label) is never cited; it is kept at the end of the article",
                                       at: note.location))
            }
        }
        // Each further citation of a note, where it is.
        var firstCitations: [String: SourceLocation] = [:]
        for reference in article.noteReferences {
            guard reference.occurrence > 1 else {
                if let place = reference.location { firstCitations[reference.label] = place }
                continue
            }
            let first = firstCitations[reference.label].map { " (first at \($0.line):\($0.column))" } ?? ""
            result.append(.warning(.noteCitedAgain, "note \(reference.label) is cited again\(first)",
                                   at: reference.location ?? article.location))
        }
        // Numbers as the reader sees them: first citations should come in order, without gaps.
        let numbered = article.notes.compactMap { note in Int(note.label).map { ($0, note) } }
        guard numbered.count == article.notes.count, !numbered.isEmpty else { return result }
        var highest = 0
        for reference in article.noteReferences where reference.occurrence == 1 {
            guard let number = Int(reference.label) else { continue }
            if number < highest {
                result.append(.warning(.noteOutOfOrder, "note \(number) is first cited after note \(highest)",
                                       at: reference.location))
            }
            highest = max(highest, number)
        }
        // Each gap is reported at the note after it. Labels below 1 (`[^0]`) have no gap before them.
        var next = 1
        for (number, note) in numbered.sorted(by: { $0.0 < $1.0 }) where number >= next {
            if number > next {
                let missing = number - next == 1 ? "number \(next)"
                    : number - next <= 3 ? "numbers " + (next..<number).map(String.init).joined(separator: ", ")
                    : "numbers \(next) to \(number - 1)"
                result.append(.warning(.noteNumberGap, "the notes of this article skip \(missing)",
                                       at: note.location ?? article.location))
            }
            if number == Int.max { break }
            next = number + 1
        }
        return result
    }

    // MARK: Content

    func images(of article: Article) -> [Diagnostic] {
        var result: [Diagnostic] = []
        article.forEachInlineOfBodyAndNotes { inline, location in
            guard case .image(let source, _, let alt) = inline else { return }
            if let file = book.localFile(forImage: source) {
                result += ImageFiles.check(file, source: source, root: book.root, what: "image",
                                           missing: .imageMissing, at: location)
            } else {
                // An EPUB may not show an image from the web (EPUBCheck RSC-006).
                result.append(.error(.imageMissing, "image '\(source)' is on the web; an EPUB must contain its images",
                                     at: location, hint: "save it in the book folder and name that file"))
            }
            if TextShape.isBlank(alt.plainText) {
                result.append(.warning(.imageAltMissing, "image '\(source)' has no text alternative",
                                       at: location, hint: "write what it shows between the brackets: ![…](\(source))"))
            }
        }
        return result
    }

    /// A link inside the book goes to `#id` (a heading or article anywhere in the book), to an
    /// article's Markdown file, or to `file.md#id`; anything else that is not a web address
    /// would point out of the EPUB.
    func links(of article: Article) -> [Diagnostic] {
        var result: [Diagnostic] = []
        article.forEachInlineOfBodyAndNotes { inline, location in
            guard case .link(let destination, _, _) = inline, !Book.isExternal(destination) else { return }
            let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let fragment = parts.count > 1 ? parts[1] : nil
            if parts[0].isEmpty {
                if let fragment, context.article(holding: fragment) == nil {
                    result.append(.error(.linkBroken, "no heading or article has the id '\(fragment)'", at: location))
                }
            } else if let target = context.article(forLinkFile: parts[0]) {
                if let fragment, !fragment.isEmpty, !context.article(target, holds: fragment) {
                    result.append(.error(.linkBroken, "'\(parts[0])' has no heading with the id '\(fragment)'", at: location))
                }
            } else {
                result.append(.error(.linkBroken, "'\(parts[0])' is neither an article of this book nor a web address",
                                     at: location, hint: "write a web address in full: https://…"))
            }
        }
        return result
    }

    /// Raw HTML passes through to the outputs as it is; say where, since it must be
    /// well-formed XHTML and the tool cannot vouch for its accessibility.
    func rawHTML(of article: Article) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var location = article.location
        var seen: [String: Int] = [:]
        let htmlBlockLocations = article.htmlBlockLocations  // not `article` in the closure: that copies it
        for block in article.body {
            block.forEachBlock { nested in
                if case .heading(let heading) = nested, let place = heading.location { location = place }
                if case .html(let html) = nested {
                    let index = seen[html, default: 0]
                    seen[html] = index + 1
                    let places = htmlBlockLocations[html] ?? []
                    let firstLine = html.split(separator: "\n").first.map(String.init) ?? html
                    result.append(.warning(.htmlRaw, "raw HTML block '\(firstLine.prefix(60))'",
                                           at: index < places.count ? places[index] : location))
                }
            }
        }
        article.forEachInline { inline, place in
            if case .html(let html) = inline {
                result.append(.warning(.htmlRaw, "raw HTML '\(html)'", at: place,
                                       hint: "write &lt; for a literal '<'"))
            }
        }
        return result
    }

    /// Names a layout template leaves in place of the author's.
    static let placeholderNames: [String] = [
        "autor do texto", "nome do autor", "autor", "author", "author name", "name of author",
        "autor del texto", "nombre del autor", "lorem ipsum", "tk", "tbd", "xxx",
    ]

    /// Whether `name` is one of `placeholderNames`, in any case, with spaces around it.
    public static func isPlaceholder(_ name: String) -> Bool {
        placeholderNames.contains(name.lowercased().trimmingCharacters(in: .whitespaces))
    }

    func bylines(of article: Article) -> [Diagnostic] {
        article.authors.compactMap { author in
            guard Self.isPlaceholder(author.name) else { return nil }
            return .warning(.bylinePlaceholder, "the byline '\(author.name)' is a layout placeholder, not an author's name",
                            at: author.location ?? article.location, hint: "ask the editors who wrote this article")
        }
    }
}

extension Article {
    /// Every note citation of the body, in reading order.
    public var noteReferences: [NoteReference] {
        var result: [NoteReference] = []
        forEachInline { inline, _ in
            if case .noteReference(let reference) = inline { result.append(reference) }
        }
        return result
    }

    /// Calls `visit` for every inline of the body (not of the notes), with its location when
    /// the parser recorded one (note citations, images, links, raw HTML), else the location of
    /// the nearest heading above it or the article's start.
    public func forEachInline(_ visit: (Inline, SourceLocation) -> Void) {
        var seen: [Inline: Int] = [:]
        forEachInline(of: body, seen: &seen, from: location, headingsPlace: true, visit)
    }

    /// Calls `visit` for every inline of `blocks`: a note citation at its own place, an inline
    /// the parser placed at the next of its recorded places (`seen` counts the ones taken),
    /// any other at `start` — or, when `headingsPlace`, at the nearest heading above it.
    func forEachInline(of blocks: [Block], seen: inout [Inline: Int], from start: SourceLocation, headingsPlace: Bool,
                       _ visit: (Inline, SourceLocation) -> Void) {
        // Taken out of `self` first: closures that named a property of the article copied the
        // whole article for every block and inline they visited.
        let inlineLocations = inlineLocations
        var location = start
        for block in blocks {
            block.forEachBlock { nested in
                if headingsPlace, case .heading(let heading) = nested, let headingLocation = heading.location { location = headingLocation }
                for run in nested.inlineRuns {
                    for inline in run {
                        inline.forEachInline { current in
                            if case .noteReference(let reference) = current, let place = reference.location {
                                visit(current, place)
                            } else if current.mayHaveRecordedPlace, let places = inlineLocations[current] {
                                let index = seen[current, default: 0]
                                seen[current] = index + 1
                                visit(current, index < places.count ? places[index] : location)
                            } else {
                                visit(current, location)
                            }
                        }
                    }
                }
            }
        }
    }
}
