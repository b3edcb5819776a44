/// A sketch of one stretch of an article's markup (its body, or one note) that libxml2 can
/// parse at load time: the raw HTML as written, each Markdown element as a stand-in element
/// (`<_m>`), text with its markup characters blanked. Lines and columns follow the source, so
/// libxml2's positions are the Markdown's. An opening tag and its closing tag in different
/// inline nodes, or an HTML block around Markdown, are checked as the run they form.
struct MarkupSketch {
    /// The source line (of the Markdown text, front matter excluded) of the sketch's line 2;
    /// line 1 holds the stand-in root element.
    let firstLine: Int
    private(set) var bytes: [UInt8]
    /// Where the sketch stands: line 1 is the root's, and the stand-ins opened before the first
    /// text go there too, so that line 2 starts with what column 1 of `firstLine` holds.
    private var line = 1
    private var column = 1
    private(set) var hasHTML = false
    /// Each piece of raw HTML with the source place it starts at.
    private(set) var segments: [(line: Int, column: Int, text: String)] = []
    /// Diagnostics found while sketching: control characters, dangerous addresses.
    var findings: [(line: Int, column: Int, code: DiagnosticCode, message: String)] = []

    /// Whether the sketch is written: false for a stretch without raw HTML, which libxml2 has
    /// nothing to check in; the sketch then only collects `findings`.
    let recording: Bool

    init(firstLine: Int, recording: Bool = true) {
        self.firstLine = firstLine
        self.recording = recording
        bytes = recording ? Array("<_m \(XHTMLFragment.rootAttributes)>".utf8) : []
    }

    /// Pads with line breaks and spaces up to a source position (never back).
    mutating func move(toLine sourceLine: Int, column sourceColumn: Int) {
        guard recording else { return }
        let target = sourceLine - firstLine + 2
        guard target >= line else { return }
        while line < target { bytes.append(10); line += 1; column = 1 }
        while column < sourceColumn { bytes.append(32); column += 1 }
    }

    mutating func open() { if recording { append(Array("<_m>".utf8)) } }
    mutating func close() { if recording { append(Array("</_m>".utf8)) } }

    /// Raw HTML, as written.
    mutating func html(_ text: String, atLine sourceLine: Int, column sourceColumn: Int) {
        hasHTML = true
        segments.append((sourceLine, sourceColumn, text))
        append(Array(text.utf8))
    }

