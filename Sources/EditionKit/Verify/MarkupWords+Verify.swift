import Foundation

extension MarkupWords {
    /// The number a note shows: the text of the first `.note-number` after its id.
    static func label(ofNote id: String, in markup: String) -> String? {
        guard let attribute = markup.range(of: " id=\"\(id)\"") else { return nil }
        let rest = markup[attribute.upperBound...]
        guard let number = rest.range(of: "class=\"note-number\""),
              let close = rest[number.upperBound...].firstIndex(of: ">"),
              let end = rest[close...].range(of: "</") else { return nil }
        return String(rest[rest.index(after: close)..<end.lowerBound]).trimmingCharacters(in: .whitespaces)
    }

    /// The words after the (empty) element with `id`, note citations and tags left out, and
    /// the UTF-8 offset of the element's tag.
    static func words(afterElementWithID id: String, in markup: String, count: Int = 12) -> (words: [String], markerOffset: Int)? {
        guard let attribute = markup.range(of: " id=\"\(id)\""),
              let open = markup[..<attribute.lowerBound].lastIndex(of: "<"),
              let tagEnd = markup[attribute.upperBound...].firstIndex(of: ">") else { return nil }
        var rest = String(markup[markup.index(after: tagEnd)...])
        rest = rest.replacingOccurrences(of: #"<a class="noteref"[^>]*>[^<]*</a>"#, with: "", options: .regularExpression)
        rest = rest.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            rest = rest.replacingOccurrences(of: entity, with: character)
        }
        let words = rest.replacingOccurrences(of: "\u{AD}", with: "").split(whereSeparator: { $0.isWhitespace }).prefix(count).map(String.init)
        return (Array(words), markup.utf8.distance(from: markup.utf8.startIndex, to: open))
    }
}
