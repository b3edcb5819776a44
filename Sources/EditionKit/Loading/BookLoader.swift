import Foundation
import Yams

/// Loads a book folder (book.yaml and its articles) into one `Book` model, reporting every
/// problem with its place instead of stopping at the first.
public struct BookLoader {
    /// The book folder as the user named it; diagnostics print paths under it.
    public let root: String
    /// Articles loaded by earlier builds of the same process (`edition watch`), by their text.
    public var memory: BuildMemory?
    /// Articles an earlier build loaded from the same bytes (the build cache, `ArticleStore`).
    var store: ArticleStore?

    public init(root: String) { self.root = root }

    public static let manifestName = "book.yaml"

    /// Loads the book. Returns nil only when nothing usable could be read; the log holds why.
    public func load(log: inout DiagnosticLog) -> Book? {
        let manifestPath = path(Self.manifestName)
        guard let text = readText(manifestPath, log: &log, at: nil) else { return nil }
        guard var manifest = YAMLMapping.parse(text, file: manifestPath, lineOffset: 0, log: &log) else { return nil }

        var metadata = readMetadata(&manifest)
        if metadata != nil { metadata!.typography = readTypography(&manifest) }
        let typography = metadata?.typography ?? TypographySettings()
        var parts: [Part] = []
        var seenFiles: [String: SourceLocation] = [:]
        var seenIdentities: [String: SourceLocation] = [:]
        var listedCount = 0, malformedParts = 0
        // The generated documents' names are taken: an article called notes.md must not
        // overwrite the notes document.
        var seenIds: Set<String> = Self.reservedIds
        let partNodes = manifest.sequence("parts", required: true)
        for (index, node) in (partNodes ?? []).enumerated() {
            guard var partMapping = manifest.mapping(of: node, in: "parts") else {
                manifest.report(.error(.valueType, "each part must be a mapping with 'articles' (and an optional 'title')",
                                       at: manifest.location(of: node)))
                malformedParts += 1
                continue
            }
            let title = partMapping.string("title")
            let listed = partMapping.strings("articles", required: true)
            if let listed, listed.isEmpty {
                partMapping.report(.warning(.partEmpty, "this part lists no articles", at: partMapping.location))
            }
            if listed == nil { malformedParts += 1 }
            let files = listed ?? []
            var articles: [Article] = []
            listedCount += files.count
            for (file, location) in files {
                // `./a.md`, `a.md` and a link to a.md are one article.
                let identity = BookFiles.identity(of: path(file))
                if let first = seenIdentities[identity] {
                    partMapping.report(.error(.articleDuplicate, "'\(file)' is already listed at \(first)", at: location))
                    continue
                }
                seenIdentities[identity] = location
                seenFiles[file] = location
                let id = uniqueId(Self.articleId(forFile: file), in: &seenIds)
                if let article = loadArticle(file: file, id: id, listedAt: location, typography: typography,
                                             bookLanguage: metadata?.language ?? "en", log: &log) {
                    articles.append(article)
                }
            }
            manifest.merge(partMapping)
            let partId = uniqueId("part-\(index + 1)", in: &seenIds)
            let punctuation = Punctuation(typography, language: metadata?.language ?? "en")
            parts.append(Part(id: partId, title: title.map { MarkdownParser.punctuate($0, punctuation) }, articles: articles))
        }
        if listedCount == 0, malformedParts == 0, partNodes != nil {
            manifest.report(.error(.partsEmpty, "the reading order lists no article: 'parts' needs at least one part with articles",
                                   at: manifest.location(ofValue: "parts")))
        }
        metadata?.editorial = readEditorial(&manifest, articleFiles: Set(seenFiles.keys))
        log.report(contentsOf: manifest.finish().all)
        guard let metadata = metadata.map(Self.punctuated) else { return nil }
        return Book(root: URL(fileURLWithPath: root, isDirectory: true), metadata: metadata, parts: parts)
    }

