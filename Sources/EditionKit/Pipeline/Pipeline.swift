import Foundation

/// What `edition build` is asked to do.
public struct BuildOptions: Sendable {
    /// The book folder.
    public var book: String = "book"
    /// Where the outputs go.
    public var output: String = "dist"
    /// The folder with epub.css and print.css; nil looks in the book folder, then in `./styles`.
    public var styles: String?
    public var epub = true
    public var print = true
    public var pdf = false
    /// Keep a build cache in `output/.edition-cache` and rebuild only what changed (`IncrementalBuild`).
    public var cache = false
    /// The release gate: fail on every warning that book.yaml does not acknowledge.
    public var release = false
    /// What earlier builds of the same process learnt (`edition watch`): parsed articles and
    /// the cache's verified fragments.
    public var memory: BuildMemory?
    /// Render and check articles on every core; false does them one after another (the
    /// outputs are the same bytes either way).
    public var parallel = true
    /// Whether the build frees its model and state when it ends. A one-shot command (`edition
    /// build`) sets false: its process ends at once, and the operating system takes the memory
    /// back whole, where freeing the articles node by node cost a one-word edit at ×100 about
    /// 4% of its time. Everything that builds again in the same process frees it.
    public var freesState = true
    /// The environment the build reads SOURCE_DATE_EPOCH from.
    public var environment: [String: String] = ProcessInfo.processInfo.environment

    public init(book: String = "book", output: String = "dist") {
        self.book = book
        self.output = output
    }
}

/// What a build did.
public struct BuildReport: Sendable {
    /// Every diagnostic, warnings included.
    public var diagnostics: [Diagnostic] = []
    /// The files written, in order.
    public var outputs: [URL] = []
    /// With the cache: what changed, what was rebuilt and what was reused.
    public var incremental: [String] = []
    /// Where the PDF's pages begin: from this build's PDF, or the last one built from the same
    /// print inputs; nil when neither.
    public var pageMap: PageMap?
    /// The EPUB's raster cover (its `cover-image`) as this build drew or reused it: whoever
    /// publishes the edition shows it without drawing it again.
    public var cover: Data?
}

/// The pipeline, top to bottom: load → resolve → check → render → package. Each step is a
/// named `BuildStep`; `steps(for:)` lists them for a build's options and `run` runs them.
public enum Pipeline {
    /// Loads the book and runs every check on it. The book is nil when it could not be loaded.
    /// With `release`, every warning that book.yaml does not acknowledge is an error (ReleaseGate).
    public static func check(book path: String, release: Bool = false) -> (book: Book?, diagnostics: [Diagnostic]) {
        var options = BuildOptions(book: path)
        options.release = release
        var state = BuildState(options: options)
        load(&state)
        resolve(&state)
        check(&state)
        return (state.book, sorted(state.diagnostics))
    }

    /// Builds every requested output. Throws `BuildFailure` with the diagnostics when the
    /// book has errors or an output cannot be written; outputs already in place stay as they were.
    public static func build(_ options: BuildOptions,
                             progress: @escaping @Sendable (BuildProgress) -> Void = { _ in }) throws -> BuildReport {
        var state = BuildState(options: options)
        state.progress = progress
        // The cache hashes the book's files before the build reads them.
        if options.cache { state[IncrementalBuild.product] = IncrementalBuild(options: options) }
        // Whatever fails, nothing staged stays behind (the commit step has moved it, or not).
        defer { state[stagedOutputs]?.discard() }
        do {
            try run(steps(for: options), on: &state)
        } catch {
            // The objects this build rendered are not kept: a failed build writes nothing (the
            // staged outputs go first, so that folders the build made are empty again).
            state[stagedOutputs]?.discard()
            state[IncrementalBuild.product]?.cache.discard()
            throw error
        }
        let report = BuildReport(diagnostics: state.diagnostics, outputs: state.outputs,
                                 incremental: state[IncrementalBuild.product]?.finish() ?? [], pageMap: state[PDFSteps.pageMap],
                                 cover: state.epubFiles.first { $0.properties.contains("cover-image") }?.data)
        // Everything is written and the output folder's lock released (the commit step).
        if !options.freesState { ProcessLifetime.keep(state) }
        return report
    }

    /// Runs `steps` in order, reporting each one.
    public static func run(_ steps: [BuildStep], on state: inout BuildState) throws {
        for (index, step) in steps.enumerated() {
            state.progress(.step(index: index + 1, count: steps.count, name: step.name))
            try step.run(&state)
        }
    }

    // MARK: The steps

