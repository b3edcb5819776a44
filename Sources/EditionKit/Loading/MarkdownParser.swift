import CCmarkGFM
import Foundation

/// The result of parsing an article's body.
struct ParsedMarkdown {
    var blocks: [Block]
    var notes: [Note]
    var diagnostics: [Diagnostic]
    /// See `Article.inlineLocations` and `Article.htmlBlockLocations`.
    var inlineLocations: [Inline: [SourceLocation]] = [:]
    var htmlBlockLocations: [String: [SourceLocation]] = [:]
}

/// The only place that talks to cmark-gfm: parses CommonMark with GitHub's footnotes, tables,
/// strikethrough and autolinks, and turns cmark's tree into `Block` and `Inline` values.
/// Every C object is freed before `parse` returns.
struct MarkdownParser {
    /// The file the text comes from, for diagnostics.
    let file: String
    /// Lines cut off above the text (front matter); added to every position.
    let lineOffset: Int
    /// Prefix of every id made here, so that ids are unique across the edition.
    let idPrefix: String
    /// Typographic punctuation for the text's language; nil keeps it as typed (`typography: plain`).
    var punctuation: Punctuation?

    init(file: String, lineOffset: Int, idPrefix: String, punctuation: Punctuation? = nil) {
        self.file = file
        self.lineOffset = lineOffset
        self.idPrefix = idPrefix
        self.punctuation = punctuation
    }

    private static let registration: Void = { cmark_gfm_core_extensions_ensure_registered() }()

    /// Parses inline Markdown (a title, a source line) into inline values.
    static func parseInline(_ text: String, punctuation: Punctuation? = nil) -> [Inline] {
        parseInline(text, at: nil, punctuation: punctuation).content
    }

    /// Parses inline Markdown written at `location` (a value in front matter) and checks its
    /// raw HTML like a body's, with the diagnostics placed from there.
    static func parseInline(_ text: String, at location: SourceLocation?,
                            punctuation: Punctuation? = nil) -> (content: [Inline], diagnostics: [Diagnostic]) {
        // Lines count from the value's line, so that messages naming a line ("<b> (line 2)") are right.
        let parser = MarkdownParser(file: location?.file ?? "", lineOffset: (location?.line ?? 1) - 1, idPrefix: "",
                                    punctuation: punctuation)
        let parsed = parser.parse(text)
        let diagnostics: [Diagnostic] = location.map { base in
            parsed.diagnostics.filter { [.htmlMalformed, .htmlUnsafe, .characterInvalid, .inputLimit].contains($0.code) }.map { diagnostic in
                var moved = diagnostic
                let line = diagnostic.location?.line ?? base.line, column = diagnostic.location?.column ?? 1
                moved.location = SourceLocation(file: base.file, line: line,
                                                column: line == base.line ? base.column + column - 1 : column)
                return moved
            }
        } ?? []
        guard case .paragraph(let content)? = parsed.blocks.first, parsed.blocks.count == 1 else {
            return ([.text(text)], diagnostics)
        }
        return (content, diagnostics)
    }

    func parse(_ text: String) -> ParsedMarkdown {
        _ = Self.registration
        let lines = text.linesAtLineFeeds()
        let scan = FootnoteScan(lines: lines)
        var diagnostics: [Diagnostic] = []
        if scan.definitions.count > InputLimits.notesPerArticle {
            let place = scan.definitions[InputLimits.notesPerArticle]
            diagnostics.append(.error(.inputLimit, "an article may define at most \(InputLimits.notesPerArticle) notes; this is note \(InputLimits.notesPerArticle + 1)",
                                      at: location(line: place.line, column: place.column),
                                      hint: "split the article"))
            return ParsedMarkdown(blocks: [], notes: [], diagnostics: diagnostics)
        }
        for duplicate in scan.duplicates {
            diagnostics.append(.error(.noteDuplicate, "note [^\(duplicate.label)] is defined twice",
                                      at: location(line: duplicate.line, column: duplicate.column),
                                      hint: "the first definition is used"))
        }

        // cmark-gfm drops a definition that nothing cites. A note whose citation mark was lost
        // is still the author's text, so cite every such note from a paragraph added below the
        // text, which the conversion then leaves out.
        var converter = Converter(parser: self, lines: lines, scan: scan, syntheticFromLine: lines.count + 1)
        var source = text
        let uncited = scan.definitions.filter { scan.citations[$0.label, default: []].isEmpty }
        if !uncited.isEmpty {
            source += "\n\n" + uncited.map { "[^\($0.label)]" }.joined(separator: " ") + "\n"
        }
        converter.run(source)
        diagnostics += converter.diagnostics
        return ParsedMarkdown(blocks: converter.blocks, notes: converter.notes, diagnostics: diagnostics,
                              inlineLocations: converter.inlineLocations, htmlBlockLocations: converter.htmlBlockLocations)
    }

