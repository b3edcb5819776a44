import Foundation

/// The PDF's text layer: every word poppler's `pdftotext -raw -bbox` reads from the PDF (what a
/// reader's search or copy gets), with its box, sorted into the parts of its page by the
/// geometry WeasyPrint laid the page out with (the page map's `area` and `footnotes`):
///   - the main flow: inside the page area and above the footnote area;
///   - the footnotes: inside the page area, from the top of the footnote area down;
///   - the margins: outside the page area, where the margin boxes print the running heads
///     (above) and the folio (below). The folio is what the bottom margin prints.
/// A word belongs where the middle of its box is. `-raw` keeps the words in the order of the
/// PDF's content stream, which is the order WeasyPrint lays the boxes out in (a page's first
/// column, then its second; a superscript note call right after the word it follows), so no
/// guess at the reading order of columns is needed.
struct PDFTextLayer {
    struct Word: Equatable {
        var text: String
        /// The page's index in the PDF, 0-based.
        var page: Int
        var minX: Double, minY: Double, maxX: Double, maxY: Double
        /// Whether the next word of the same part of the page is on another line (or there is
        /// none): a hyphen at the end of such a word may be one WeasyPrint added to break it.
        var endsLine = false

        var midX: Double { (minX + maxX) / 2 }
        var midY: Double { (minY + maxY) / 2 }
    }

    struct Page {
        var flow: [Word] = []
        var notes: [Word] = []
        /// The margins: the running heads above (and anything beside the page area).
        var top: [Word] = []
        /// Below the page area: the folio.
        var bottom: [Word] = []
        /// What the bottom margin prints, its words joined ("12"); nil when it prints nothing.
        var folio: String? { bottom.isEmpty ? nil : bottom.map(\.text).joined(separator: " ") }
    }

    var pages: [Page]

    /// Every word of the main flow, page after page, and every word of the footnote areas.
    var flow: [Word] { pages.flatMap(\.flow) }
    var notes: [Word] { pages.flatMap(\.notes) }

    /// Reads `pdf`; `map` is the page map WeasyPrint's driver wrote when it made it.
    init(pdf: URL, map: PageMap, environment: [String: String]) throws {
        let bbox = try Self.run("pdftotext", ["-raw", "-bbox", "-enc", "UTF-8", pdf.path, "-"], environment: environment)
        let read = Self.parse(bbox)
        guard read.count == map.pages.count else {
            throw BuildFailure([.error(.verifyPDFText, "\(pdf.relativePath) has \(read.count) pages and its page map \(map.pages.count): the map is of another PDF",
                                       at: SourceLocation(file: pdf.relativePath, line: 1), hint: "run edition build --pdf again")])
        }
        pages = zip(read, map.pages).map { words, page in Self.sort(words, page) }
    }

    init(pages: [Page]) { self.pages = pages }

    /// The words of each page of pdftotext's `-bbox` XHTML, in its order.
    static func parse(_ text: String) -> [[Word]] {
        var pages: [[Word]] = []
        for line in text.split(separator: "\n") {
            let line = line.drop { $0 == " " }
            if line.hasPrefix("<page ") {
                pages.append([])
            } else if line.hasPrefix("<word "), !pages.isEmpty,
                      let close = line.firstIndex(of: ">"), let end = line.range(of: "</word>", options: .backwards) {
                let attributes = line[..<close]
                func number(_ name: String) -> Double {
                    guard let start = attributes.range(of: " \(name)=\"") else { return 0 }
                    return Double(attributes[start.upperBound...].prefix { $0 != "\"" }) ?? 0
                }
                var word = String(line[line.index(after: close)..<end.lowerBound])
                for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
                    word = word.replacingOccurrences(of: entity, with: character)
                }
                pages[pages.count - 1].append(Word(text: word, page: pages.count - 1, minX: number("xMin"), minY: number("yMin"),
                                                   maxX: number("xMax"), maxY: number("yMax")))
            }
        }
        return pages
    }

    /// Sorts a page's words into its parts and marks the words that end a line.
    static func sort(_ words: [Word], _ page: PageMap.Page) -> Page {
        var result = Page()
        let area = page.area ?? []
        for word in words {
            if area.count == 4 && word.midY > area[1] + area[3] {
                result.bottom.append(word)
            } else if area.count == 4 && (word.midY < area[1] || word.midX < area[0] || word.midX > area[0] + area[2]) {
                result.top.append(word)
            } else if let footnotes = page.footnotes, word.midY >= footnotes {
                result.notes.append(word)
            } else {
                result.flow.append(word)
            }
        }
        for part in [\Page.flow, \Page.notes] {
            for index in result[keyPath: part].indices {
                let word = result[keyPath: part][index]
                let next = result[keyPath: part].dropFirst(index + 1).first
                result[keyPath: part][index].endsLine = next.map { next in
                    next.minX < word.maxX - 0.5 || abs(next.midY - word.midY) > (word.maxY - word.minY) / 2
                } ?? true
            }
        }
        return result
    }

    static func run(_ program: String, _ arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BuildFailure([.error(.toolMissing, "\(program) failed or is not installed (exit status \(process.terminationStatus))",
                                       at: nil, hint: "run scripts/build, which installs poppler-utils")])
        }
        return String(decoding: data, as: UTF8.self)
    }
}
