import Foundation

/// What `edition publish` is asked to do.
public struct PublishOptions: Sendable {
    /// The library folder (with library.yaml) or a book folder.
    public var library: String = "book"
    /// The site folder.
    public var output: String = "site"
    /// Overrides library.yaml's `base-url`.
    public var baseURL: String?
    /// Where each edition's EPUB, print HTML and PDF are built before they are copied into the
    /// site; nil is `.edition-cache` beside the site folder.
    public var cache: String?
    /// The folder with epub.css, print.css and web.css; nil looks in the library, the book, then `./styles`.
    public var styles: String?
    /// Whether to make the PDFs (WeasyPrint).
    public var pdf = true
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init(library: String = "book", output: String = "site") {
        self.library = library
        self.output = output
    }

    /// The cache folder, resolved.
    public var resolvedCacheFolder: URL { cacheFolder.standardizedFileURL }

    var cacheFolder: URL {
        if let cache { return URL(fileURLWithPath: cache, isDirectory: true) }
        let site = URL(fileURLWithPath: output, isDirectory: true).standardizedFileURL
        return site.deletingLastPathComponent().appendingPathComponent(".edition-cache", isDirectory: true)
    }
}

/// What a publish did.
public struct PublishReport: Sendable {
    public var diagnostics: [Diagnostic] = []
    public var site: URL
    public var written: [String] = []
    public var unchanged: [String] = []
    public var removed: [String] = []
    public var editions: [PublishedEdition] = []
}

/// `edition publish`: every edition of a library built (EPUB, PDF, web pages) and written as
/// a static site with the library's index page, its OPDS catalogue and its Atom feed.
public enum Publisher {
    /// Loads the library and every edition, and checks them. Library problems and each
    /// edition's diagnostics, sorted; the books in the library's order (newest first).
    public static func check(library path: String) -> (library: Library?, books: [Book], diagnostics: [Diagnostic]) {
        var log = DiagnosticLog()
        if !LibraryLoader.isLibrary(path) {
            let (book, diagnostics) = Pipeline.check(book: path)
            log.report(contentsOf: diagnostics)
            let library = book.flatMap { LibraryLoader(root: path).load(log: &log, book: $0) }
            return (library, book.map { [$0] } ?? [], Pipeline.sorted(log.all))
        }
        guard let library = LibraryLoader(root: path).load(log: &log) else { return (nil, [], Pipeline.sorted(log.all)) }
        var books: [Book] = []
        var slugs: [String: Library.Edition] = [:]
        var identifiers: [String: Library.Edition] = [:]
        for edition in library.editions {
            let (book, diagnostics) = Pipeline.check(book: edition.folder)
            log.report(contentsOf: diagnostics)
            guard let book else { continue }
            if let other = slugs[book.metadata.slug] {
                log.report(.error(.editionDuplicate, "'\(edition.folder)' has the slug '\(book.metadata.slug)' of '\(other.folder)': their files would overwrite each other",
                                  at: edition.location))
                continue
            }
            if let other = identifiers[book.metadata.identifier] {
                log.report(.error(.editionDuplicate, "'\(edition.folder)' has the identifier of '\(other.folder)': reading apps would take them for one edition",
                                  at: edition.location))
                continue
            }
            slugs[book.metadata.slug] = edition
            identifiers[book.metadata.identifier] = edition
            if let previous = books.last, previous.metadata.date < book.metadata.date {
                log.report(.warning(.editionOrder, "'\(edition.folder)' (\(book.metadata.date)) is listed after an older edition (\(previous.metadata.date)): list the newest first",
                                    at: edition.location))
            }
            books.append(book)
        }
        return (library, books, Pipeline.sorted(log.all))
    }

    public static func publish(_ options: PublishOptions, progress: (String) -> Void = { _ in }) throws -> PublishReport {
        progress("Loading and checking \(options.library)")
        let (loaded, books, diagnostics) = check(library: options.library)
        guard var library = loaded, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw BuildFailure(diagnostics)
        }
        if let url = options.baseURL {
            if let problem = LibraryLoader.baseURLProblem(url) {
                throw BuildFailure(diagnostics + [.error(.valueInvalid, problem.replacingOccurrences(of: "'base-url'", with: "--base-url"), at: nil)])
            }
            library.baseURL = url.hasSuffix("/") ? url : url + "/"
        }
        let site = URL(fileURLWithPath: options.output, isDirectory: true)
        var report = PublishReport(diagnostics: diagnostics, site: site)
        let styles = try stylesFolder(options, library: library, books: books)
        let webCSS = try loadStyle("web.css", in: styles)

        var files: [SiteFile] = [SiteFile(path: "web.css", data: Data(webCSS.text.utf8))]
        var editions: [PublishedEdition] = []
        for book in books {
            let (edition, editionFiles, warnings) = try EditionBuild(book: book, options: options, styles: styles)
                .run(progress: progress)
            report.diagnostics += warnings
            editions.append(edition)
            files += editionFiles
        }
        for edition in editions {
            progress("Rendering the web edition of \(edition.book.metadata.slug)")
            files += WebRenderer(library: library, edition: edition).render()
        }
        files.append(SiteFile(path: "index.html", text: LibraryIndex(library: library, editions: editions).render()))
        files.append(SiteFile(path: OPDSCatalogue.path, text: OPDSCatalogue(library: library, editions: editions).render()))
        files.append(SiteFile(path: ArticleFeed.path, text: ArticleFeed(library: library, editions: editions).render()))
        // web.css's files go beside it, at the site's root, where its addresses find them;
        // none may take the place of a page, a download or the site's list of its files.
        let clashes = StyleFileClash.find(webCSS.files, taken: files.map(\.path) + [SiteWriter.manifestName],
                                          in: "the site", folder: "\(site.relativePath)/")
        guard clashes.isEmpty else { throw BuildFailure(report.diagnostics + clashes) }
        files.insert(contentsOf: webCSS.files.map { SiteFile(path: $0.path, data: $0.data) }, at: 1)
        progress("Writing the site into \(site.relativePath)")
        let result: SiteWriter.Result
        do {
            result = try SiteWriter(folder: site).write(files)
        } catch let failure as BuildFailure {
            throw BuildFailure(report.diagnostics + failure.diagnostics)
        } catch {
            throw BuildFailure(report.diagnostics + [.error(.outputFailed, "writing the site failed: \(error)",
                                                            at: SourceLocation(file: site.relativePath, line: 1))])
        }
        report.written = result.written
        report.unchanged = result.unchanged
        report.removed = result.removed
        report.editions = editions
        return report
    }

    static func stylesFolder(_ options: PublishOptions, library: Library, books: [Book]) throws -> URL {
        let candidates = options.styles.map { [$0] }
            ?? ([library.root.appendingPathComponent("styles").path] + books.map { $0.root.appendingPathComponent("styles").path } + ["styles"])
        for candidate in candidates {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), isFolder.boolValue {
                return URL(fileURLWithPath: candidate, isDirectory: true)
            }
        }
        throw BuildFailure([.error(.fileMissing, "no styles folder (looked for \(candidates.joined(separator: ", ")))",
                                   at: nil, hint: "pass --styles DIR, the folder with epub.css, print.css and web.css")])
    }

    /// A stylesheet of the styles folder for the web edition, with the files it names, read as
    /// a build reads one (a link out of the folder, a FIFO, text that is not UTF-8 or a `url()`
    /// out of the folder is an error).
    static func loadStyle(_ name: String, in folder: URL) throws -> Stylesheet {
        try Stylesheets.load(name, in: folder, for: .web).get()
    }
}