    /// Plain text (a name, a title from book.yaml) with typographic punctuation: the same
    /// rules as Markdown, every other ASCII punctuation character escaped so that nothing in it
    /// is taken as markup.
    static func punctuate(_ text: String, _ punctuation: Punctuation?) -> String {
        guard let punctuation, text.contains(where: { "'\".-".contains($0) }) else { return text }
        var escaped = ""
        for character in text {
            if character.isASCII, character.isPunctuation || character.isSymbol, !"'\".-".contains(character) {
                escaped.append("\\")
            }
            escaped.append(character)
        }
        let parsed = MarkdownParser(file: "", lineOffset: 0, idPrefix: "", punctuation: punctuation).parse(escaped)
        guard case .paragraph(let content)? = parsed.blocks.first, parsed.blocks.count == 1,
              content.allSatisfy({ if case .text = $0 { return true } else { return $0 == .softBreak } }) else { return text }
        return content.plainText
    }

    func location(line: Int, column: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: line + lineOffset, column: column)
    }
}

/// Where the footnote definitions and citations stand in the source text. cmark-gfm gives a
/// citation's ordinal, not its label, and does not keep an uncited definition; this scan knows both.
struct FootnoteScan {
    struct Place { var label: String; var line: Int; var column: Int }

    private(set) var definitions: [Place] = []
    private(set) var duplicates: [Place] = []
    /// The citations of each label, in source order.
    private(set) var citations: [String: [Place]] = [:]

    init(lines: [Substring]) {
        var inFence = false
        var seen: Set<String> = []
        for (index, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle(); continue }
            if inFence { continue }
            var searchStart = line.startIndex
            // Leading spaces are one byte each: counted on the bytes, not by walking the line.
            if line.utf8.count - trimmed.utf8.count <= 3, let label = Self.definitionLabel(in: trimmed) {
                let column = line.utf8.count - trimmed.utf8.count + 1
                let place = Place(label: label, line: index + 1, column: column)
                if seen.insert(label).inserted { definitions.append(place) } else { duplicates.append(place) }
                searchStart = line.index(trimmed.startIndex, offsetBy: label.count + 4)
            }
            let from = line.utf8.distance(from: line.startIndex, to: searchStart)
            // On the line's own bytes (a native string's storage: no copy per line).
            let number = index + 1
            if line.utf8.withContiguousStorageIfAvailable({ Self.citations(in: $0, from: from, line: number, into: &citations) }) == nil {
                Array(line.utf8).withUnsafeBufferPointer { Self.citations(in: $0, from: from, line: number, into: &citations) }
            }
        }
    }

    /// The citations `[^label]` of one line from byte `position` on, added to `citations`.
    private static func citations(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, line: Int,
                                  into citations: inout [String: [Place]]) {
        var position = start
        // Byte by byte, so that a line with thousands of citations stays linear. A `[^3]`
        // inside a code span (`` `[^3]` ``) or written `\[^3]` is text, not a citation.
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"):
                position += 2
            case UInt8(ascii: "`"):
                var run = 0
                while position + run < bytes.count, bytes[position + run] == UInt8(ascii: "`") { run += 1 }
                position += run
                if let end = closingBackticks(run, in: bytes, from: position) { position = end }
            case UInt8(ascii: "[") where position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "^"):
                var close = position + 2
                while close < bytes.count, bytes[close] != UInt8(ascii: "]"), bytes[close] != UInt8(ascii: " "),
                      bytes[close] != UInt8(ascii: "[") { close += 1 }
                if close < bytes.count, bytes[close] == UInt8(ascii: "]"), close > position + 2 {
                    let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[(position + 2)..<close]), as: UTF8.self)
                    citations[label, default: []].append(Place(label: label, line: line, column: position + 1))
                    position = close + 1
                } else {
                    position += 2
                }
            default:
                position += 1
            }
        }
    }

    /// The index after the run of exactly `count` backticks that closes a code span, if the
    /// line has one after `start`.
    static func closingBackticks(_ count: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var position = start
        while position < bytes.count {
            guard bytes[position] == UInt8(ascii: "`") else { position += 1; continue }
            var run = 0
            while position + run < bytes.count, bytes[position + run] == UInt8(ascii: "`") { run += 1 }
            if run == count { return position + run }
            position += run
        }
        return nil
    }

    /// `14` for a line that starts `[^14]:`.
    static func definitionLabel(in line: Substring) -> String? {
        guard line.hasPrefix("[^"), let close = line.firstIndex(of: "]") else { return nil }
        let label = line[line.index(line.startIndex, offsetBy: 2)..<close]
        guard !label.isEmpty, !label.contains(" "),
              line[line.index(after: close)...].hasPrefix(":") else { return nil }
        return String(label)
    }
}

