import Foundation

/// The PDF against the print edition: its text layer word by word (the main flow and the
/// footnotes, `verify-pdf-text`), the printed contents' titles and page numbers against the
/// pages the titles are on (`verify-contents`), and the EPUB's page list against its pages
/// (`verify-page-list`). The print edition's words are the model's (`compareWords` checks
/// them against the book as it renders now), so a difference is reported at its place in the
/// print HTML, with the article's file and paragraph.
extension Verifier {
    /// What is known of the PDF's pages after reading its text.
    struct PDFPages {
        var layer: PDFTextLayer
        /// The page (0-based) each article's opening is on, by article id: where its title is.
        var openings: [String: Int] = [:]

        /// The folio of page `index`: what its bottom margin prints, else counted from the
        /// nearest page before it that prints a number (a page without a folio, an article's
        /// first page in some styles, still has its number).
        func folio(ofPage index: Int) -> String? {
            if let printed = layer.pages[index].folio { return printed }
            for before in stride(from: index - 1, through: 0, by: -1) {
                if let printed = layer.pages[before].folio.flatMap({ Int($0) }) { return String(printed + index - before) }
            }
            return nil
        }
    }

    /// The classes left out of the main flow's words: the notes (in the footnote area) and the
    /// running heads' empty blocks. Note citations and uncited notes are in the flow.
    static let flowSkipped: Set<String> = ["footnote", "running-head"]

    /// Every check of the PDF; `print` is the print HTML the PDF was made from.
    func comparePDF(_ context: EditionContext, print: Output, pdf: URL, map: PageMap, epub: EPUBReader, epubName: String) -> [Diagnostic] {
        let layer: PDFTextLayer
        do { layer = try PDFTextLayer(pdf: pdf, map: map, environment: environment) } catch let failure as BuildFailure {
            return failure.diagnostics
        } catch {
            return [.error(.toolMissing, "cannot read \(pdf.relativePath): \(error)", at: nil, hint: "run scripts/build, which installs poppler-utils")]
        }
        var pages = PDFPages(layer: layer)
        var result = compareText(context, print: print, pages: &pages, pdfName: pdf.relativePath)
        result += compareContents(context, print: print, pages: pages, pdfName: pdf.relativePath)
        result += comparePageList(epub: epub, epubName: epubName, pages: pages)
        return result
    }

    // MARK: The text layer

