/// Inline content of a paragraph, heading or title: a tree of plain values, built from
/// cmark-gfm's tree by `MarkdownParser` so that no C pointer reaches the rest of the code.
public indirect enum Inline: Hashable, Sendable {
    case text(String)
    case emphasis([Inline])
    case strong([Inline])
    case strikethrough([Inline])
    case code(String)
    case link(destination: String, title: String, content: [Inline])
    case image(source: String, title: String, alt: [Inline])
    case softBreak
    case lineBreak
    case noteReference(NoteReference)
    case html(String)
}

/// A citation of a note in the text: `[^14]`.
public struct NoteReference: Hashable, Sendable {
    /// The label as written in the source (`14` for `[^14]`): it is also the number shown.
    public var label: String
    /// 1 for the first citation of this note in its article, 2 for the second…
    public var occurrence: Int
    public var location: SourceLocation?

    public init(label: String, occurrence: Int, location: SourceLocation?) {
        self.label = label
        self.occurrence = occurrence
        self.location = location
    }
}

public enum TableAlignment: String, Hashable, Sendable { case none, left, center, right }

public struct Table: Hashable, Sendable {
    public var alignments: [TableAlignment]
    public var header: [[Inline]]
    public var rows: [[[Inline]]]
}

public struct Heading: Hashable, Sendable {
    /// The HTML level: 2 for `##`. The article's title is the only level 1.
    public var level: Int
    public var content: [Inline]
    /// Unique across the whole edition (prefixed with the article's id).
    public var id: String
    public var location: SourceLocation?
}

public struct ListBlock: Hashable, Sendable {
    public var ordered: Bool
    public var start: Int
    public var tight: Bool
    public var items: [[Block]]
}

/// Block content of an article or a note.
public indirect enum Block: Hashable, Sendable {
    case paragraph([Inline])
    case heading(Heading)
    case blockQuote([Block])
    case list(ListBlock)
    case codeBlock(info: String, text: String)
    case html(String)
    case thematicBreak
    case table(Table)
}

/// A note as its article defines it: `[^14]: text`.
public struct Note: Hashable, Sendable {
    /// The label as written (`14`); the number the reader sees.
    public var label: String
    public var blocks: [Block]
    /// How many times the text cites it (0 when its citation mark was lost in the source).
    public var citationCount: Int
    public var location: SourceLocation?

    public init(label: String, blocks: [Block], citationCount: Int, location: SourceLocation?) {
        self.label = label
        self.blocks = blocks
        self.citationCount = citationCount
        self.location = location
    }
}

extension Inline {
    /// The text a reader would see, without markup: for titles in metadata, ids and checks.
    public var plainText: String {
        if case .text(let text) = self { return text }
        var result = ""
        appendPlainText(to: &result)
        return result
    }

    /// Appends `plainText` to `result`: one string for a whole tree, not one per node.
    func appendPlainText(to result: inout String) {
        switch self {
        case .text(let text), .code(let text): result += text
        case .emphasis(let content), .strong(let content), .strikethrough(let content), .link(_, _, let content),
             .image(_, _, let content):
            for inline in content { inline.appendPlainText(to: &result) }
        case .softBreak, .lineBreak: result += " "
        case .noteReference, .html: break
        }
    }
}

extension Array where Element == Inline {
    public var plainText: String {
        // A heading or a title is most often one run of text: that string itself.
        if count == 1, case .text(let text) = self[0] { return text }
        var result = ""
        for inline in self { inline.appendPlainText(to: &result) }
        return result
    }
}

extension Block {
    /// Calls `visit` for this block and every block inside it, depth first.
    public func forEachBlock(_ visit: (Block) -> Void) {
        visit(self)
        switch self {
        case .blockQuote(let blocks): blocks.forEach { $0.forEachBlock(visit) }
        case .list(let list): list.items.forEach { $0.forEach { $0.forEachBlock(visit) } }
        default: break
        }
    }

    /// The inline runs directly held by this block (not those of nested blocks).
    public var inlineRuns: [[Inline]] {
        switch self {
        case .paragraph(let content): return [content]
        case .heading(let heading): return [heading.content]
        case .table(let table): return table.header + table.rows.flatMap { $0 }
        default: return []
        }
    }
}

extension Inline {
    /// Calls `visit` for this inline and every inline inside it, depth first.
    public func forEachInline(_ visit: (Inline) -> Void) {
        visit(self)
        switch self {
        case .emphasis(let content), .strong(let content), .strikethrough(let content),
             .link(_, _, let content), .image(_, _, let content):
            content.forEach { $0.forEachInline(visit) }
        default: break
        }
    }
}
