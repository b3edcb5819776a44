import Foundation

/// The package document (`package.opf`): metadata, manifest and spine.
struct PackageDocument {
    let context: EditionContext
    let modified: BuildDate
    /// The publication's files (not `mimetype`, the container file or the package document).
    let files: [EPUBFile]
    /// Whether the documents carry the print edition's page breaks (PageList).
    var hasPageList = false

    var book: Book { context.book }

    func render() -> String {
        let metadata = book.metadata
        var lines: [String] = []
        func add(_ line: String) { lines.append("    " + line) }
        add("<dc:identifier id=\"pub-id\">\(Markup.text(metadata.identifier))</dc:identifier>")
        add("<dc:title id=\"title\">\(Markup.text(metadata.title))</dc:title>")
        add("<meta refines=\"#title\" property=\"title-type\">main</meta>")
        if let subtitle = metadata.subtitle {
            add("<dc:title id=\"subtitle\">\(Markup.text(subtitle))</dc:title>")
            add("<meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>")
        }
        if let periodical = metadata.periodical {
            add("<meta property=\"belongs-to-collection\" id=\"periodical\">\(Markup.text(periodical.name))</meta>")
            add("<meta refines=\"#periodical\" property=\"collection-type\">series</meta>")
            if let edition = periodical.edition {
                add("<meta refines=\"#periodical\" property=\"group-position\">\(edition)</meta>")
            }
            if let issn = periodical.issn {
                add("<meta refines=\"#periodical\" property=\"dcterms:identifier\">urn:issn:\(Markup.text(issn))</meta>")
            }
        }
        add("<dc:language>\(Markup.text(metadata.language))</dc:language>")
        for language in context.facts.otherLanguages {
            add("<dc:language>\(Markup.text(language))</dc:language>")
        }
        add("<dc:date>\(Markup.text(metadata.date))</dc:date>")
        add("<meta property=\"dcterms:modified\">\(modified.iso8601)</meta>")
        if let publisher = metadata.publisher { add("<dc:publisher>\(Markup.text(publisher))</dc:publisher>") }
        if let rights = metadata.rights { add("<dc:rights>\(Markup.text(rights))</dc:rights>") }
        if let description = metadata.description { add("<dc:description>\(Markup.text(description))</dc:description>") }

        for line in PackagePeople(book: context.book).elements() { add(line) }

        var accessibility = AccessibilityMetadata(facts: context.facts, book: context.book)
        accessibility.pageBreakSource = hasPageList ? PageList.source(of: book) : nil
        for (property, value) in accessibility.properties { add("<meta property=\"\(property)\">\(Markup.text(value))</meta>") }

        var manifest: [String] = []
        var spine: [String] = []
        let ids = Self.manifestIds(files)
        for (file, id) in zip(files, ids) {
            let properties = file.properties
            let attribute = properties.isEmpty ? "" : " properties=\"\(properties.joined(separator: " "))\""
            manifest.append("    <item id=\"\(id)\" href=\"\(Markup.attribute(Self.address(file.href)))\" media-type=\"\(file.mediaType)\"\(attribute)/>")
            if let entry = file.spine {
                spine.append("    <itemref idref=\"\(id)\"\(entry == .nonLinear ? " linear=\"no\"" : "")/>")
            }
        }
        let ncx = files.firstIndex { $0.mediaType == "application/x-dtbncx+xml" }.map { ids[$0] }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="\(Markup.attribute(metadata.language))">
          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
        \(lines.joined(separator: "\n"))
          </metadata>
          <manifest>
        \(manifest.joined(separator: "\n"))
          </manifest>
          <spine\(ncx.map { " toc=\"\($0)\"" } ?? "")>
        \(spine.joined(separator: "\n"))
          </spine>
        </package>

        """
    }
}

extension PackageDocument {
    /// Each file's manifest id, unique: the files the tool names never share one, but two
    /// names of an editor's (epub.css's files, `a-b.png` and `a.b.png`) can make the same
    /// one, and the later gets `-2`, `-3`…
    static func manifestIds(_ files: [EPUBFile]) -> [String] {
        var used = Set<String>()
        return files.map { file in
            var id = file.manifestId
            var number = 2
            while !used.insert(id).inserted {
                id = "\(file.manifestId)-\(number)"
                number += 1
            }
            return id
        }
    }

    /// A path inside the container as a URL path: every byte of its UTF-8 but RFC 3986's
    /// `pchar` and `/` percent-encoded with upper-case hex digits (a space in a font's name
    /// that epub.css names, a letter beyond ASCII: a URI, readable by every reading system).
    /// The tool's own names are slugs, which are returned as they are. On bytes, not through
    /// Foundation's `addingPercentEncoding` (which gave the same; its allowed set also named
    /// the characters beyond ASCII, but it encoded them all the same): it cost about 30,000
    /// instructions a path, 36 M of a one-word edit's 3,120 M at ×100.
    static func address(_ path: String) -> String {
        let utf8 = path.utf8
        guard utf8.contains(where: { !keepsByte($0) }) else { return path }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            if keepsByte(byte) {
                bytes.append(byte)
            } else {
                bytes.append(0x25)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `address` keeps a byte of a path's UTF-8 as it is: the ASCII characters of
    /// `pchar` and `/`.
    @inline(__always)
    private static func keepsByte(_ byte: UInt8) -> Bool {
        byte < 0x80 && keptASCII[Int(byte)]
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static let keptASCII: [Bool] = {
        var kept = [Bool](repeating: false, count: 128)
        for byte in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/".utf8 {
            kept[Int(byte)] = true
        }
        return kept
    }()
}

/// Accessibility metadata derived from the content, not declared by hand.
struct AccessibilityMetadata {
    let facts: EditionContext.Facts
    let book: Book
    /// What the page break markers come from, when the EPUB has them.
    var pageBreakSource: String?

    var everyImageHasAlt: Bool { facts.everyImageHasAlt }
    private var hasImages: Bool { facts.imageCount > 0 }

    /// Whether the book meets EPUB Accessibility 1.1 at WCAG 2.2 AA as far as its content can
    /// tell: every image described, headings in order, no raw HTML the tool cannot vouch for.
    var meetsWCAG: Bool { everyImageHasAlt && facts.headingsInOrder && !facts.hasRawHTML }

    /// The summary, sentence by sentence from what the tool checked of this edition.
    var summary: String {
        var sentences = ["This publication has a table of contents listing every article."]
        if facts.headingsInOrder {
            sentences.append("Each article's sections have headings in order, which the navigation lists.")
        }
        let notes = facts.noteCount, unlinked = facts.uncitedNoteCount
        if notes > 0 {
            if unlinked == 0 {
                sentences.append("Every note is linked from its citation in the text and back.")
            } else {
                sentences.append("\(notes - unlinked) of the \(notes) notes are linked from their citations in the text and back; "
                    + "the other \(unlinked), whose reference marks were lost in the source, are listed under a heading at the end of their articles.")
            }
        }
        if !hasImages {
            sentences.append("It contains no images but its cover.")
        } else if everyImageHasAlt {
            sentences.append("Every image has a text alternative.")
        } else {
            sentences.append("Some images have no text alternative.")
        }
        sentences.append("The styles leave font, size and colours to the reader.")
        return sentences.joined(separator: " ")
    }

    var properties: [(String, String)] {
        var result: [(String, String)] = [("schema:accessMode", "textual")]
        if hasImages { result.append(("schema:accessMode", "visual")) }
        // Text alone is enough only when every image is described.
        if everyImageHasAlt { result.append(("schema:accessModeSufficient", "textual")) }
        if hasImages { result.append(("schema:accessModeSufficient", "textual,visual")) }
        var features = ["tableOfContents", "structuralNavigation", "readingOrder", "displayTransformability"]
        if hasImages, everyImageHasAlt { features.append("alternativeText") }
        if pageBreakSource != nil { features += ["pageNavigation", "pageBreakMarkers"] }
        for feature in features {
            result.append(("schema:accessibilityFeature", feature))
        }
        result.append(("schema:accessibilityHazard", "none"))
        if let pageBreakSource { result.append(("pageBreakSource", pageBreakSource)) }
        result.append(("schema:accessibilitySummary", summary))
        // A conformance claim needs someone who evaluated the edition: book.yaml names them.
        if meetsWCAG, let evaluator = book.metadata.editorial.accessibilityEvaluatedBy {
            result.append(("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"))
            result.append(("a11y:certifiedBy", evaluator))
        }
        return result
    }
}
