import Foundation

/// The print edition's pages inside the EPUB: a `doc-pagebreak` marker where each page of the
/// PDF begins, the `page-list` of the navigation document and the `pageList` of toc.ncx.
///
/// The PDF's page map says where a page begins as an id and a character offset in the print
/// HTML; the marker goes before the same word of the same element of the EPUB (the n-th word
/// of the element, notes left out: both outputs have the same words in the same elements).
public struct PageList: Sendable, Equatable {
    /// A page of the list: its folio, the document that holds its marker, and the words after
    /// the marker (for the tests and `edition verify`).
    public struct Entry: Sendable, Equatable {
        public var folio: Int
        public var document: String
        public var id: String { "page-\(folio)" }
        public var following: [String]
    }

    public var entries: [Entry]

    static func marker(_ folio: Int) -> String {
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-\(folio)\" aria-label=\"\(folio)\"/>"
    }

    /// Puts a marker for every page of `map` into `documents` (the EPUB's XHTML documents, in
    /// spine order) and returns the list; `printHTML` is the markup the map was made from.
    /// A page whose place cannot be found in the EPUB is reported and left out.
    static func insert(_ map: PageMap, printHTML: String, into documents: inout [EPUBFile]) -> (PageList, [Diagnostic]) {
        let print = MarkupWords(printHTML)
        var problems: [Diagnostic] = []
        var cache: [String: (words: [MarkupWords.Word], scalars: Int)] = [:]
        // For each page: the document, and the UTF-8 offset the marker goes at.
        var places: [(folio: Int, document: Int, at: Int, following: [String])] = []
        let spine = documents.indices.filter { documents[$0].spine != nil && documents[$0].mediaType == EPUBFile.xhtml }
        var readers: [Int: MarkupWords] = [:]
        for pageBreak in map.breaks {
            guard let id = pageBreak.id else {
                // After the last text of the edition: the end of the last document.
                if let last = spine.last {
                    let text = String(decoding: documents[last].data, as: UTF8.self)
                    let at = text.utf8.count - (text.range(of: "</body>", options: .backwards).map { text[$0.lowerBound...].utf8.count } ?? 0)
                    places.append((pageBreak.folio, last, at, []))
                }
                continue
            }
            if cache[id] == nil { cache[id] = print.words(inElementWithID: id) }
            guard let source = cache[id], let wordIndex = MarkupWords.wordIndex(atScalar: pageBreak.offset, in: source.words) else {
                problems.append(.warning(.pageListMismatch, "page \(pageBreak.folio) of the PDF begins in #\(id), which the print HTML does not have words for; it is left out of the page list", at: nil))
                continue
            }
            var placed = false
            for document in spine {
                let reader = readers[document] ?? MarkupWords(String(decoding: documents[document].data, as: UTF8.self))
                readers[document] = reader
                guard let target = reader.words(inElementWithID: id) else { continue }
                if wordIndex < target.words.count {
                    let following = target.words[wordIndex...].prefix(8).map(\.text)
                    places.append((pageBreak.folio, document, target.words[wordIndex].start, following))
                    placed = true
                }
                break
            }
            if !placed {
                problems.append(.warning(.pageListMismatch, "page \(pageBreak.folio) of the PDF begins at word \(wordIndex + 1) of #\(id), which the EPUB does not have; it is left out of the page list", at: nil))
            }
        }
        // Insert from the end of each document, so the offsets before stay right.
        for document in Set(places.map(\.document)) {
            var bytes = Array(documents[document].data)
            for place in places.enumerated().filter({ $0.element.document == document }).sorted(by: { ($0.element.at, $0.offset) > ($1.element.at, $1.offset) }) {
                bytes.insert(contentsOf: Array(Self.marker(place.element.folio).utf8), at: place.element.at)
            }
            documents[document].data = Data(bytes)
        }
        let entries = places.map { Entry(folio: $0.folio, document: documents[$0.document].path, following: $0.following) }
        return (PageList(entries: entries), problems)
    }

    /// The `page-list` nav of the navigation document (hrefs relative to `EPUB/`).
    func navigation(title: String) -> String {
        var result = "<nav epub:type=\"page-list\" id=\"page-list\" role=\"doc-pagelist\" aria-labelledby=\"page-list-title\" hidden=\"hidden\">\n"
        result += "  <h2 id=\"page-list-title\">\(Markup.text(title))</h2>\n  <ol>\n"
        for entry in entries {
            result += "    <li><a href=\"\(Markup.attribute(Self.href(entry)))\">\(entry.folio)</a></li>\n"
        }
        return result + "  </ol>\n</nav>\n"
    }

    /// The `pageList` of toc.ncx, its play order following the nav map's.
    func ncx(label: String, playOrderAfter start: Int) -> String {
        var result = "  <pageList>\n    <navLabel><text>\(Markup.text(label))</text></navLabel>\n"
        for (index, entry) in entries.enumerated() {
            result += "    <pageTarget id=\"pagetarget-\(entry.folio)\" type=\"normal\" value=\"\(entry.folio)\" playOrder=\"\(start + index + 1)\">\n"
            result += "      <navLabel><text>\(entry.folio)</text></navLabel>\n"
            result += "      <content src=\"\(Markup.attribute(Self.href(entry)))\"/>\n"
            result += "    </pageTarget>\n"
        }
        return result + "  </pageList>\n"
    }

    static func href(_ entry: Entry) -> String {
        (entry.document.hasPrefix("EPUB/") ? String(entry.document.dropFirst(5)) : entry.document) + "#" + entry.id
    }

    /// What `pageBreakSource` names: the print edition, with its periodical's ISSN.
    static func source(of book: Book) -> String {
        let metadata = book.metadata
        guard let periodical = metadata.periodical else { return "\(metadata.title), print edition" }
        var name = periodical.name + (periodical.edition.map { " \($0)" } ?? "") + ", print edition"
        if let issn = periodical.issn { name += ", ISSN \(issn)" }
        return name
    }

    /// The highest folio, for toc.ncx's dtb:maxPageNumber.
    var maxFolio: Int { entries.map(\.folio).max() ?? 0 }
}