    /// Names of the documents every edition has (`text/contents.xhtml`…), which no article or
    /// part id may take.
    static let reservedIds: Set<String> = ["cover", "titlepage", "contents", "notes", "colophon", "nav", "toc"]

    /// `01-new-uprising.md` → `new-uprising`: the order prefix goes, the rest names the article.
    public static func articleId(forFile file: String) -> String {
        var stem = (file as NSString).deletingPathExtension
        stem = (stem as NSString).lastPathComponent
        // `^[0-9]{1,3}[-_]`, looked for in the bytes (a regular expression would start ICU).
        let digits = stem.utf8.prefix(while: TextShape.isDigit).count
        if (1...3).contains(digits), let separator = stem.utf8.dropFirst(digits).first,
           separator == UInt8(ascii: "-") || separator == UInt8(ascii: "_") {
            stem = String(stem.utf8.dropFirst(digits + 1))!
        }
        return Slug.make(stem, fallback: "article")
    }

    // MARK: - book.yaml

    private func readMetadata(_ manifest: inout YAMLMapping) -> BookMetadata? {
        let slug = manifest.string("slug", required: true)
        let identifier = manifest.string("identifier", required: true)
        let title = manifest.string("title", required: true)
        let subtitle = manifest.string("subtitle")
        let date = manifest.string("date", required: true)
        if let date, !Self.isISODate(date) {
            manifest.report(.error(.valueInvalid, "'date' must be a date written YYYY-MM-DD, not '\(date)'",
                                   at: manifest.location(ofValue: "date")))
        }
        let dateLabel = manifest.string("date-label")
        let language = manifest.string("language", required: true)
        if let language, !Self.isLanguageTag(language) {
            manifest.report(.error(.valueInvalid, Self.languageMessage(language), at: manifest.location(ofValue: "language")))
        } else if let language, !Localization.isSupported(language) {
            manifest.report(.warning(.valueInvalid,
                                     "the tool's own words (Contents, Notes…) are not translated to '\(language)'; English is used",
                                     at: manifest.location(ofValue: "language")))
        }
        if let slug, Slug.make(slug, fallback: "") != slug {
            manifest.report(.error(.valueInvalid, "'slug' names the output file: use lower-case letters, digits and hyphens ('\(Slug.make(slug))')",
                                   at: manifest.location(ofValue: "slug")))
        }
        var periodical: Periodical?
        if var mapping = manifest.mapping("periodical") {
            let name = mapping.string("name", required: true)
            let issn = mapping.string("issn")
            let edition = mapping.int("edition")
            if let issn, let problem = Self.issnProblem(issn) {
                mapping.report(.error(.valueInvalid, problem, at: mapping.location(ofValue: "issn")))
            }
            if let name { periodical = Periodical(name: name, issn: issn, edition: edition) }
            manifest.merge(mapping)
        }
        var contributors: [Contributor] = []
        for node in manifest.sequence("contributors") ?? [] {
            guard var mapping = manifest.mapping(of: node, in: "contributors") else {
                manifest.report(.error(.valueType, "each contributor must be a mapping with 'name' and 'role'",
                                       at: manifest.location(of: node)))
                continue
            }
            let name = mapping.string("name", required: true)
            let roleText = mapping.string("role", required: true)
            let role = roleText.flatMap(Contributor.Role.init(rawValue:))
            if let roleText, role == nil {
                mapping.report(.error(.valueInvalid, "unknown role '\(roleText)'", at: mapping.location(ofValue: "role"),
                                      hint: "roles: \(Contributor.Role.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
            if let name, let role { contributors.append(Contributor(name: name, role: role)) }
            manifest.merge(mapping)
        }
        var placement = NotePlacement.article
        if let text = manifest.string("notes") {
            if let value = NotePlacement(rawValue: text) { placement = value } else {
                manifest.report(.error(.valueInvalid, "'notes' must be 'article' or 'book', not '\(text)'",
                                       at: manifest.location(ofValue: "notes")))
            }
        }
        var print = PrintSettings()
        if var mapping = manifest.mapping("print") {
            if let first = mapping.int("first-page") { print.firstPage = first }
            if let recto = mapping.bool("recto-openings") { print.rectoOpenings = recto }
            print.hyphenation = Self.hyphenationExceptions(&mapping)
            manifest.merge(mapping)
        }
        let cover = manifest.string("cover")
        if let cover {
            let file = URL(fileURLWithPath: path(cover))
            for problem in ImageFiles.check(file, source: cover, root: URL(fileURLWithPath: root.isEmpty ? "." : root),
                                            what: "cover image", missing: .coverMissing,
                                            at: manifest.location(ofValue: "cover")) {
                manifest.report(problem)
            }
        }
        let publisher = manifest.string("publisher")
        let rights = manifest.string("rights")
        let description = manifest.string("description")
        var website = manifest.string("website")
        // The masthead links to it in every output: only a web address may be one.
        if let address = website {
            if let scheme = URLSafety.dangerousScheme(address) {
                manifest.report(.error(.htmlUnsafe, "'website' is a \(scheme) address, which the masthead would link to",
                                       at: manifest.location(ofValue: "website"), hint: "write the web address: https://…"))
                website = nil
            } else if !TextShape.isWebAddress(address) {
                manifest.report(.error(.valueInvalid, "'website' must be a web address starting https:// or http://, not '\(address)'",
                                       at: manifest.location(ofValue: "website")))
                website = nil
            }
        }
        guard let slug, let identifier, let title, let date, let language else { return nil }
        return BookMetadata(slug: slug, identifier: identifier, title: title, subtitle: subtitle,
                            periodical: periodical, date: date, dateLabel: dateLabel, language: language,
                            publisher: publisher, contributors: contributors, rights: rights,
                            description: description, website: website, cover: cover,
                            notePlacement: placement, print: print)
    }

    // MARK: - Articles

    private func loadArticle(file: String, id: String, listedAt: SourceLocation, typography: TypographySettings,
                             bookLanguage: String, log: inout DiagnosticLog) -> Article? {
        let filePath = path(file)
        // With the build cache, the file's content hash (from its stat identity when it has
        // not changed) names the article: the file is read and parsed only when it changed.
        if let store, case .success(let resolved) = BookFiles.resolve(filePath, inside: root),
           let identity = FileIdentity(URL(fileURLWithPath: resolved)), identity.size <= InputLimits.fileBytes {
            return store.article(file: file, at: resolved, key: [root, file, id, "\(listedAt)", typography.cacheKey, bookLanguage],
                                 log: &log) { log in
                guard let text = readText(filePath, log: &log, at: listedAt) else { return nil }
                return parseArticle(text, file: file, id: id, typography: typography, bookLanguage: bookLanguage, log: &log)
            }
        }
        // With a memory, the file's bytes name the article: reading them is cheap, decoding,
        // checking and parsing them is not. The model and the diagnostics are a function of
        // the bytes, the file's place in the book and in book.yaml, and the id.
        if let memory, let identity = FileIdentity(URL(fileURLWithPath: filePath)), identity.size <= InputLimits.fileBytes,
           let data = try? BookFiles.read(filePath, inside: root).get() {
            // The punctuation settings shape the model too.
            return memory.article(key: [root, file, id, "\(listedAt)", "\(typography)", bookLanguage], bytes: data, log: &log) { log in
                guard let text = readText(filePath, log: &log, at: listedAt, data: data) else { return nil }
                return parseArticle(text, file: file, id: id, typography: typography, bookLanguage: bookLanguage, log: &log)
            }
        }
        guard let text = readText(filePath, log: &log, at: listedAt) else { return nil }
        return parseArticle(text, file: file, id: id, typography: typography, bookLanguage: bookLanguage, log: &log)
    }

    private func parseArticle(_ text: String, file: String, id: String, typography: TypographySettings,
                              bookLanguage: String, log: inout DiagnosticLog) -> Article? {
        let filePath = path(file)
        let split = FrontMatter.split(text)
        let start = SourceLocation(file: filePath, line: 1)
        guard let yaml = split.yaml else {
            log.report(.error(split.unclosed ? .frontMatterUnclosed : .frontMatterMissing,
                              split.unclosed ? "the front matter has no closing '---'"
                                             : "an article starts with front matter between '---' lines (title at least)",
                              at: start))
            return nil
        }
        guard var mapping = YAMLMapping.parse(yaml, file: filePath, lineOffset: 1, log: &log) else { return nil }
        let title = mapping.string("title", required: true)
        let subtitle = mapping.string("subtitle")
        var authors: [Author] = []
        for node in mapping.sequence("authors") ?? [] {
            guard var authorMapping = mapping.mapping(of: node, in: "authors") else {
                mapping.report(.error(.valueType, "each author must be a mapping with 'name' (and an optional 'organization')",
                                      at: mapping.location(of: node)))
                continue
            }
            if let name = authorMapping.string("name", required: true) {
                authors.append(Author(name: name, organization: authorMapping.string("organization"),
                                      location: authorMapping.location))
            } else {
                _ = authorMapping.string("organization")
            }
            mapping.merge(authorMapping)
        }
        let source = mapping.string("source")
        let date = mapping.string("date")
        let language = mapping.string("language")
        if let language, !Self.isLanguageTag(language) {
            mapping.report(.error(.valueInvalid, Self.languageMessage(language), at: mapping.location(ofValue: "language")))
        }
        let printPage = mapping.int("print-page")
        log.report(contentsOf: mapping.finish().all)

        let punctuation = Punctuation(typography, language: language ?? bookLanguage)
        let parser = MarkdownParser(file: filePath, lineOffset: split.bodyLineOffset, idPrefix: id, punctuation: punctuation)
        let parsed = parser.parse(split.body)
        log.report(contentsOf: parsed.diagnostics)
        guard let title else { return nil }
        // Titles, subtitles and source lines are Markdown too: their raw HTML is checked
        // like a body's, at the value's place in the front matter.
        func inline(_ text: String, _ key: String) -> [Inline] {
            let parsed = MarkdownParser.parseInline(text, at: mapping.location(ofText: key), punctuation: punctuation)
            log.report(contentsOf: parsed.diagnostics)
            return parsed.content
        }
        authors = authors.map { author in
            var author = author
            author.name = Self.punctuatedName(author.name, punctuation)
            author.organization = author.organization.map { Self.punctuatedName($0, punctuation) }
            return author
        }
        return Article(id: id, file: file, title: inline(title, "title"),
                       subtitle: subtitle.map { inline($0, "subtitle") }, authors: authors,
                       source: source.map { inline($0, "source") }, date: date.map { MarkdownParser.punctuate($0, punctuation) },
                       language: language,
                       printPage: printPage, body: parsed.blocks, notes: parsed.notes, location: start,
                       inlineLocations: parsed.inlineLocations, htmlBlockLocations: parsed.htmlBlockLocations,
                       bodyText: split.body, bodyLineOffset: split.bodyLineOffset)
    }

    // MARK: - Helpers

    func path(_ relative: String) -> String {
        root.isEmpty || root == "." ? relative : (root as NSString).appendingPathComponent(relative)
    }

    /// Reads a file; problems are reported where the file is listed (`listed`), or without a
    /// place for book.yaml, which nothing lists.
    private func readText(_ filePath: String, log: inout DiagnosticLog, at listed: SourceLocation?, data read: Data? = nil) -> String? {
        if let read { return decode(read, filePath, log: &log) }
        // Inside the book, a regular file (never a FIFO or a device), not too large to read.
        if case .success(let resolved) = BookFiles.resolve(filePath, inside: root),
           let size = (try? FileManager.default.attributesOfItem(atPath: resolved))?[.size] as? Int,
           size > InputLimits.fileBytes {
            log.report(.error(.inputLimit, "'\(filePath)' is \(size / 1_048_576) MB; a book's file may hold at most \(InputLimits.fileBytes / 1_048_576) MB",
                              at: SourceLocation(file: filePath, line: 1), hint: "split the article into several files"))
            return nil
        }
        let data: Data
        switch BookFiles.read(filePath, inside: root) {
        case .success(let read): data = read
        case .failure(let problem):
            log.report(BookFiles.diagnostic(problem, name: filePath, what: "", folder: "the book folder",
                                            missing: .fileMissing, at: listed))
            return nil
        }
        return decode(data, filePath, log: &log)
    }

    /// A file's bytes as text, when they are UTF-8 without control characters, with LF line ends.
    private func decode(_ data: Data, _ filePath: String, log: inout DiagnosticLog) -> String? {
        guard let text = Self.decodeUTF8(data) else {
            let place = Self.firstInvalidUTF8(in: data)
            log.report(.error(.fileEncoding, "'\(filePath)' is not valid UTF-8",
                              at: SourceLocation(file: filePath, line: place.line, column: place.column),
                              hint: "save the file as UTF-8"))
            return nil
        }
        // XML cannot hold most control characters; a form feed left by PDF extraction would
        // otherwise fail the build in a generated file, far from its source.
        if let found = Self.firstControlCharacter(in: text) {
            let code = String(format: "U+%04X", found.scalar.value)
            log.report(.error(.fileEncoding, "'\(filePath)' contains the control character \(code), which XHTML does not allow",
                              at: SourceLocation(file: filePath, line: found.line, column: found.column),
                              hint: "delete it (a page break copied from a PDF?)"))
            return nil
        }
        // Editors on Windows save CRLF; the model is LF only.
        return text.utf8Contains(UInt8(ascii: "\r")) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    /// The text of UTF-8 bytes without a leading byte order mark; nil when they are not UTF-8.
    static func decodeUTF8(_ data: Data) -> String? {
        data.withUnsafeBytes { raw in
            var bytes = raw.bindMemory(to: UInt8.self)[...]
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            return String(validating: bytes, as: UTF8.self)
        }
    }

    private func uniqueId(_ base: String, in used: inout Set<String>) -> String {
        var candidate = base
        var counter = 2
        while used.contains(candidate) { candidate = "\(base)-\(counter)"; counter += 1 }
        used.insert(candidate)
        return candidate
    }

    /// `YYYY-MM-DD`, a day that the Gregorian calendar has (year 1 on).
    static func isISODate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = TextShape.number(bytes[0..<4]), let month = TextShape.number(bytes[5..<7]),
              let day = TextShape.number(bytes[8..<10]) else { return false }
        return year >= 1 && (1...12).contains(month) && day >= 1 && day <= TextShape.daysIn(month: month, year: year)
    }

    /// The line and byte column of the first byte that is not UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += UTF8.width(scalar) }
            case .emptyInput, .error:
                return (line, column)
            }
        }
    }

