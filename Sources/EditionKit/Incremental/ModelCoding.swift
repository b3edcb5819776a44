import Foundation

/// A compact binary form of a loaded article and the diagnostics its loading reported, for the
/// build cache: decoding it is several times cheaper than reading the Markdown again (front
/// matter, YAML, cmark-gfm, punctuation, the raw HTML and SVG checks).
///
/// Integers are LEB128 varints, strings their UTF-8 bytes after their length, and the source
/// file of every location is written once per article (a table of names). Every read is
/// bounds-checked: damaged bytes make `decode` return nil, never crash or loop, and the
/// caller loads the article from its Markdown again.
///
/// A model is written in two parts (`Encoded`): the head (the table of file names, the
/// article's front matter and outline, the diagnostics) and the content (body, notes, their
/// places, the Markdown), which the cache stores as objects of their own. A warm build reads
/// every unchanged article's head, and reads and decodes its content only when something asks
/// for it (`ArticleContentBox`): most of a model's bytes are never read.
///
/// `fieldCounts` names how many stored properties each encoded type has; a test compares them
/// with the types, so that a field added to the model is not silently dropped from the cache.
enum ModelCoding {
    /// Bumped whenever the layout changes; part of every cached article's key.
    static let format = 3

    /// The stored properties each type is written with.
    static let fieldCounts: [String: Int] = [
        "Article": 12, "ArticleContent": 5, "ArticleOutline": 5, "ShownImage": 2, "Author": 3, "Heading": 4, "ListBlock": 4, "Table": 3, "Note": 4,
        "NoteReference": 3, "SourceLocation": 3, "Diagnostic": 5, "TypographySettings": 3,
    ]

    /// A model's two parts; the content's locations name the head's table of files.
    struct Encoded: Equatable {
        var head: Data
        /// Empty when there is no article.
        var content: Data
    }

    static func encode(article: Article?, diagnostics: [Diagnostic]) -> Encoded {
        var writer = Writer()
        writer.bool(article != nil)
        var content: [UInt8] = []
        if let article {
            writer.article(article)
            content = writer.detached { $0.content(article.content) }
        }
        writer.int(diagnostics.count)
        for diagnostic in diagnostics { writer.diagnostic(diagnostic) }
        return Encoded(head: writer.finish(), content: Data(content))
    }

    /// The article and diagnostics a model's `head` holds; nil when it is damaged. The
    /// article's content is `content()`'s bytes, read and decoded when first asked for; should
    /// they be missing or not decode then (damage that passed the cache's checksums), it is
    /// `reload`'s, else empty.
    static func decode(_ head: Data, content: @escaping () -> Data?, reload: (() -> ArticleContent?)? = nil)
        -> (article: Article?, diagnostics: [Diagnostic])? {
        head.withUnsafeBytes { buffer -> (Article?, [Diagnostic])? in
            var reader = Reader(buffer)
            do {
                try reader.start()
                let article = try reader.bool() ? try reader.article { outline, files in
                    ArticleContentBox(outline: outline) {
                        content().flatMap { decodeContent($0, files: files) } ?? reload?() ?? ArticleContent()
                    }
                } : nil
                let count = try reader.count()
                var diagnostics: [Diagnostic] = []
                diagnostics.reserveCapacity(count)
                for _ in 0..<count { diagnostics.append(try reader.diagnostic()) }
                guard reader.atEnd else { return nil }
                return (article, diagnostics)
            } catch {
                return nil
            }
        }
    }

    /// The content `data` holds, its locations naming `files`; nil when damaged.
    private static func decodeContent(_ data: Data, files: [String]) -> ArticleContent? {
        data.withUnsafeBytes { buffer -> ArticleContent? in
            var reader = Reader(buffer, files: files)
            guard let content = try? reader.content(), reader.atEnd else { return nil }
            return content
        }
    }

    static func encode(diagnostics lists: [[Diagnostic]]) -> Data {
        var writer = Writer()
        writer.int(lists.count)
        for list in lists {
            writer.int(list.count)
            for diagnostic in list { writer.diagnostic(diagnostic) }
        }
        return writer.finish()
    }

    static func decodeDiagnostics(_ data: Data) -> [[Diagnostic]]? {
        data.withUnsafeBytes { buffer -> [[Diagnostic]]? in
            var reader = Reader(buffer)
            do {
                try reader.start()
                var lists: [[Diagnostic]] = []
                for _ in 0..<(try reader.count()) {
                    var list: [Diagnostic] = []
                    for _ in 0..<(try reader.count()) { list.append(try reader.diagnostic()) }
                    lists.append(list)
                }
                guard reader.atEnd else { return nil }
                return lists
            } catch {
                return nil
            }
        }
    }

    // MARK: Writing

