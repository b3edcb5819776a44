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
    /// Diagnostics found while sketching: control characters, dangerous addresses.
    var findings: [(line: Int, column: Int, code: DiagnosticCode, message: String)] = []

    init(firstLine: Int) {
        self.firstLine = firstLine
        bytes = Array("<_m \(XHTMLFragment.rootAttributes)>".utf8)
    }

    /// Pads with line breaks and spaces up to a source position (never back).
    mutating func move(toLine sourceLine: Int, column sourceColumn: Int) {
        let target = sourceLine - firstLine + 2
        guard target >= line else { return }
        while line < target { bytes.append(10); line += 1; column = 1 }
        while column < sourceColumn { bytes.append(32); column += 1 }
    }

    mutating func open() { append(Array("<_m>".utf8)) }
    mutating func close() { append(Array("</_m>".utf8)) }

    /// Raw HTML, as written.
    mutating func html(_ text: String) {
        hasHTML = true
        append(Array(text.utf8))
    }

    /// Text: kept for its width, markup characters blanked; characters XML does not allow
    /// (an entity such as `&#1;` decodes to one) are reported.
    mutating func text(_ text: String, atLine sourceLine: Int, column sourceColumn: Int) {
        var offset = 0
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if Self.isForbidden(scalar) {
                findings.append((sourceLine, sourceColumn + offset, .characterInvalid,
                                 "the text holds the control character \(Self.name(scalar)), which XHTML does not allow (written as an entity?)"))
            }
            let width = UTF8.width(scalar)
            if scalar == "<" || scalar == "&" || scalar == ">" || Self.isForbidden(scalar) || scalar == "\n" {
                output.append(UInt8(ascii: "_"))
            } else {
                output.append(contentsOf: String(scalar).utf8)
            }
            offset += width
        }
        append(output)
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
            let line = sketch.sourceLine(malformed.line)
            malformedLine = line
            // libxml2 names other places by their line in the sketch ("tag b line 4").
            let message = readable(malformed.message) { place(sketch.sourceLine($0), 1).line }
            result.append(.error(.htmlMalformed, "raw HTML is not well-formed XHTML: \(message)",
                                 at: place(line, max(malformed.column, 1)), hint: hint(for: malformed.message)))
        }
        for unsafe in inspected.unsafe {
            result.append(.error(.htmlUnsafe, unsafe.message, at: place(sketch.sourceLine(unsafe.line), 1),
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