    /// The first character XML 1.0 does not allow (C0 controls but tab, line feed and carriage
    /// return; U+FFFE, U+FFFF), with its line and byte column.
    static func firstControlCharacter(in text: String) -> (line: Int, column: Int, scalar: Unicode.Scalar)? {
        var text = text
        return text.withUTF8 { bytes in
            // Found first, eight bytes at a time past those with no control byte and no 0xEF;
            // its line and column are counted only when there is one.
            var index = 0
            var found: Unicode.Scalar?
            while index < bytes.count {
                if index + 8 <= bytes.count {
                    let word = ByteScan.word(bytes, at: index)
                    if !ByteScan.hasBelow(word, 0x20), !ByteScan.has(word, 0xEF) {
                        index += 8
                        continue
                    }
                }
                let byte = bytes[index]
                if byte < 0x20, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\t"), byte != UInt8(ascii: "\r") {
                    found = Unicode.Scalar(byte)
                    break
                } else if byte == 0xEF, index + 2 < bytes.count, bytes[index + 1] == 0xBF,
                          bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF {
                    // U+FFFE and U+FFFF.
                    found = Unicode.Scalar(0xFFC0 + UInt32(bytes[index + 2] & 0x3F))!
                    break
                }
                index += 1
            }
            guard let found else { return nil }
            let before = UnsafeBufferPointer(rebasing: bytes[..<index])
            let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
            let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            return (line, index - lineStart + 1, found)
        }
    }

    /// Why `issn` is not an ISSN (shape, then check digit), or nil when it is one.
    static func issnProblem(_ issn: String) -> String? {
        let bytes = Array(issn.utf8)
        guard bytes.count == 9, bytes[4] == UInt8(ascii: "-"), bytes[0..<4].allSatisfy(TextShape.isDigit),
              bytes[5..<8].allSatisfy(TextShape.isDigit), TextShape.isDigit(bytes[8]) || bytes[8] == UInt8(ascii: "X") else {
            return "'issn' must look like 2179-118X, not '\(issn)'"
        }
        let digits = issn.replacingOccurrences(of: "-", with: "").compactMap(\.wholeNumberValue)
        let sum = zip(digits.prefix(7), (2...8).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
        let check = (11 - sum % 11) % 11
        let expected = check == 10 ? "X" : String(check)
        guard String(issn.last!) == expected else {
            return "'issn' \(issn) has the wrong check digit: it should be \(expected)"
        }
        return nil
    }

    static func languageMessage(_ language: String) -> String {
        "'language' must be a BCP 47 language tag such as en, es or pt-BR, not '\(language)'"
    }

    static func isLanguageTag(_ text: String) -> Bool {
        // `^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(TextShape.isLetter) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (2...8).contains(part.count) && part.allSatisfy { TextShape.isLetter($0) || TextShape.isDigit($0) }
        }
    }
}