    struct Writer {
        private var body: [UInt8] = []
        /// Source file names, written once at the start.
        private var files: [String: Int] = [:]
        private var fileNames: [String] = []

        init(reserving capacity: Int = 4096) { body.reserveCapacity(capacity) }

        mutating func finish() -> Data {
            var head = Writer()
            head.int(fileNames.count)
            for name in fileNames { head.string(name) }
            return Data(head.body + body)
        }

        mutating func int(_ value: Int) {
            // Zig-zag, so that small negative numbers stay short.
            var bits = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
            while bits >= 0x80 {
                body.append(UInt8(truncatingIfNeeded: bits) | 0x80)
                bits >>= 7
            }
            body.append(UInt8(bits))
        }

        mutating func bool(_ value: Bool) { body.append(value ? 1 : 0) }

        mutating func string(_ value: String) {
            var value = value
            value.withUTF8 { bytes in
                int(bytes.count)
                body.append(contentsOf: bytes)
            }
        }

        mutating func optional<T>(_ value: T?, _ write: (inout Writer, T) -> Void) {
            bool(value != nil)
            if let value { write(&self, value) }
        }

        mutating func array<T>(_ values: [T], _ write: (inout Writer, T) -> Void) {
            int(values.count)
            for value in values { write(&self, value) }
        }

        mutating func location(_ location: SourceLocation) {
            let index: Int
            if let known = files[location.file] {
                index = known
            } else {
                index = fileNames.count
                files[location.file] = index
                fileNames.append(location.file)
            }
            int(index)
            int(location.line)
            int(location.column)
        }

        mutating func inlines(_ inlines: [Inline]) { array(inlines) { $0.inline($1) } }

        mutating func inline(_ inline: Inline) {
            switch inline {
            case .text(let text): body.append(0); string(text)
            case .emphasis(let content): body.append(1); inlines(content)
            case .strong(let content): body.append(2); inlines(content)
            case .strikethrough(let content): body.append(3); inlines(content)
            case .code(let text): body.append(4); string(text)
            case .link(let destination, let title, let content):
                body.append(5); string(destination); string(title); inlines(content)
            case .image(let source, let title, let alt):
                body.append(6); string(source); string(title); inlines(alt)
            case .softBreak: body.append(7)
            case .lineBreak: body.append(8)
            case .noteReference(let reference):
                body.append(9); string(reference.label); int(reference.occurrence); optional(reference.location) { $0.location($1) }
            case .html(let html): body.append(10); string(html)
            }
        }

        mutating func blocks(_ blocks: [Block]) { array(blocks) { $0.block($1) } }

        mutating func block(_ block: Block) {
            switch block {
            case .paragraph(let content): body.append(0); inlines(content)
            case .heading(let heading):
                body.append(1); int(heading.level); inlines(heading.content); string(heading.id)
                optional(heading.location) { $0.location($1) }
            case .blockQuote(let blocks): body.append(2); self.blocks(blocks)
            case .list(let list):
                body.append(3); bool(list.ordered); int(list.start); bool(list.tight); array(list.items) { $0.blocks($1) }
            case .codeBlock(let info, let text): body.append(4); string(info); string(text)
            case .html(let html): body.append(5); string(html)
            case .thematicBreak: body.append(6)
            case .table(let table):
                body.append(7)
                array(table.alignments) { $0.string($1.rawValue) }
                array(table.header) { $0.inlines($1) }
                array(table.rows) { $0.array($1) { $0.inlines($1) } }
            }
        }

        mutating func article(_ article: Article) {
            string(article.id)
            string(article.file)
            inlines(article.title)
            optional(article.subtitle) { $0.inlines($1) }
            array(article.authors) { writer, author in
                writer.string(author.name)
                writer.optional(author.organization) { $0.string($1) }
                writer.optional(author.location) { $0.location($1) }
            }
            optional(article.source) { $0.inlines($1) }
            optional(article.date) { $0.string($1) }
            optional(article.language) { $0.string($1) }
            optional(article.printPage) { $0.int($1) }
            location(article.location)
            int(article.bodyLineOffset)
            outline(article.outline)
        }

        /// What `write` writes, as bytes apart from the rest (the file names it meets join
        /// the table all the same).
        mutating func detached(_ write: (inout Writer) -> Void) -> [UInt8] {
            let rest = body
            body = []
            write(&self)
            let detached = body
            body = rest
            return detached
        }

        mutating func outline(_ outline: ArticleOutline) {
            array(outline.headings) { writer, heading in
                writer.int(heading.level)
                writer.inlines(heading.content)
                writer.string(heading.id)
                writer.optional(heading.location) { $0.location($1) }
            }
            int(outline.facts.rawValue)
            array(outline.images) { writer, image in
                writer.string(image.source)
                writer.bool(image.altIsBlank)
            }
            int(outline.noteCount)
            int(outline.uncitedNoteCount)
        }