/// Walks one cmark-gfm tree and builds values from it.
private struct Converter {
    let parser: MarkdownParser
    let lines: [Substring]
    let scan: FootnoteScan
    /// Blocks starting at or after this line were added by `parse`, not written by the author.
    let syntheticFromLine: Int

    var blocks: [Block] = []
    var notes: [Note] = []
    var diagnostics: [Diagnostic] = []
    var inlineLocations: [Inline: [SourceLocation]] = [:]
    var htmlBlockLocations: [String: [SourceLocation]] = [:]

    private var quoteState = Punctuation.State()
    private var labelsByOrdinal: [String: String] = [:]
    private var occurrences: [String: Int] = [:]
    private var usedIds: Set<String> = []
    private let definedLabels: Set<String>
    private var reportedUndefined: Set<String> = []

    init(parser: MarkdownParser, lines: [Substring], scan: FootnoteScan, syntheticFromLine: Int) {
        self.parser = parser
        self.lines = lines
        self.scan = scan
        self.syntheticFromLine = syntheticFromLine
        self.definedLabels = Set(scan.definitions.map(\.label))
    }

    /// cmark-gfm keeps process-wide state (its extensions' registry, its arena): one parse
    /// at a time in the whole process, whichever thread asks (an article whose cached content
    /// must be loaded again is parsed while others render).
    private static let parsing = NSLock()

    mutating func run(_ source: String) {
        Self.parsing.lock()
        defer { Self.parsing.unlock() }
        let options = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8 | (parser.punctuation == nil ? 0 : CMARK_OPT_SMART)
        guard let cParser = cmark_parser_new(options) else { return }
        defer { cmark_parser_free(cParser) }
        for name in ["table", "strikethrough", "autolink"] {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(cParser, ext)
            }
        }
        source.withCString { pointer in cmark_parser_feed(cParser, pointer, strlen(pointer)) }
        guard let root = cmark_parser_finish(cParser) else { return }
        defer { cmark_node_free(root) }
        // The conversion below and every renderer recurse once per level: refuse a tree deeper
        // than the limit before any of them runs (cmark's own parsing and freeing do not recurse).
        if var deep = Self.firstNode(deeperThan: InputLimits.markdownDepth, in: root) {
            // cmark-gfm's columns of nested emphasis drift; the block that holds it is exact.
            while cmark_node_get_type(deep).rawValue & 0xc000 == 0xc000, let parent = cmark_node_parent(deep) { deep = parent }
            diagnostics.append(.error(.inputLimit, "Markdown nested more than \(InputLimits.markdownDepth) levels deep (quotes, lists, emphasis, links)",
                                      at: location(of: deep), hint: "nothing of this article is published until it nests less"))
            return
        }
        checkMarkup(root)

        // cmark-gfm appends the cited definitions at the end, in the order of first citation,
        // and writes that ordinal into each citation: map ordinals back to the labels.
        var definitions: [OpaquePointer] = []
        var child = cmark_node_first_child(root)
        while let node = child {
            if cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION { definitions.append(node) }
            child = cmark_node_next(node)
        }
        for (index, node) in definitions.enumerated() {
            labelsByOrdinal[String(index + 1)] = label(ofDefinition: node)
        }

