import Foundation

/// One build's use of the `BuildCache`: what changed since the last build, which articles
/// must be rendered again, which EPUB entries keep their compressed bytes, and whether the
/// PDF must be made again. Every decision compares content hashes, so an incremental
/// build's outputs are the bytes a clean build would write.
///
/// An article's document is a pure function of the article's source (and the ids the
/// loader gave it and its headings) and of the edition-wide context it is rendered in:
/// book.yaml, and every article's file, id and link targets (a link to another article's
/// heading resolves through them). Its fragment's key hashes exactly these, so an edit to
/// one article re-renders that article alone, while renaming a heading or reordering
/// articles (which can change what other articles' links resolve to) renders them all.
/// Contents, navigation, package document, cover and colophon are rendered on every build:
/// they depend on every article.
public final class IncrementalBuild: @unchecked Sendable {
    /// Where a build's steps find it.
    static let product = BuildProduct<IncrementalBuild>("incremental-build")

    public let cache: BuildCache
    let bookFolder: URL
    /// `bookFolder`'s path, which its files' paths are made from.
    let bookPath: String
    let excluded: [String]
    /// What the build said it did, in order, for the report.
    public private(set) var lines: [String] = []
    private var context = ""
    private var articleKeys: [String: String] = [:]
    private var used: Set<String> = []
    /// Set when a source changed while the build read it: the cache is then not updated.
    private var unstable = false
    /// Each article file's model key (`ArticleStore`): its content hash and what else shaped it.
    private var modelKeys: [String: String] = [:]
    private let keysLock = NSLock()

    func remember(modelKey: String, for file: String) {
        keysLock.lock()
        defer { keysLock.unlock() }
        modelKeys[file] = modelKey
    }

    func modelKey(for file: String) -> String? {
        keysLock.lock()
        defer { keysLock.unlock() }
        return modelKeys[file]
    }

    /// Opens the cache of `output` and hashes the book folder's files before the build reads
    /// them (the output folder and hidden files excepted).
    public init(options: BuildOptions) {
        let output = URL(fileURLWithPath: options.output, isDirectory: true).standardizedFileURL
        bookFolder = URL(fileURLWithPath: options.book, isDirectory: true).standardizedFileURL
        bookPath = bookFolder.path
        excluded = [output.path]
        let optionsPrint = ContentHash.of(parts: [
            bookFolder.path, options.styles.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? "-",
            options.environment["SOURCE_DATE_EPOCH"] ?? "-",
        ])
        cache = BuildCache(folder: output.appendingPathComponent(BuildCache.folderName, isDirectory: true),
                           options: optionsPrint, memory: options.memory)
        if let rejection = cache.rejection { lines.append("cache \(rejection): building everything") }
        for file in sourceFiles() { _ = cache.hashInput(atPath: path(of: file), as: file) }
    }

    /// The book's regular files, relative to its folder: hidden ones, links and the output
    /// folder left out (readdir and lstat: Foundation's enumerator and its URLs cost a warm
    /// build at ×100 more than hashing the files that changed).
    private func sourceFiles() -> [String] {
        var result: [String] = []
        walk(bookPath, relative: "", into: &result, depth: 0)
        return result.sorted()
    }