        mutating func content(_ content: ArticleContent) {
            blocks(content.body)
            array(content.notes) { writer, note in
                writer.string(note.label)
                writer.blocks(note.blocks)
                writer.int(note.citationCount)
                writer.optional(note.location) { $0.location($1) }
            }
            // Dictionaries in a fixed order: the same article, the same bytes.
            let inlineLocations = content.inlineLocations.map { (key: Self.sortKey($0.key), $0.key, $0.value) }
                .sorted { $0.key.lexicographicallyPrecedes($1.key) }
            array(inlineLocations) { writer, entry in
                writer.inline(entry.1)
                writer.array(entry.2) { $0.location($1) }
            }
            array(content.htmlBlockLocations.sorted { $0.key < $1.key }) { writer, entry in
                writer.string(entry.key)
                writer.array(entry.value) { $0.location($1) }
            }
            string(content.bodyText)
        }

        private static func sortKey(_ inline: Inline) -> [UInt8] {
            var writer = Writer(reserving: 64)
            writer.inline(inline)
            return writer.body
        }

        mutating func diagnostic(_ diagnostic: Diagnostic) {
            bool(diagnostic.severity == .error)
            string(diagnostic.code.rawValue)
            string(diagnostic.message)
            optional(diagnostic.location) { $0.location($1) }
            optional(diagnostic.hint) { $0.string($1) }
        }
    }

    // MARK: Reading

    struct Damaged: Error {}

    struct Reader {
        private let bytes: UnsafeRawBufferPointer
        private var offset = 0
        private var files: [String] = []
        /// Nesting of blocks and inlines: deeper than any parser makes is damage.
        private var depth = 0

        init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        /// A reader of an article's content, whose locations name `files` (the object's table).
        init(_ bytes: UnsafeRawBufferPointer, files: [String]) {
            self.bytes = bytes
            self.files = files
        }

        var atEnd: Bool { offset == bytes.count }

        mutating func start() throws {
            let count = try self.count()
            files.reserveCapacity(count)
            for _ in 0..<count { files.append(try string()) }
        }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw Damaged() }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func int() throws -> Int {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = try self.byte()
                guard shift < 64 else { throw Damaged() }
                result |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            let value = Int64(bitPattern: result)
            return Int((value >> 1) ^ -(value & 1))
        }

        /// A length: never more than the bytes left, so that damage cannot ask for a huge array.
        mutating func count() throws -> Int {
            let value = try int()
            guard value >= 0, value <= bytes.count - offset else { throw Damaged() }
            return value
        }

        mutating func bool() throws -> Bool {
            switch try byte() {
            case 0: return false
            case 1: return true
            default: throw Damaged()
            }
        }

        /// A string, whose bytes must be UTF-8. A model holds many short strings (a warm build
        /// at ×100 reads about two million), and `String(validating:as:)` costs about three times
        /// what `String(decoding:as:)` does on them (its generic path, per call); the latter
        /// validates as fast but repairs, so a string that is not its bytes again came from
        /// bytes that were not UTF-8: damage.
        mutating func string() throws -> String {
            let count = try self.count()
            let start = offset
            offset += count
            let source = UnsafeRawBufferPointer(rebasing: bytes[start..<offset]).bindMemory(to: UInt8.self)
            var text = String(decoding: source, as: UTF8.self)
            let exact = text.withUTF8 { decoded in
                decoded.count == count && (count == 0 || memcmp(decoded.baseAddress!, source.baseAddress!, count) == 0)
            }
            guard exact else { throw Damaged() }
            return text
        }

        mutating func optional<T>(_ read: (inout Reader) throws -> T) throws -> T? {
            try bool() ? try read(&self) : nil
        }

        mutating func array<T>(_ read: (inout Reader) throws -> T) throws -> [T] {
            let count = try self.count()
            var result: [T] = []
            result.reserveCapacity(count)
            for _ in 0..<count { result.append(try read(&self)) }
            return result
        }

        mutating func location() throws -> SourceLocation {
            let index = try int()
            guard files.indices.contains(index) else { throw Damaged() }
            return SourceLocation(file: files[index], line: try int(), column: try int())
        }

        private mutating func nested<T>(_ read: (inout Reader) throws -> T) throws -> T {
            depth += 1
            defer { depth -= 1 }
            guard depth < 10_000 else { throw Damaged() }
            return try read(&self)
        }

        mutating func inlines() throws -> [Inline] { try nested { try $0.array { try $0.inline() } } }