    /// Text: kept for its width, markup characters blanked; characters XML does not allow
    /// (an entity such as `&#1;` decodes to one) are reported.
    mutating func text(_ text: String, atLine sourceLine: Int, column sourceColumn: Int) {
        // On the bytes (the hot path of loading): a forbidden character or one of `<&>` and a
        // line feed becomes one `_`; everything else is copied as it is.
        var output: [UInt8] = []
        if recording { output.reserveCapacity(text.utf8.count) }
        let recording = recording
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                // Eight bytes with nothing to report or blank are passed over (copied) whole.
                if offset + 8 <= bytes.count {
                    let word = ByteScan.word(bytes, at: offset)
                    if !ByteScan.hasBelow(word, 0x20), !ByteScan.has(word, 0xEF),
                       !recording || !(ByteScan.has(word, UInt8(ascii: "<")) || ByteScan.has(word, UInt8(ascii: "&"))
                                       || ByteScan.has(word, UInt8(ascii: ">"))) {
                        if recording { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + 8)])) }
                        offset += 8
                        continue
                    }
                }
                let byte = bytes[offset]
                var width = 1
                var forbidden: Unicode.Scalar?
                if byte < 0x20, byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
                    forbidden = Unicode.Scalar(byte)
                } else if byte == 0xEF, offset + 2 < bytes.count, bytes[offset + 1] == 0xBF,
                          bytes[offset + 2] == 0xBE || bytes[offset + 2] == 0xBF {
                    forbidden = Unicode.Scalar(0xFFC0 + UInt32(bytes[offset + 2] & 0x3F))
                    width = 3
                }
                if let forbidden {
                    findings.append((sourceLine, sourceColumn + offset, .characterInvalid,
                                     "the text holds the control character \(Self.name(forbidden)), which XHTML does not allow (written as an entity?)"))
                    output.append(UInt8(ascii: "_"))
                } else if !recording {
                    // Only the forbidden characters are looked for.
                } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: ">")
                            || byte == UInt8(ascii: "\n") {
                    output.append(UInt8(ascii: "_"))
                } else {
                    output.append(byte)
                }
                offset += width
            }
        }
        if recording { append(output) }
    }

    /// An address of a link or an image.
    mutating func address(_ url: String, title: String, image: Bool, atLine sourceLine: Int, column sourceColumn: Int) {
        if let scheme = URLSafety.dangerousScheme(url), !(image && scheme == "data:") {
            findings.append((sourceLine, sourceColumn, .htmlUnsafe,
                             "a \(scheme) address in a Markdown \(image ? "image" : "link") ('\(url.prefix(40))')"))
        }
        for scalar in (url + title).unicodeScalars where Self.isForbidden(scalar) {
            findings.append((sourceLine, sourceColumn, .characterInvalid,
                             "the address or title holds the control character \(Self.name(scalar)), which XHTML does not allow"))
            break
        }
    }

    /// The source column where `needle` (any case) first stands on `sourceLine` in raw HTML.
    func column(of needle: String, onLine sourceLine: Int) -> Int? {
        let lowerNeedle = needle.lowercased()
        for segment in segments where segment.line <= sourceLine {
            let lines = segment.text.split(separator: "\n", omittingEmptySubsequences: false)
            let index = sourceLine - segment.line
            guard index < lines.count else { continue }
            let text = lines[index].lowercased()
            guard let range = text.range(of: lowerNeedle) else { continue }
            return (index == 0 ? segment.column : 1) + text.utf8.distance(from: text.startIndex, to: range.lowerBound)
        }
        return nil
    }

    /// The source place of the last `needle` in raw HTML, on any line.
    func lastPlace(of needle: String) -> (line: Int, column: Int)? {
        for segment in segments.reversed() {
            let lines = segment.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated().reversed() {
                guard let range = line.range(of: needle, options: .backwards) else { continue }
                return (segment.line + index, (index == 0 ? segment.column : 1) + line.utf8.distance(from: line.startIndex, to: range.lowerBound))
            }
        }
        return nil
    }

    func finished() -> [UInt8] { bytes + Array("\n</_m>\n".utf8) }

    /// Source position of a sketch position.
    func sourceLine(_ sketchLine: Int) -> Int { max(sketchLine - 2 + firstLine, firstLine) }

    private mutating func append(_ output: [UInt8]) {
        for byte in output {
            if byte == 10 { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        bytes += output
    }

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    static func name(_ scalar: Unicode.Scalar) -> String { String(format: "U+%04X", scalar.value) }
}

import Foundation

/// Turns a sketch into diagnostics: libxml2's first error as `html-malformed`, unsafe markup as
/// `html-unsafe`, and what the sketch found itself, each at its Markdown position.
enum RawHTMLCheck {
    /// The diagnostics, and the source line of libxml2's error when there is one (the caller
    /// checks what follows it again).
    static func check(_ sketch: MarkupSketch, at place: (Int, Int) -> SourceLocation) -> (diagnostics: [Diagnostic], malformedLine: Int?) {
        var result = sketch.findings.map { finding in
            Diagnostic.error(finding.code, finding.message, at: place(finding.line, finding.column),
                             hint: finding.code == .htmlUnsafe ? "nothing that can run or reach the reader's files is published" : "delete it or write the character it stands for")
        }
        guard sketch.hasHTML else { return (result, nil) }
        let bytes = sketch.finished()
        let inspected = XHTMLFragment.inspect(String(decoding: bytes, as: UTF8.self))
        var malformedLine: Int?
        if let malformed = inspected.malformed {
            var line = sketch.sourceLine(malformed.line)
            var column = max(malformed.column, 1)
            // Point at the tag or entity at fault where libxml2 names it, not where it noticed.
            let text = malformed.message
            if let match = text.firstMatch(of: /^Opening and ending tag mismatch: (\S+) line ([0-9]+) and _m$/),
               let opened = Int(match.2) {
                let openLine = sketch.sourceLine(opened)
                if let found = sketch.column(of: "<" + match.1, onLine: openLine) { (line, column) = (openLine, found) }
            } else if let match = text.firstMatch(of: /^Opening and ending tag mismatch: _m line [0-9]+ and (\S+)$/),
                      let found = sketch.column(of: "</" + match.1, onLine: line) {
                column = found
            } else if let match = text.firstMatch(of: /^Entity '(\S+)' not defined$/),
                      let found = sketch.column(of: "&\(match.1);", onLine: line) {
                column = found
            } else if text.hasPrefix("Comment not terminated"), let found = sketch.lastPlace(of: "<!--") {
                (line, column) = found
            }
            malformedLine = line
            // libxml2 names other places by their line in the sketch ("tag b line 4").
            let message = readable(malformed.message) { place(sketch.sourceLine($0), 1).line }
            result.append(.error(.htmlMalformed, "raw HTML is not well-formed XHTML: \(message)",
                                 at: place(line, column), hint: hint(for: malformed.message)))
        }
        for unsafe in inspected.unsafe {
            let line = sketch.sourceLine(unsafe.line)
            let column = unsafe.needle.flatMap { sketch.column(of: $0, onLine: line) } ?? 1
            result.append(.error(.htmlUnsafe, unsafe.message, at: place(line, column),
                                 hint: "nothing that can run or reach the reader's files is published"))
        }
        return (result, malformedLine)
    }

    /// libxml2 names the stand-in elements and lines of the sketch; say what they stand for.
    static func readable(_ message: String, line: (Int) -> Int) -> String {
        var text = message
        if let range = text.range(of: #" line [0-9]+"#, options: .regularExpression),
           let number = Int(text[range].dropFirst(6)) {
            text.replaceSubrange(range, with: " (line \(line(number)))")
        }
        if let match = text.firstMatch(of: /^Opening and ending tag mismatch: _m \(line [0-9]+\) and (\S+)$/) {
            return "</\(match.1)> closes a tag that is not open here"
        }
        if let match = text.firstMatch(of: /^Opening and ending tag mismatch: (\S+) \((line [0-9]+)\) and _m$/) {
            return "<\(match.1)> (\(match.2)) is not closed before the end of its Markdown paragraph or block"
        }
        return text.replacingOccurrences(of: "_m", with: "(the Markdown around it)")
    }

    static func hint(for message: String) -> String {
        if message.contains("Entity") && message.contains("not defined") {
            return "XHTML knows only &amp; &lt; &gt; &quot; &apos; and numbers: write the character itself (&nbsp; is &#160;)"
        }
        if message.contains("Comment") || message.contains("comment") { return "a comment may not contain '--' and must end with '-->'" }
        if message.contains("invalid element name") { return "a DOCTYPE or a '<' that starts no tag: write &lt; for a literal '<'" }
        return "close every tag (<br/>, not <br>) and quote every attribute"
    }
}