    /// Each article's words against the PDF's main flow from the page its opening is on, and
    /// its footnotes against the footnote areas; the first difference of each.
    func compareText(_ context: EditionContext, print: Output, pages: inout PDFPages, pdfName: String) -> [Diagnostic] {
        let flow = pages.layer.flow, notes = pages.layer.notes
        let flowLetters = flow.map { TextAlignment.letters($0.text) }
        let noteLetters = notes.map { TextAlignment.letters($0.text) }
        // The first word of the flow on each page, and of the footnotes on or after each page.
        var firstOnPage: [Int: Int] = [:]
        for (index, word) in flow.enumerated() where firstOnPage[word.page] == nil { firstOnPage[word.page] = index }
        func firstNote(onOrAfter page: Int) -> Int { notes.firstIndex { $0.page >= page } ?? notes.count }
        let reader = print.words
        var result: [Diagnostic] = []
        var searchFrom = 0
        var notesCursor = 0
        for article in context.articles {
            guard let words = reader.words(inElementWithID: article.id, skipping: Self.flowSkipped)?.words, !words.isEmpty else { continue }
            let letters = words.map { TextAlignment.letters($0.text) }
            // The page the article opens on: the first page (after the last article's) whose
            // flow begins with the article's first letters; failing that, with its words from
            // a later one (the first words are missing from the PDF).
            var opening: (page: Int, skipped: Int)?
            search: for skipped in 0..<min(40, words.count) {
                for page in searchFrom..<pages.layer.pages.count {
                    guard let first = firstOnPage[page] else { continue }
                    if TextAlignment.begins(Array(letters[skipped...]), letters: 80, flow, flowLetters, at: first) {
                        opening = (page, skipped)
                        break search
                    }
                }
            }
            guard let (page, skipped) = opening, let first = firstOnPage[page] else {
                result.append(.error(.verifyPDFText, "\(article.file): the article (“\(Self.quote(words.prefix(8).map(\.text)))”) begins no page of \(pdfName)",
                                     at: print.location(words[0].start)))
                continue
            }
            pages.openings[article.id] = page
            searchFrom = page + 1
            let where_ = "page \(page + 1) of the PDF"
            if skipped > 0 {
                result.append(.error(.verifyPDFText, "\(article.file): \(paragraph(of: words[0], in: print, article: article)): “\(Self.quote(words.prefix(skipped).prefix(8).map(\.text)))” is not in \(pdfName): \(where_) begins with “\(Self.quote(words[skipped...].prefix(6).map(\.text)))”",
                                     at: print.location(words[0].start)))
            } else {
                switch TextAlignment.match(letters, flow, flowLetters, from: first) {
                case .differs(let book, let found):
                    result.append(difference(article, words, book, found.map { flow[$0...].prefix(6) }, print: print, what: pdfName))
                case .matched(let next):
                    // After the article's last word, the rest of its last page is empty (what
                    // follows, a part's page or the colophon, begins a page of its own), but
                    // for list markers: WeasyPrint draws a list's markers after its items.
                    let last = flow[next - 1].page
                    let extra = flow[next...].prefix { $0.page == last }.filter { !TextAlignment.isMarker($0.text) }.prefix(6).map(\.text)
                    if !extra.isEmpty {
                        result.append(.error(.verifyPDFText, "\(article.file): after the article's last word, page \(last + 1) of \(pdfName) goes on with “\(Self.quote(extra))”, which the print edition does not have",
                                             at: print.location(words[words.count - 1].start)))
                    }
                }
            }
            // The footnotes, in the order they are cited.
            var noteWords: [(word: MarkupWords.Word, label: String)] = []
            for note in footnotes(of: article, in: print) {
                for word in reader.words(inElementWithID: note.id, skipping: [])?.words ?? [] { noteWords.append((word, note.label)) }
            }
            guard !noteWords.isEmpty else { continue }
            let start = max(notesCursor, firstNote(onOrAfter: page))
            switch TextAlignment.match(noteWords.map { TextAlignment.letters($0.word.text) }, notes, noteLetters, from: start) {
            case .matched(let next):
                notesCursor = next
            case .differs(let book, let found):
                let label = noteWords[book].label
                let first = noteWords.firstIndex { $0.label == label } ?? book
                let context = noteWords[max(first, book - 4)..<book].map(\.word.text)
                let there = found.map { "the footnotes of page \(notes[$0].page + 1) have “\(Self.quote(notes[$0...].prefix(6).map(\.text)))”" }
                    ?? "the PDF's footnotes end"
                result.append(.error(.verifyPDFText, "\(article.file): note \(label)\(context.isEmpty ? "" : ", after “\(Self.quote(context))”"): \(there) where the print edition has “\(Self.quote(noteWords[book...].prefix(6).map(\.word.text)))”",
                                     at: print.location(noteWords[book].word.start)))
                notesCursor = found ?? notes.count
            }
        }
        return result
    }

    /// The diagnostic for the book's word `book` of an article not being where the PDF's
    /// words `found` are (nil: the PDF's text ended).
    func difference(_ article: Article, _ words: [MarkupWords.Word], _ book: Int, _ found: ArraySlice<PDFTextLayer.Word>?, print: Output, what: String) -> Diagnostic {
        let context = words[max(0, book - 4)..<book].map(\.text)
        let there = found.flatMap { $0.first.map { "page \($0.page + 1) of \(what) has “\(Self.quote(found!.map(\.text)))”" } }
            ?? "\(what)'s text ends"
        return .error(.verifyPDFText, "\(article.file): \(paragraph(of: words[book], in: print, article: article))\(context.isEmpty ? "" : ", after “\(Self.quote(context))”"): \(there) where the print edition has “\(Self.quote(words[book...].prefix(6).map(\.text)))”",
                      at: print.location(words[book].start))
    }