        mutating func inline() throws -> Inline {
            switch try byte() {
            case 0: return .text(try string())
            case 1: return .emphasis(try inlines())
            case 2: return .strong(try inlines())
            case 3: return .strikethrough(try inlines())
            case 4: return .code(try string())
            case 5: return .link(destination: try string(), title: try string(), content: try inlines())
            case 6: return .image(source: try string(), title: try string(), alt: try inlines())
            case 7: return .softBreak
            case 8: return .lineBreak
            case 9:
                return .noteReference(NoteReference(label: try string(), occurrence: try int(),
                                                    location: try optional { try $0.location() }))
            case 10: return .html(try string())
            default: throw Damaged()
            }
        }

        mutating func blocks() throws -> [Block] { try nested { try $0.array { try $0.block() } } }

        mutating func block() throws -> Block {
            switch try byte() {
            case 0: return .paragraph(try inlines())
            case 1:
                return .heading(Heading(level: try int(), content: try inlines(), id: try string(),
                                        location: try optional { try $0.location() }))
            case 2: return .blockQuote(try blocks())
            case 3:
                return .list(ListBlock(ordered: try bool(), start: try int(), tight: try bool(),
                                       items: try array { try $0.blocks() }))
            case 4: return .codeBlock(info: try string(), text: try string())
            case 5: return .html(try string())
            case 6: return .thematicBreak
            case 7:
                let alignments = try array { reader -> TableAlignment in
                    guard let alignment = TableAlignment(rawValue: try reader.string()) else { throw Damaged() }
                    return alignment
                }
                return .table(Table(alignments: alignments, header: try array { try $0.inlines() },
                                    rows: try array { try $0.array { try $0.inlines() } }))
            default: throw Damaged()
            }
        }

        /// An article's front matter and outline; `content` makes the box that will hold the
        /// rest, given the table of files its locations name.
        mutating func article(content: (ArticleOutline, [String]) -> ArticleContentBox) throws -> Article {
            let id = try string(), file = try string()
            let title = try inlines()
            let subtitle = try optional { try $0.inlines() }
            let authors = try array { reader in
                Author(name: try reader.string(), organization: try reader.optional { try $0.string() },
                       location: try reader.optional { try $0.location() })
            }
            let source = try optional { try $0.inlines() }
            let date = try optional { try $0.string() }
            let language = try optional { try $0.string() }
            let printPage = try optional { try $0.int() }
            let location = try self.location()
            let bodyLineOffset = try int()
            let outline = try self.outline()
            return Article(id: id, file: file, title: title, subtitle: subtitle, authors: authors, source: source,
                           date: date, language: language, printPage: printPage, location: location,
                           bodyLineOffset: bodyLineOffset, box: content(outline, files))
        }

        mutating func outline() throws -> ArticleOutline {
            let headings = try array { reader in
                Heading(level: try reader.int(), content: try reader.inlines(), id: try reader.string(),
                        location: try reader.optional { try $0.location() })
            }
            let facts = EditionContext.ContentFacts(rawValue: try int())
            let images = try array { reader in
                ArticleOutline.ShownImage(source: try reader.string(), altIsBlank: try reader.bool())
            }
            let noteCount = try int(), uncited = try int()
            guard noteCount >= 0, (0...noteCount).contains(uncited) else { throw Damaged() }
            return ArticleOutline(headings: headings, facts: facts, images: images, noteCount: noteCount,
                                  uncitedNoteCount: uncited)
        }

        mutating func content() throws -> ArticleContent {
            let body = try blocks()
            let notes = try array { reader in
                Note(label: try reader.string(), blocks: try reader.blocks(), citationCount: try reader.int(),
                     location: try reader.optional { try $0.location() })
            }
            var inlineLocations: [Inline: [SourceLocation]] = [:]
            for _ in 0..<(try count()) {
                let inline = try self.inline()
                inlineLocations[inline] = try array { try $0.location() }
            }
            var htmlBlockLocations: [String: [SourceLocation]] = [:]
            for _ in 0..<(try count()) {
                let html = try string()
                htmlBlockLocations[html] = try array { try $0.location() }
            }
            return ArticleContent(body: body, notes: notes, inlineLocations: inlineLocations,
                                  htmlBlockLocations: htmlBlockLocations, bodyText: try string())
        }

        mutating func diagnostic() throws -> Diagnostic {
            let severity: Diagnostic.Severity = try bool() ? .error : .warning
            guard let code = DiagnosticCode(rawValue: try string()) else { throw Damaged() }
            return Diagnostic(severity, code, try string(), at: try optional { try $0.location() },
                              hint: try optional { try $0.string() })
        }
    }
}

extension TypographySettings {
    /// The settings as the cache's keys name them: the same text in every process (a
    /// dictionary's description follows its process's hash seed; this is sorted).
    var cacheKey: String {
        let quotes = quotes.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.open)\($0.value.close)\($0.value.innerOpen)\($0.value.innerClose)" }
        return "\(mode.rawValue) \(dashes.rawValue) \(quotes.joined(separator: " "))"
    }
}