    /// The steps a build with `options` runs, in order.
    public static func steps(for options: BuildOptions) -> [BuildStep] {
        var steps: [BuildStep] = [
            // What can be known before any work: output folders, WeasyPrint for --pdf.
            BuildStep("preflight") { state in
                let problems = OutputPreflight.check(state.options)
                guard problems.isEmpty else { throw BuildFailure(problems) }
            },
            BuildStep("load") { load(&$0) },
            BuildStep("resolve") { resolve(&$0) },
            BuildStep("check") { state in
                check(&state)
                state.diagnostics = sorted(state.diagnostics)
                guard state.context != nil, !state.diagnostics.contains(where: { $0.severity == .error }) else {
                    throw BuildFailure(state.diagnostics)
                }
            },
        ]
        if options.cache {
            steps.append(BuildStep("compare with the last build") { state in
                try state[IncrementalBuild.product]?.prepare(context: state.resolved(), styles: stylesFolder(state.options))
            })
        }
        // Print HTML → PDF → EPUB: the EPUB's page list comes from the PDF's page map (or from
        // the last one made from the same print HTML, which an EPUB-only build renders for that).
        // The programs the outputs need are looked for before anything is written.
        steps.append(BuildStep("find the programs", findPrograms))
        steps.append(BuildStep("render the print edition", renderPrint))
        if options.print || options.pdf { steps.append(BuildStep("write the print edition", writePrint)) }
        if options.pdf { steps.append(BuildStep("make the PDF with WeasyPrint", makePDF)) }
        if options.epub {
            steps += [BuildStep("find the print edition's pages", PDFSteps.findPageMap),
                      BuildStep("render the EPUB", renderEPUB), BuildStep("package the EPUB", packageEPUB)]
        }
        steps.append(BuildStep("put the outputs in place") { state in try state[stagedOutputs]?.commit() })
        return steps
    }

    /// Reads book.yaml and the articles into the model.
    static func load(_ state: inout BuildState) {
        var log = DiagnosticLog()
        var loader = BookLoader(root: state.options.book)
        loader.memory = state.options.memory
        loader.store = state[IncrementalBuild.product]
        state.book = loader.load(log: &log)
        state.diagnostics += log.all
    }

    /// Builds the one context every renderer shares.
    static func resolve(_ state: inout BuildState) {
        state.context = state.book.map(EditionContext.init(book:))
    }

    /// Runs every check on the model.
    static func check(_ state: inout BuildState) {
        guard let context = state.context else { return }
        let incremental = state[IncrementalBuild.product]
        state.diagnostics += BookChecker(context: context)
            .check(reusing: incremental?.findingsStore(for: context, root: state.options.book))
        let gate = ReleaseGate(book: context.book, root: state.options.book)
        state.diagnostics += gate.unused(state.diagnostics)
        if state.options.release { state.diagnostics = gate.apply(state.diagnostics) }
    }

    /// tool-missing before any output is written: WeasyPrint's Python.
    static func findPrograms(_ state: inout BuildState) throws {
        if state.options.pdf {
            _ = try PDFWriter(environment: state.options.environment, book: URL(fileURLWithPath: state.options.book)).weasyPrint()
        }
    }

    static func renderEPUB(_ state: inout BuildState) throws {
        let context = try state.resolved()
        let stylesheet = try loadStyle("epub.css", in: try stylesFolder(state.options), for: .epub)
        let date = BuildDate(isoDate: context.book.metadata.editorial.revised ?? context.book.metadata.date, environment: state.options.environment)
        // Before anything is written: the cover (drawn in this process, so no program to find).
        let incremental = state[IncrementalBuild.product]
        var cover = try CoverImage(book: context.book)
        cover.memo = incremental?.coverMemo(program: nil)
        var renderer = EPUBRenderer(context: context, stylesheet: stylesheet.text, modified: date, cover: cover)
        renderer.styleFiles = stylesheet.files
        renderer.printPages = state[PDFSteps.pageMap].map { ($0, state.printHTML ?? "") }
        // The print HTML (as large as the EPUB's text) is written and its page map looked up:
        // only the page list still reads it, through the renderer.
        state.printHTML = nil
        let assets = try readAssets(at: epubDestination(state, context)) { try renderer.readAssets() }
        // Each article's document is a function of the article and the context: on every core
        // (the cache is safe to use from several threads).
        let progress = state.progress, total = context.articles.count, articleRenderer = renderer
        let articles = try Parallel.map(context.articles, serially: !state.options.parallel,
                                        done: { progress(.articles(done: $0, total: total)) }) { article in
            incremental?.epubArticle(article, render: articleRenderer.articleDocument) ?? articleRenderer.articleDocument(article)
        }
        var pageProblems: [Diagnostic] = []
        let files = try renderer.assemble(articles: articles, assets: assets, problems: &pageProblems)
        state.diagnostics += pageProblems
        // Not parsed back with libxml2: raw HTML is checked where it is written (the loader's
        // html-malformed), and the tests and the fuzzer check every generated document.
        state.epubFiles = files
    }