        var definitionNodes: [String: OpaquePointer] = [:]
        child = cmark_node_first_child(root)
        while let node = child {
            child = cmark_node_next(node)
            if cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION {
                if let label = label(ofDefinition: node) { definitionNodes[label] = node }
                continue
            }
            if Int(cmark_node_get_start_line(node)) >= syntheticFromLine { continue }
            if let block = convertBlock(node) { blocks.append(block) }
        }

        // The notes in the order they are written (cmark lists them in the order of first
        // citation), so that the places recorded for their inlines follow the model's order.
        var noteBlocks: [String: [Block]] = [:]
        for definition in scan.definitions {
            guard let node = definitionNodes[definition.label] else { continue }
            noteBlocks[definition.label] = children(of: node)
        }
        for definition in scan.definitions {
            guard let found = noteBlocks[definition.label] else { continue }
            notes.append(Note(label: definition.label, blocks: found,
                              citationCount: occurrences[definition.label, default: 0],
                              location: parser.location(line: definition.line, column: definition.column)))
        }
    }

    /// Checks the raw HTML, the addresses and the decoded text of the body and of each note
    /// (their own sketches: cmark moves the notes to the end, out of line order).
    private mutating func checkMarkup(_ root: OpaquePointer) {
        var body: [OpaquePointer] = []
        var notes: [OpaquePointer] = []
        var child = cmark_node_first_child(root)
        while let node = child {
            child = cmark_node_next(node)
            if cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION {
                notes.append(node)
            } else if Int(cmark_node_get_start_line(node)) < syntheticFromLine {
                body.append(node)
            }
        }
        var found: [Diagnostic] = []
        checkMarkup(of: body, into: &found)
        for note in notes { checkMarkup(of: [note], into: &found) }
        var seen: Set<Diagnostic> = []
        diagnostics += found.filter { seen.insert($0).inserted }
    }

    /// Checks a run of blocks as one sketch; after a malformation, checks again from the block
    /// after the one it is in, so that one check reports each broken block (twenty at most).
    private func checkMarkup(of blocks: [OpaquePointer], into found: inout [Diagnostic]) {
        let parser = self.parser
        let lines = blocks.map { Int(cmark_node_get_start_line($0)) }
        var start = 0
        var passes = 0
        // Without raw HTML there is nothing for libxml2 to read: the sketch only collects what
        // the text and the addresses hold (control characters, unsafe addresses), unwritten.
        let recording = blocks.contains(where: Self.holdsHTML)
        while start < blocks.count, passes < 20 {
            passes += 1
            var sketch = MarkupSketch(firstLine: lines[start], recording: recording)
            for block in blocks[start...] { Self.sketch(block, into: &sketch) }
            let result = RawHTMLCheck.check(sketch) { parser.location(line: $0, column: $1) }
            found += result.diagnostics
            guard let line = result.malformedLine else { return }
            let broken = lines[start...].lastIndex { $0 <= line } ?? start
            start = broken + 1
        }
    }

    /// Whether a node or one below it is raw HTML (a block or inline), found without recursion.
    static func holdsHTML(_ top: OpaquePointer) -> Bool {
        guard let iterator = cmark_iter_new(top) else { return false }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE || event == CMARK_EVENT_NONE { return false }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE { return true }
        }
    }

    /// Adds a node and everything below it to a sketch, without recursion.
    static func sketch(_ top: OpaquePointer, into sketch: inout MarkupSketch) {
        guard let iterator = cmark_iter_new(top) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE || event == CMARK_EVENT_NONE { return }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
            let literal = { cmark_node_get_literal(node).map { String(cString: $0) } ?? "" }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                sketch.move(toLine: line, column: column)
                sketch.html(literal(), atLine: line, column: column)
            case CMARK_NODE_TEXT:
                sketch.move(toLine: line, column: column)
                sketch.text(literal(), atLine: line, column: column)
            case CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK,
                 CMARK_NODE_THEMATIC_BREAK, CMARK_NODE_FOOTNOTE_REFERENCE:
                break
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                if event == CMARK_EVENT_ENTER {
                    sketch.move(toLine: line, column: column)
                    sketch.address(cmark_node_get_url(node).map { String(cString: $0) } ?? "",
                                   title: cmark_node_get_title(node).map { String(cString: $0) } ?? "",
                                   image: cmark_node_get_type(node) == CMARK_NODE_IMAGE, atLine: line, column: column)
                    sketch.open()
                } else {
                    sketch.close()
                }
            default:
                if event == CMARK_EVENT_ENTER { sketch.open() } else { sketch.close() }
            }
        }
    }

    /// The first node (in document order) more than `limit` levels below `root`, found without
    /// recursion: a stack of the open ancestors, popped to each node's parent.
    static func firstNode(deeperThan limit: Int, in root: OpaquePointer) -> OpaquePointer? {
        guard let iterator = cmark_iter_new(root) else { return nil }
        defer { cmark_iter_free(iterator) }
        var ancestors: [OpaquePointer] = []
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE || event == CMARK_EVENT_NONE { return nil }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let parent = cmark_node_parent(node)
            while let last = ancestors.last, last != parent { ancestors.removeLast() }
            ancestors.append(node)
            if ancestors.count > limit + 1 { return node }
        }
    }

    private func label(ofDefinition node: OpaquePointer) -> String? {
        let line = Int(cmark_node_get_start_line(node))
        guard line >= 1, line <= lines.count else { return nil }
        return FootnoteScan.definitionLabel(in: lines[line - 1].drop { $0 == " " })
    }

    private func location(of node: OpaquePointer) -> SourceLocation {
        parser.location(line: Int(cmark_node_get_start_line(node)), column: Int(cmark_node_get_start_column(node)))
    }

    private mutating func children(of node: OpaquePointer) -> [Block] {
        var result: [Block] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            if let block = convertBlock(current) { result.append(block) }
            child = cmark_node_next(current)
        }
        return result
    }

    private mutating func convertBlock(_ node: OpaquePointer) -> Block? {
        let type = cmark_node_get_type(node)
        switch type {
        case CMARK_NODE_PARAGRAPH:
            quoteState = Punctuation.State()
            return .paragraph(inlines(of: node))
        case CMARK_NODE_HEADING:
            quoteState = Punctuation.State()
            let content = inlines(of: node)
            return .heading(Heading(level: Int(cmark_node_get_heading_level(node)), content: content,
                                    id: uniqueId(for: content.plainText), location: location(of: node)))
        case CMARK_NODE_BLOCK_QUOTE:
            return .blockQuote(children(of: node))
        case CMARK_NODE_LIST:
            var items: [[Block]] = []
            var child = cmark_node_first_child(node)
            while let item = child {
                items.append(children(of: item))
                child = cmark_node_next(item)
            }
            return .list(ListBlock(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                                   start: Int(cmark_node_get_list_start(node)),
                                   tight: cmark_node_get_list_tight(node) != 0, items: items))
        case CMARK_NODE_CODE_BLOCK:
            return .codeBlock(info: string(cmark_node_get_fence_info(node)), text: string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_BLOCK:
            let html = string(cmark_node_get_literal(node))
            htmlBlockLocations[html, default: []].append(location(of: node))
            return .html(html)
        case CMARK_NODE_THEMATIC_BREAK:
            return .thematicBreak
        default:
            if typeName(node) == "table" { return .table(table(node)) }
            return nil
        }
    }

    private mutating func table(_ node: OpaquePointer) -> Table {
        let columns = Int(cmark_gfm_extensions_get_table_columns(node))
        var alignments: [TableAlignment] = []
        if let raw = cmark_gfm_extensions_get_table_alignments(node) {
            for index in 0..<columns {
                switch UnicodeScalar(raw[index]) {
                case "l": alignments.append(.left)
                case "c": alignments.append(.center)
                case "r": alignments.append(.right)
                default: alignments.append(.none)
                }
            }
        }
        var header: [[Inline]] = []
        var rows: [[[Inline]]] = []
        var rowNode = cmark_node_first_child(node)
        while let row = rowNode {
            var cells: [[Inline]] = []
            var cellNode = cmark_node_first_child(row)
            while let cell = cellNode {
                cells.append(inlines(of: cell))
                cellNode = cmark_node_next(cell)
            }
            if cmark_gfm_extensions_get_table_row_is_header(row) != 0 { header = cells } else { rows.append(cells) }
            rowNode = cmark_node_next(row)
        }
        return Table(alignments: alignments, header: header, rows: rows)
    }

    private mutating func inlines(of node: OpaquePointer) -> [Inline] {
        var result: [Inline] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            if let inline = convertInline(current) {
                // cmark splits text at special characters; join the pieces again.
                if case .text(let next) = inline, case .text(var previous)? = result.last {
                    result.removeLast()
                    previous += next
                    result.append(.text(previous))
                } else {
                    result.append(inline)
                }
            }
            child = cmark_node_next(current)
        }
        if let punctuation = parser.punctuation {
            for index in result.indices {
                if case .text(let text) = result[index] { result[index] = .text(punctuation.apply(text, state: &quoteState)) }
            }
        }
        reportUndefinedNotes(in: result)
        return result
    }

    private mutating func convertInline(_ node: OpaquePointer) -> Inline? {
        let inline = convertInlineValue(node)
        switch inline {
        case .image?, .link?, .html?: inlineLocations[inline!, default: []].append(location(of: node))
        default: break
        }
        return inline
    }

    private mutating func convertInlineValue(_ node: OpaquePointer) -> Inline? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: return .text(string(cmark_node_get_literal(node)))
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code(string(cmark_node_get_literal(node)))
        case CMARK_NODE_HTML_INLINE: return .html(string(cmark_node_get_literal(node)))
        case CMARK_NODE_EMPH: return .emphasis(inlines(of: node))
        case CMARK_NODE_STRONG: return .strong(inlines(of: node))
        case CMARK_NODE_LINK:
            return .link(destination: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
                         content: inlines(of: node))
        case CMARK_NODE_IMAGE:
            return .image(source: string(cmark_node_get_url(node)), title: string(cmark_node_get_title(node)),
                          alt: inlines(of: node))
        case CMARK_NODE_FOOTNOTE_REFERENCE:
            let ordinal = string(cmark_node_get_literal(node))
            guard let label = labelsByOrdinal[ordinal] else { return .text("[^\(ordinal)]") }
            let occurrence = occurrences[label, default: 0] + 1
            occurrences[label] = occurrence
            let place = scan.citations[label].flatMap { occurrence <= $0.count ? $0[occurrence - 1] : nil }
            return .noteReference(NoteReference(label: label, occurrence: occurrence,
                                                location: place.map { parser.location(line: $0.line, column: $0.column) }))
        default:
            if typeName(node) == "strikethrough" { return .strikethrough(inlines(of: node)) }
            return nil
        }
    }

    /// A `[^label]` that cmark left as text cites a note nobody defined. Linear in the text:
    /// the labels are read from the text, not looked for one by one.
    private mutating func reportUndefinedNotes(in content: [Inline]) {
        for inline in content {
            guard case .text(let text) = inline, text.utf8.containsCitationMark else { continue }
            var rest = text[...]
            while let open = rest.range(of: "[^") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: "]") else { break }
                let label = String(after[..<close])
                rest = after[close...].dropFirst()
                guard let places = scan.citations[label], !definedLabels.contains(label),
                      reportedUndefined.insert(label).inserted else { continue }
                let place = places.first
                diagnostics.append(.error(
                    .noteUndefined, "note [^\(label)] is cited but never defined",
                    at: place.map { parser.location(line: $0.line, column: $0.column) },
                    hint: "add a definition '[^\(label)]: …' at the end of the article"))
            }
        }
    }

    private mutating func uniqueId(for text: String) -> String {
        let base = Ids.heading(articleId: parser.idPrefix, Slug.make(text, fallback: "section"))
        var candidate = base
        var counter = 2
        while usedIds.contains(candidate) {
            candidate = "\(base)-\(counter)"
            counter += 1
        }
        usedIds.insert(candidate)
        return candidate
    }

    private func typeName(_ node: OpaquePointer) -> String { string(cmark_node_get_type_string(node)) }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

extension String.UTF8View {
    /// Whether the text holds `[^`, the start of a note citation.
    var containsCitationMark: Bool {
        String(self).withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress, bytes.count >= 2 else { return false }
            var offset = 0
            // Each `^` found with memchr, then the byte before it.
            while offset < bytes.count, let found = memchr(base + offset, Int32(UInt8(ascii: "^")), bytes.count - offset) {
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if at > 0, bytes[at - 1] == UInt8(ascii: "[") { return true }
                offset = at + 1
            }
            return false
        }
    }
}