/// Splits an article into its YAML front matter and its Markdown body.
enum FrontMatter {
    struct Split {
        var yaml: String?
        var body: String
        /// How many lines come before the body (the front matter and its two fences).
        var bodyLineOffset: Int
        var unclosed: Bool
    }

    static func split(_ text: String) -> Split {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // Line by line on the bytes, only as far as the closing fence: the body is not split.
        let bytes = text.utf8
        func endOfLine(from start: String.Index) -> String.Index {
            bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        }
        func isFence(_ line: Substring, _ marks: [String]) -> Bool {
            marks.contains(line.trimmingCharacters(in: .whitespaces))
        }
        let firstEnd = endOfLine(from: bytes.startIndex)
        let opens = isFence(text[..<firstEnd], ["---"])
        guard opens, firstEnd < bytes.endIndex else {
            return Split(yaml: nil, body: text, bodyLineOffset: 0, unclosed: opens)
        }
        let yamlStart = bytes.index(after: firstEnd)
        var lineStart = yamlStart
        var index = 1
        while true {
            let lineEnd = endOfLine(from: lineStart)
            if isFence(text[lineStart..<lineEnd], ["---", "..."]) {
                let yaml = lineStart == yamlStart ? "" : String(text[yamlStart..<bytes.index(before: lineStart)])
                let body = lineEnd == bytes.endIndex ? "" : String(text[bytes.index(after: lineEnd)...])
                return Split(yaml: yaml, body: body, bodyLineOffset: index + 1, unclosed: false)
            }
            guard lineEnd < bytes.endIndex else { break }
            lineStart = bytes.index(after: lineEnd)
            index += 1
        }
        return Split(yaml: nil, body: text, bodyLineOffset: 0, unclosed: true)
    }
}