    static func packageEPUB(_ state: inout BuildState) throws {
        let context = try state.resolved()
        let destination = epubDestination(state, context)
        let date = BuildDate(isoDate: context.book.metadata.editorial.revised ?? context.book.metadata.date, environment: state.options.environment)
        let files = state.epubFiles
        let incremental = state[IncrementalBuild.product]
        let staged = try outputs(&state)
        if let incremental {
            // An unchanged EPUB is left in place: nothing is staged for it.
            _ = try incremental.package(files, destination: destination) { reuse in
                var copied = 0
                try staged.stage(destination.lastPathComponent) { url in
                    copied = try EPUBArchive.write(files, to: url, date: date, reusing: reuse)
                }
                return copied
            }
        } else {
            try staged.stage(destination.lastPathComponent) { _ = try EPUBArchive.write(files, to: $0, date: date) }
        }
        state.outputs.insert(destination, at: 0)
    }

    static func renderPrint(_ state: inout BuildState) throws {
        let context = try state.resolved()
        // Without a readable cover image the print edition shows the generated cover.
        let cover = context.book.metadata.cover.flatMap { cover in
            try? BookFiles.contents(of: context.book.root.appendingPathComponent(cover), inside: context.book.root)
        }
        let renderer = PrintRenderer(context: context, coverImage: cover)
        let incremental = state[IncrementalBuild.product]
        let progress = state.progress, total = context.articles.count
        // A warm build's reused articles stay in the cache's pack until the page is written.
        let articles = try Parallel.map(context.articles, serially: !state.options.parallel,
                                        done: { progress(.articles(done: $0, total: total)) }) { article in
            incremental?.printPiece(article, render: renderer.article) ?? .text(renderer.article(article))
        }
        state.printDocument = renderer.document(stylesheet: "print.css", articles: articles)
    }

    static func writePrint(_ state: inout BuildState) throws {
        let context = try state.resolved()
        let html = printDestination(state, context)
        let folder = html.deletingLastPathComponent()
        let css = folder.appendingPathComponent("print.css")
        let stylesheet = try loadStyle("print.css", in: try stylesFolder(state.options), for: .print)
        let document = state.printDocument ?? PrintDocument()
        let images = PrintRenderer(context: context, coverImage: nil).images
        // print.css's files go beside it, where its addresses find them; none may take the
        // place of the print edition's own files.
        let clashes = StyleFileClash.find(stylesheet.files, taken: ["print.css", html.lastPathComponent] + images.map(\.href),
                                          in: "the print edition", folder: "\(OutputSet.relative(folder))/")
        guard clashes.isEmpty else { throw BuildFailure(clashes) }
        let staged = try outputs(&state)
        try staged.write(Data(stylesheet.text.utf8), to: "print/print.css")
        for file in stylesheet.files {
            try staged.write(file.data, to: "print/\(file.path)")
        }
        for image in images {
            try staged.write(try BookFiles.contents(of: image.file, inside: context.book.root), to: "print/\(image.href)")
        }
        // An unchanged print HTML is left in place (unless WeasyPrint is to read the staged one).
        if state.options.pdf || state[IncrementalBuild.product]?.unchangedPrint(destination: html) != true {
            // Written piece by piece: the articles' own strings, and the reused ones' bytes
            // straight from the cache's pack; never the whole edition in one string.
            try staged.stage("print/\(html.lastPathComponent)") { try document.write(to: $0) }
        }
        state.outputs += [html, css]
    }

