import Foundation

/// Where every page of the PDF begins, as WeasyPrint laid it out (the driver's MAP file): one
/// entry per physical page, in order.
public struct PageMap: Codable, Sendable, Equatable {
    public struct Page: Codable, Sendable, Equatable {
        /// The CSS page counter on this page: the folio it prints (or would print, on a blank page).
        public var counter: Int?
        /// Whether the page counts: the cover and front pages do not increment the counter.
        public var numbered: Bool
        /// The nearest element with an id around the first character of the page's main text
        /// flow (not running heads, page numbers or footnotes); nil when the page has no text.
        public var id: String?
        /// That character's offset in the element's text content, in Unicode scalars.
        public var offset: Int?
        /// The first words of the page's text, as laid out (a hyphenated word's first half
        /// ends with the hyphen).
        public var words: [String]
        /// The page area (the main flow and the footnotes; the margins around it hold the
        /// running heads and the folio): x, y, width and height in PDF points from the page's
        /// top-left corner.
        public var area: [Double]?
        /// The top of the footnote area, in PDF points from the page's top; nil without notes.
        public var footnotes: Double?

        public init(counter: Int?, numbered: Bool, id: String?, offset: Int?, words: [String], area: [Double]? = nil, footnotes: Double? = nil) {
            self.counter = counter
            self.numbered = numbered
            self.id = id
            self.offset = offset
            self.words = words
            self.area = area
            self.footnotes = footnotes
        }
    }

    /// The WeasyPrint version that laid the pages out.
    public var weasyprint: String
    /// "applied" when the driver fixed WeasyPrint's column layout at run time, "present" when
    /// the installed WeasyPrint already had the fix.
    public var columnFix: String
    public var pages: [Page]

    public init(weasyprint: String, columnFix: String, pages: [Page]) {
        self.weasyprint = weasyprint
        self.columnFix = columnFix
        self.pages = pages
    }

    /// A page of the page list: its folio and where its text begins.
    public struct PageBreak: Sendable, Equatable {
        public var folio: Int
        /// The page's index in the PDF, 0-based.
        public var index: Int
        /// Where the page's text begins; for a page without text of its own (a blank page, a
        /// page of footnotes only), where the next page's does. Nil after the last text.
        public var id: String?
        public var offset: Int
    }

    /// Every numbered page, in order, once per folio.
    public var breaks: [PageBreak] {
        var result: [PageBreak] = []
        var seen = Set<Int>()
        for (index, page) in pages.enumerated() where page.numbered {
            guard let folio = page.counter, seen.insert(folio).inserted else { continue }
            let start = pages[index...].first { $0.id != nil && $0.offset != nil }
            result.append(PageBreak(folio: folio, index: index, id: start?.id, offset: start?.offset ?? 0))
        }
        return result
    }

    public static func decode(_ data: Data) throws -> PageMap {
        try JSONDecoder().decode(PageMap.self, from: data)
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }
}