    private func walk(_ path: String, relative: String, into result: inout [String], depth: Int) {
        guard depth < 64, let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard !name.hasPrefix(".") else { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                if excluded.contains(full) { continue }
                walk(full, relative: relative + name + "/", into: &result, depth: depth + 1)
            case S_IFREG:
                result.append(relative + name)
            default:
                continue
            }
        }
    }

    // MARK: Articles

    /// Sets the edition-wide context from the resolved edition; call before rendering.
    public func prepare(context edition: EditionContext, styles: URL) {
        let book = edition.book
        var parts = [BookLoader.manifestName, hash(BookLoader.manifestName)]
        for article in edition.articles { parts += linkParts(article, in: edition) }
        context = ContentHash.of(parts: parts)
        used = Set([BookLoader.manifestName] + edition.articles.map(\.file) + (book.metadata.cover.map { [$0] } ?? [])
                   + edition.images.map { relative($0.file) })
        // Every file the outputs show is an input of the digest that stands for the print
        // HTML (`unchangedPrint`), even one the walk of the book folder did not find.
        for name in used.sorted() where name != BookLoader.manifestName { _ = hash(name) }
        for article in edition.articles {
            articleKeys[article.id] = ContentHash.of(parts: [
                article.file, hash(article.file), article.id, edition.headings(of: article).map(\.id).joined(separator: " "),
            ])
        }
        for (name, output) in [("epub.css", Stylesheet.Output.epub), ("print.css", .print)] {
            let data = FileManager.default.contents(atPath: styles.appendingPathComponent(name).path) ?? Data()
            cache.recordStyle("styles: \(name)", hash: ContentHash.of(data))
            // The fonts, images and stylesheets it names are inputs too (the outputs hold
            // them, and the PDF's pages follow them): one edited is reported as changed.
            // A stylesheet that cannot be loaded fails the build's render step.
            guard case .success(let stylesheet) = Stylesheets.load(name, in: styles, for: output) else { continue }
            for file in stylesheet.files { cache.recordStyle("styles: \(file.path)", hash: ContentHash.of(file.data)) }
        }
        let changed = cache.changedInputs.filter { name in
            let file = name.components(separatedBy: " (").first ?? name
            return used.contains(file) || file.hasPrefix("styles: ") || name.hasSuffix(" (gone)")
        }
        if cache.isWarm { lines.append(changed.isEmpty ? "no source changed" : "changed: \(changed.joined(separator: ", "))") }
    }

    /// An article's file, id and link targets, as the checks' key and the renderers' context
    /// hash them (worked out once a build: the targets walk the article).
    func linkParts(_ article: Article, in edition: EditionContext) -> [String] {
        if let known = linkLines[article.id], known[0] == article.file { return known }
        let parts = [article.file, article.id, edition.linkTargets(of: article).sorted().joined(separator: " ")]
        linkLines[article.id] = parts
        return parts
    }

    private var linkLines: [String: [String]] = [:]

    private func hash(_ file: String) -> String {
        cache.hashInput(atPath: path(of: file), as: file) ?? "unreadable"
    }

    /// Where the book's file `file` (relative to the book folder) is.
    private func path(of file: String) -> String { bookPath.hasSuffix("/") ? bookPath + file : bookPath + "/" + file }

    func relative(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = bookPath + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// An article's EPUB document, rendered or from the cache. The object holds the file's
    /// path, media type, properties and spine entry on its first line, then its bytes.
    public func epubArticle(_ article: Article, render: @escaping @Sendable (Article) -> EPUBFile) -> EPUBFile {
        guard let articleKey = articleKeys[article.id] else { return render(article) }
        let key = ContentHash.of(parts: ["EPUB", context, articleKey])
        let file = epubDocument(article, key: key, render: render)
        // A stored document's object stands for its bytes (`hashes`) until they are replaced.
        if file.stored == nil, let object = cache.object(forKey: key) {
            keysLock.lock()
            epubObjects[file.path] = (object, file.data)
            keysLock.unlock()
        }
        return file
    }

    /// Each article document's object, and the bytes it gave: while the entry still has these
    /// very bytes (the same storage: the page list, which inserts page breaks, makes new
    /// ones), the object's name stands for their content hash.
    private var epubObjects: [String: (object: String, data: Data)] = [:]

    private func epubDocument(_ article: Article, key: String, render: @escaping @Sendable (Article) -> EPUBFile) -> EPUBFile {
        if let (header, stored) = cache.storedDocument(key, kind: "EPUB", render: { Self.object(of: render(article)) }),
           let file = Self.document(header: header, stored: stored) {
            return file
        }
        var rendered: EPUBFile?
        let data = cache.fragment(key, kind: "EPUB") {
            let file = render(article)
            rendered = file
            return Self.object(of: file)
        }
        if let rendered { return rendered }
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")),
              let file = Self.document(header: data[data.startIndex..<newline], body: Data(data[(newline + 1)...]))
        else { return render(article) }
        return file
    }

    /// The object an article's document is stored as: its path, media type, properties and
    /// spine entry on the first line, by tabs, then its bytes.
    private static func object(of file: EPUBFile) -> Data {
        let spine = file.spine.map { $0 == .linear ? "linear" : "nonlinear" } ?? "-"
        var data = Data([file.path, file.mediaType, file.properties.joined(separator: " "), spine]
            .joined(separator: "\t").utf8)
        data.append(UInt8(ascii: "\n"))
        data.append(file.data)
        return data
    }

    /// The EPUB file a stored object's first line (path, media type, properties, spine, by
    /// tabs) and bytes describe; nil when the line is not four fields.
    private static func document(header: Data, body: Data) -> EPUBFile? {
        fields(header).map { EPUBFile(path: $0.path, mediaType: $0.mediaType, data: body, properties: $0.properties, spine: $0.spine) }
    }

    private static func document(header: Data, stored: StoredDocument) -> EPUBFile? {
        fields(header).map { EPUBFile(path: $0.path, mediaType: $0.mediaType, stored: stored, properties: $0.properties, spine: $0.spine) }
    }

    private static func fields(_ header: Data) -> (path: String, mediaType: String, properties: [String], spine: EPUBFile.SpineEntry?)? {
        let fields = String(decoding: header, as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { return nil }
        let spine: EPUBFile.SpineEntry? = fields[3] == "linear" ? .linear : fields[3] == "nonlinear" ? .nonLinear : nil
        return (fields[0], fields[1], fields[2].split(separator: " ").map(String.init), spine)
    }

    /// An article's print HTML as a piece of the document: when the cache holds it, a
    /// reference to its bytes, read when the document is written; else rendered (and stored).
    public func printPiece(_ article: Article, render: @escaping @Sendable (Article) -> String) -> PrintDocument.Piece {
        guard let articleKey = articleKeys[article.id] else { return .text(render(article)) }
        let key = ContentHash.of(parts: ["print", context, articleKey])
        if let stored = cache.storedText(key, kind: "print", render: { render(article) }) { return stored }
        return .text(cache.text(key, kind: "print") { render(article) })
    }

    /// The memo for the cover's PNG drawings: rsvg-convert runs again only when the SVG, the
    /// height or the program changed.
    public func coverMemo(program: URL?) -> @Sendable (String, Int, () throws -> Data) throws -> Data {
        let tool = program.map { url in
            "\(url.path) \(FileIdentity(url.resolvingSymlinksInPath()).map { "\($0.size) \($0.modified)" } ?? "?")"
        } ?? "-"
        return { [cache] svg, height, draw in
            try cache.fragment(ContentHash.of(parts: ["cover png", svg, String(height), tool]), kind: "cover", render: draw)
        }
    }

    // MARK: The EPUB

    /// The files libxml2 must check: those not packaged, with the same bytes, by the last build
    /// (which checked them).
    public func filesToCheck(_ files: [EPUBFile], destination: URL) -> [EPUBFile] {
        let previous = previousArchive(destination)?.entries ?? [:]
        return files.filter { previous[$0.path] != hashes(files)[$0.path] }
    }

    private var entryHashes: [String: String]?
    private func hashes(_ files: [EPUBFile]) -> [String: String] {
        if let entryHashes { return entryHashes }
        var result: [String: String] = [:]
        for file in files {
            if let stored = file.stored {
                result[file.path] = "object " + stored.object
            } else if let known = epubObjects[file.path], Self.sameStorage(known.data, file.data) {
                result[file.path] = "object " + known.object
            } else {
                result[file.path] = ContentHash.of(file.data)
            }
        }
        entryHashes = result
        // The documents' bytes are the caller's to let go of.
        epubObjects = [:]
        return result
    }

    /// Whether two values share their bytes' storage (so hold the same bytes); false for
    /// small values kept inline, whose addresses are a copy's.
    private static func sameStorage(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count, lhs.count > 64 else { return false }
        let left = lhs.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        let right = rhs.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        return left != 0 && left == right
    }

    /// The last build's archive record, when the file at `destination` is still the one it wrote.
    private func previousArchive(_ destination: URL) -> BuildCache.ArchiveRecord? {
        guard let record = cache.previousManifest.epub, record.path == destination.standardizedFileURL.path,
              let identity = FileIdentity(destination), identity == record.identity else { return nil }
        return record
    }

    /// Packages the EPUB, copying unchanged entries' compressed bytes from the last one, or
    /// leaves it in place when every entry is unchanged.
    public func package(_ files: [EPUBFile], to destination: URL, date: BuildDate) throws {
        _ = try package(files, destination: destination) { reuse in
            try EPUBArchive.write(files, to: destination, date: date, reusing: reuse)
        }
    }

    /// Packages the EPUB through `write` (which writes the archive wherever the build stages
    /// it, copying the entries `reuse` names from the EPUB now at `destination`, and returns
    /// how many it copied), or returns false, writing nothing, when every entry is unchanged
    /// and the EPUB at `destination` is still the one the last build made. The archive is
    /// recorded by `finish()`, once the outputs are in place.
    public func package(_ files: [EPUBFile], destination: URL,
                        write: (EPUBArchive.Reuse?) throws -> Int) throws -> Bool {
        let hashes = hashes(files)
        let previous = previousArchive(destination)
        pendingArchive = (destination, hashes)
        if let previous, previous.entries == hashes {
            lines.append("EPUB unchanged: \(destination.relativePath) left as it was")
            return false
        }
        let reusable = Set(files.map(\.path).filter { previous?.entries[$0] == hashes[$0] })
        let copied = try write(previous.map { _ in EPUBArchive.Reuse(previous: destination, entries: reusable) })
        lines.append("EPUB entries: \(files.count - copied) of \(files.count) written anew, \(copied) copied compressed from the last EPUB")
        return true
    }

    private var pendingArchive: (destination: URL, entries: [String: String])?
    private var pendingPrint: (destination: URL, hash: String)?

    // MARK: The print HTML

    /// Whether the print HTML at `destination` is still the file the last build wrote, from
    /// the same inputs: then it is left in place and nothing is staged for it. Either way the
    /// document is recorded by `finish()`, once the outputs are in place.
    ///
    /// The print HTML is a function of the book's files alone (of the model loaded from them:
    /// it reads no stylesheet, date or environment), and the manifest is thrown away when the
    /// tool or the options changed; so the digest of every input's content hash stands for the
    /// document's bytes, and hashing the document itself (55 MB at ×100) is not needed.
    public func unchangedPrint(destination: URL) -> Bool {
        let hash = "inputs " + cache.inputsDigest()
        pendingPrint = (destination, hash)
        guard let record = cache.previousManifest.print, record.path == destination.standardizedFileURL.path,
              record.hash == hash, FileIdentity(destination) == record.identity else { return false }
        lines.append("print HTML unchanged: \(destination.relativePath) left as it was")
        return true
    }
    private var pendingPDF: (destination: URL, fingerprint: String, warnings: [String])?

    // MARK: The PDF

    /// The fingerprint of everything WeasyPrint reads: the print HTML file, print.css and the
    /// images beside it, the installed fonts and WeasyPrint itself (the Python that runs it,
    /// WeasyPrint's version and place, `WeasyPrintVersion`), and edition's driver, which
    /// changes WeasyPrint's layout at run time.
    public static func pdfFingerprint(html: URL, program: URL, weasyPrint: String, driver: String = WeasyPrintDriver.source) -> String {
        var parts = [ContentHash.of(FileManager.default.contents(atPath: html.path) ?? Data())]
        let folder = html.deletingLastPathComponent()
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []
        for file in files.sorted() where !file.hasPrefix(".") && !file.contains("/.") && !file.hasSuffix(".html") {
            let url = folder.appendingPathComponent(file)
            if let data = FileManager.default.contents(atPath: url.path), FileIdentity(url) != nil {
                parts += [file, ContentHash.of(data)]
            }
        }
        parts.append(fontsFingerprint())
        let tool = FileIdentity(program.resolvingSymlinksInPath())
        parts.append("\(program.path) \(tool.map { "\($0.size) \($0.modified)" } ?? "?")")
        parts += [weasyPrint, ContentHash.of(Data(driver.utf8))]
        return ContentHash.of(parts: parts)
    }

    /// The font files fontconfig may hand WeasyPrint: their paths, sizes and times.
    static func fontsFingerprint() -> String {
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        var parts: [String] = []
        for folder in ["/usr/share/fonts", "/usr/local/share/fonts", home + "/.fonts", home + "/.local/share/fonts",
                       "/etc/fonts"] {
            for file in ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).sorted() {
                let url = URL(fileURLWithPath: folder).appendingPathComponent(file)
                if let identity = FileIdentity(url) { parts.append("\(url.path) \(identity.size) \(identity.modified)") }
            }
        }
        return ContentHash.of(parts: parts)
    }

    /// WeasyPrint's warnings from the last run, when the PDF it made is still in place and was
    /// made from inputs with this fingerprint: the PDF need not be made again.
    public func unchangedPDF(_ pdf: URL, fingerprint: String) -> [String]? {
        guard let record = cache.previousManifest.pdf, record.path == pdf.standardizedFileURL.path,
              record.fingerprint == fingerprint, FileIdentity(pdf) == record.identity else { return nil }
        pendingPDF = (pdf, fingerprint, record.warnings)
        lines.append("PDF skipped: the print HTML, styles and fonts have not changed; \(pdf.relativePath) left as it was")
        return record.warnings
    }

    /// Notes the PDF WeasyPrint made; recorded by `finish()`, once it is in place.
    public func recordPDF(_ pdf: URL, fingerprint: String, warnings: [String]) {
        pendingPDF = (pdf, fingerprint, warnings)
        lines.append("PDF made again with WeasyPrint")
    }

    // MARK: Finishing

    /// Saves the cache, unless a source changed while the build was reading it; returns the
    /// report's lines.
    public func finish() -> [String] {
        if let (destination, entries) = pendingArchive, let identity = FileIdentity(destination) {
            cache.recordArchive(BuildCache.ArchiveRecord(path: destination.standardizedFileURL.path, identity: identity,
                                                         entries: entries))
        }
        if let (destination, hash) = pendingPrint, let identity = FileIdentity(destination) {
            cache.recordPrint(BuildCache.FileRecord(path: destination.standardizedFileURL.path, identity: identity, hash: hash))
        }
        if let (pdf, fingerprint, warnings) = pendingPDF, let identity = FileIdentity(pdf) {
            cache.recordPDF(BuildCache.PDFRecord(path: pdf.standardizedFileURL.path, identity: identity,
                                                 fingerprint: fingerprint, warnings: warnings))
        }
        for kind in ["model", "checks", "EPUB", "print"] { if let line = cache.fragmentSummary(kind) { lines.append(line) } }
        for name in used.sorted() {
            if let recorded = cache.recordedIdentity(name), FileIdentity(path: path(of: name)) != recorded { unstable = true }
        }
        if unstable {
            lines.append("a source changed during the build: the cache is not updated")
            cache.memory?.forgetArticlesOfThisBuild()
            cache.discard()
        } else {
            cache.save()
        }
        return lines
    }
}