    static func makePDF(_ state: inout BuildState) throws {
        let context = try state.resolved()
        let pdf = URL(fileURLWithPath: state.options.output, isDirectory: true)
            .appendingPathComponent("\(context.book.metadata.slug).pdf")
        let writer = PDFWriter(environment: state.options.environment, book: URL(fileURLWithPath: state.options.book))
        let staged = try outputs(&state)
        let html = staged.stagedURL("print/\(printDestination(state, context).lastPathComponent)")
        // With the cache, WeasyPrint runs only when what it reads (as staged) changed.
        var fingerprint: String?
        if let incremental = state[IncrementalBuild.product] {
            let program = try writer.weasyPrint()
            let print = IncrementalBuild.pdfFingerprint(html: html, program: program,
                                                        weasyPrint: WeasyPrintVersion.installed(python: program, environment: state.options.environment))
            if let warnings = incremental.unchangedPDF(pdf, fingerprint: print) {
                state.diagnostics += gated(warnings.map { Diagnostic.warning(.pdfWarning, $0, at: nil) }, state, context)
                state.outputs.append(pdf)
                if state.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(state.diagnostics) }
                return
            }
            fingerprint = print
        }
        var written: PDFWriter.Result?
        try staged.stage(pdf.lastPathComponent) { url in written = try writer.write(html: html, to: url) }
        let warnings = (written?.warnings ?? []).map(staged.unstaged)
        if let fingerprint, let incremental = state[IncrementalBuild.product] {
            // Recorded by the cache once the outputs are in place.
            incremental.recordPDF(pdf, fingerprint: fingerprint, warnings: warnings.map(\.message))
        }
        state.diagnostics += gated(warnings, state, context)
        state.outputs.append(pdf)
        if let pageMap = written?.pageMap {
            state[PDFSteps.pageMap] = pageMap
            PDFSteps.cache(state)?.store(pageMap)
        }
        if state.diagnostics.contains(where: { $0.severity == .error }) { throw BuildFailure(state.diagnostics) }
    }

    /// WeasyPrint's warnings, through the release gate when the build is a release.
    static func gated(_ warnings: [Diagnostic], _ state: BuildState, _ context: EditionContext) -> [Diagnostic] {
        state.options.release ? ReleaseGate(book: context.book, root: state.options.book).apply(warnings) : warnings
    }

    /// Where a build's outputs wait until all of them are made (see `OutputSet`).
    public static let stagedOutputs = BuildProduct<OutputSet>("staged-outputs")

    /// The build's `OutputSet`, opened by the first step that writes: every step that makes an
    /// output (EPUB, print, PDF, web, feeds) stages its files in it, and the last step commits
    /// them all. A file where a build writes a folder stops the build before anything is staged.
    public static func outputs(_ state: inout BuildState) throws -> OutputSet {
        if let opened = state[stagedOutputs] { return opened }
        let context = try state.resolved()
        let inTheWay = OutputPreflight.check(state.options, slug: context.book.metadata.slug)
        guard inTheWay.isEmpty else { throw BuildFailure(inTheWay) }
        // A second build into the same folder waits here for the first to end.
        let opened = try OutputSet(root: URL(fileURLWithPath: state.options.output, isDirectory: true))
        state[stagedOutputs] = opened
        return opened
    }

    static func epubDestination(_ state: BuildState, _ context: EditionContext) -> URL {
        URL(fileURLWithPath: state.options.output, isDirectory: true)
            .appendingPathComponent("\(context.book.metadata.slug).epub")
    }

    static func printDestination(_ state: BuildState, _ context: EditionContext) -> URL {
        URL(fileURLWithPath: state.options.output, isDirectory: true)
            .appendingPathComponent("print", isDirectory: true)
            .appendingPathComponent("\(context.book.metadata.slug).html")
    }

    // MARK: Helpers

    /// By file and position, the order compilers print them in (ties keep the order found).
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let l = lhs.element.location, r = rhs.element.location
            let lk = (l?.file ?? "", l?.line ?? 0, l?.column ?? 0, lhs.offset)
            let rk = (r?.file ?? "", r?.line ?? 0, r?.column ?? 0, rhs.offset)
            return lk < rk
        }.map(\.element)
    }

    /// Reading the book's images and cover: a failure is reported at the output, as before.
    private static func readAssets<T>(at destination: URL, _ body: () throws -> T) throws -> T {
        var result: T?
        try step("reading the book's images", at: destination) { result = try body() }
        return result!
    }

    private static func step(_ name: String, at destination: URL, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as BuildFailure {
            throw failure
        } catch {
            throw BuildFailure([.error(.outputFailed, "\(name) failed: \(error)",
                                       at: SourceLocation(file: destination.relativePath, line: 1))])
        }
    }

    static func stylesFolder(_ options: BuildOptions) throws -> URL {
        try Stylesheets.folder(book: options.book, styles: options.styles).get()
    }

    static func loadStyle(_ name: String, in folder: URL, for output: Stylesheet.Output) throws -> Stylesheet {
        try Stylesheets.load(name, in: folder, for: output).get()
    }
}

/// What a one-shot command leaves for the operating system to take back at exit, unfreed
/// (`BuildOptions.freesState`): as compilers do with their syntax trees.
enum ProcessLifetime {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ value: Any) {
        lock.lock()
        defer { lock.unlock() }
        kept.append(value)
    }
}