    /// Where a word is in its article: "paragraph N" (the N-th `<p>` of the article's body),
    /// or "its heading" before its body.
    func paragraph(of word: MarkupWords.Word, in print: Output, article: Article) -> String {
        guard let opening = print.words.openingTag(withID: article.id) else { return "its text" }
        let bytes = Array(print.markup.utf8)
        let marker = Array("class=\"article-body\"".utf8)
        guard let body = (opening..<max(opening, word.start)).first(where: { bytes[$0..<min(bytes.count, $0 + marker.count)].elementsEqual(marker) })
        else { return "its heading" }
        var count = 0
        var index = body
        while index + 3 <= word.start && index + 3 <= bytes.count {
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "p"),
               bytes[index + 2] == UInt8(ascii: ">") || bytes[index + 2] == UInt8(ascii: " ") { count += 1 }
            index += 1
        }
        return count == 0 ? "the start of its body" : "paragraph \(count)"
    }

    /// The article's notes that are footnotes in the print edition (not an uncited note at
    /// its end), in the order of the markup: the order WeasyPrint sets them in.
    func footnotes(of article: Article, in print: Output) -> [(id: String, label: String)] {
        let markup = print.markup
        var found: [(offset: Int, id: String, label: String)] = []
        for note in article.notes {
            let id = Ids.note(article, note.label)
            guard let range = markup.range(of: " id=\"\(id)\""),
                  let open = markup[..<range.lowerBound].lastIndex(of: "<"),
                  markup[open..<range.lowerBound].contains("class=\"footnote\"") else { continue }
            found.append((markup.utf8.distance(from: markup.utf8.startIndex, to: open), id, note.label))
        }
        return found.sorted { $0.offset < $1.offset }.map { ($0.id, $0.label) }
    }

    static func quote(_ words: some Sequence<String>) -> String { words.joined(separator: " ") }

    // MARK: The contents

    /// Each article's entry in the printed contents: its title as the print edition's
    /// contents give it, and after the leader the number of the page the article's title is
    /// actually on (`PDFPages.openings`, found by its words).
    func compareContents(_ context: EditionContext, print: Output, pages: PDFPages, pdfName: String) -> [Diagnostic] {
        let flow = pages.layer.flow
        let letters = flow.map { TextAlignment.letters($0.text) }
        // The contents are before the first article's page.
        guard let firstOpening = pages.openings.values.min() else { return [] }
        let end = flow.firstIndex { $0.page >= firstOpening } ?? flow.count
        var result: [Diagnostic] = []
        var cursor = 0
        for article in context.articles {
            guard let entry = contentsEntry(article, in: print.markup) else { continue }
            let place = print.location(entry.offset)
            let title = entry.words.map(TextAlignment.letters)
            guard let at = (cursor..<end).first(where: { TextAlignment.begins(title, letters: Int.max, flow, letters, at: $0) }),
                  case .matched(let next) = TextAlignment.match(title, flow, letters, from: at) else {
                result.append(.error(.verifyContents, "the contents of \(pdfName) do not list “\(Self.quote(entry.words))” (\(article.file))", at: place))
                continue
            }
            cursor = next
            // The leader's dots, then the number.
            while cursor < end, !letters[cursor].isEmpty, letters[cursor].allSatisfy({ $0 == "." || $0 == "·" || $0 == "…" }) { cursor += 1 }
            let printed = cursor < end ? flow[cursor].text : nil
            guard let printed, printed.allSatisfy({ $0.isNumber || $0.isLetter }) else {
                result.append(.error(.verifyContents, "the contents of \(pdfName) give no page number for “\(Self.quote(entry.words))” (\(article.file))", at: place))
                continue
            }
            cursor += 1
            guard let opening = pages.openings[article.id] else { continue }  // reported by compareText
            let folio = pages.folio(ofPage: opening)
            if printed != folio {
                result.append(.error(.verifyContents, "the contents of \(pdfName) give page \(printed) for “\(Self.quote(entry.words))” (\(article.file)); its title is on page \(opening + 1) of the PDF, which is numbered \(folio ?? "nothing")",
                                     at: place))
            }
        }
        return result
    }

    /// An article's entry in the print edition's contents: the words of its link and where
    /// they are (the UTF-8 offset of the link's text).
    func contentsEntry(_ article: Article, in markup: String) -> (words: [String], offset: Int)? {
        guard let nav = markup.range(of: "<nav class=\"contents\""),
              let navEnd = markup.range(of: "</nav>", range: nav.upperBound..<markup.endIndex),
              let link = markup.range(of: "href=\"#\(article.id)\"", range: nav.upperBound..<navEnd.lowerBound),
              let tagEnd = markup[link.upperBound...].firstIndex(of: ">"),
              let close = markup.range(of: "</a>", range: tagEnd..<navEnd.lowerBound) else { return nil }
        var text = String(markup[markup.index(after: tagEnd)..<close.lowerBound])
        text = text.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        return words.isEmpty ? nil : (words, markup.utf8.distance(from: markup.utf8.startIndex, to: markup.index(after: tagEnd)))
    }

    // MARK: The page list

    /// The EPUB's page list against the PDF's pages: one entry per folio, in order, and after
    /// each marker the words its page's flow begins with.
    func comparePageList(epub: EPUBReader, epubName: String, pages: PDFPages) -> [Diagnostic] {
        let layer = pages.layer
        guard let first = layer.pages.firstIndex(where: { $0.folio.flatMap { Int($0) } != nil }),
              let start = layer.pages[first].folio.flatMap({ Int($0) }) else { return [] }
        let folios = (first..<layer.pages.count).map { (folio: start + $0 - first, index: $0) }
        let nav = epub["EPUB/nav.xhtml"]?.text ?? ""
        var list: [(label: String, href: String)] = []
        if let open = nav.range(of: "epub:type=\"page-list\""), let close = nav.range(of: "</nav>", range: open.upperBound..<nav.endIndex) {
            list = nav[open.upperBound..<close.lowerBound].matches(of: /<a href="([^"]+)">([^<]*)<\/a>/).map { (String($0.2), String($0.1)) }
        }
        var result: [Diagnostic] = []
        let navName = "\(epubName)/EPUB/nav.xhtml"
        if list.map(\.label) != folios.map({ String($0.folio) }) {
            let missing = folios.map { String($0.folio) }.filter { folio in !list.contains { $0.label == folio } }
            result.append(.error(.verifyPageList, "the page list has \(list.count) entries (\(list.first?.label ?? "")–\(list.last?.label ?? "")); the PDF has \(folios.count) numbered pages (\(folios.first.map { String($0.folio) } ?? "")–\(folios.last.map { String($0.folio) } ?? ""))\(missing.isEmpty ? "" : "; not in the list: \(missing.prefix(10).joined(separator: ", "))")",
                                 at: SourceLocation(file: navName, line: 1)))
        }
        for (folio, index) in folios {
            guard let entry = list.first(where: { $0.label == String(folio) }),
                  let page = layer.pages[index...].first(where: { !$0.flow.isEmpty }) else { continue }
            let parts = entry.href.split(separator: "#").map(String.init)
            guard parts.count == 2, let document = epub["EPUB/" + parts[0]]?.text,
                  let after = MarkupWords.words(afterElementWithID: parts[1], in: document) else {
                result.append(.error(.verifyPageList, "page \(folio): the page list points to \(entry.href), which the EPUB does not have", at: SourceLocation(file: navName, line: 1)))
                continue
            }
            let expected = Array(Self.plain(Self.joined(page.flow)).prefix(4))
            let found = Array(Self.plain(after.words).prefix(4))
            // The page may begin inside a word the line before broke: the marker is before
            // the whole word.
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

    /// A page's words with the words the layout broke at a line's end joined again: without
    /// the hyphen WeasyPrint added (U+2010), with a hyphen the word has ("-").
    static func joined(_ words: [PDFTextLayer.Word]) -> [String] {
        var result: [String] = []
        var carried = ""
        for word in words.prefix(40) {
            let text = carried + word.text
            carried = ""
            if word.endsLine, text.hasSuffix("\u{2010}") {
                carried = String(text.dropLast())
            } else if word.endsLine, text.hasSuffix("-"), text.count > 1 {
                carried = text
            } else {
                result.append(text)
            }
        }
        if !carried.isEmpty { result.append(carried) }
        return result
    }

    /// Words without the punctuation around them; numbers left out (the PDF prints note
    /// citations as numbers in the line, the EPUB's words leave citations out).
    static func plain(_ words: [String]) -> [String] {
        words.map { $0.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .punctuationCharacters.union(.symbols)) }
            .filter { !$0.isEmpty && !$0.allSatisfy(\.isNumber) }
    }
}
