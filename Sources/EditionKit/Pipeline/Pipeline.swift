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
}

/// The pipeline, top to bottom: load → check → render → package. Each step is named, so a
/// failure says which step it came from.
public enum Pipeline {
    /// Loads the book and runs every check on it. The book is nil when it could not be loaded.
    public static func check(book path: String) -> (book: Book?, diagnostics: [Diagnostic]) {
        var log = DiagnosticLog()
        let book = BookLoader(root: path).load(log: &log)
        if let book { log.report(contentsOf: BookChecker(book: book).check()) }
        return (book, sorted(log.all))
    }

    /// Builds every requested output. Throws `BuildFailure` with the diagnostics when the
    /// book has errors or an output cannot be written; outputs already in place stay as they were.
    public static func build(_ options: BuildOptions, progress: (String) -> Void = { _ in }) throws -> BuildReport {
        progress("Loading and checking \(options.book)")
        let (loaded, diagnostics) = check(book: options.book)
        var report = BuildReport(diagnostics: diagnostics)
        guard let book = loaded, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw BuildFailure(diagnostics)
        }
        let styles = try stylesFolder(options)
        // Before anything is written: the cover, and the renderer it needs (tool-missing).
        let cover = try CoverImage(book: book, environment: options.environment)
        if options.epub, cover.needsRenderer { _ = try cover.rasterizer.program() }
        let output = URL(fileURLWithPath: options.output, isDirectory: true)
        let date = BuildDate(isoDate: book.metadata.date, environment: options.environment)

        if options.epub {
            progress("Rendering the EPUB")
            let stylesheet = try readStyle("epub.css", in: styles)
            let files = try EPUBRenderer(book: book, stylesheet: stylesheet, modified: date, cover: cover).render()
            let destination = output.appendingPathComponent("\(book.metadata.slug).epub")
            let problems = XMLCheck.check(files, container: destination.relativePath)
            guard problems.isEmpty else { throw BuildFailure(report.diagnostics + problems) }
            progress("Packaging \(destination.relativePath)")
            try step("packaging the EPUB", at: destination) {
                try EPUBArchive.write(files, to: destination, date: date)
            }
            report.outputs.append(destination)
        }
        if options.print || options.pdf {
            progress("Rendering the print edition")
            let folder = output.appendingPathComponent("print", isDirectory: true)
            let html = folder.appendingPathComponent("\(book.metadata.slug).html")
            let css = folder.appendingPathComponent("print.css")
            let stylesheet = try readStyle("print.css", in: styles)
            try step("writing the print edition", at: html) {
                try AtomicFile.write(Data(stylesheet.utf8), to: css)
                let renderer = PrintRenderer(book: book)
                for image in renderer.images {
                    try AtomicFile.write(try Data(contentsOf: image.file), to: folder.appendingPathComponent(image.href))
                }
                try AtomicFile.write(Data(renderer.render(stylesheet: "print.css").utf8), to: html)
            }
            report.outputs += [html, css]
            if options.pdf {
                progress("Making the PDF with WeasyPrint")
                let pdf = output.appendingPathComponent("\(book.metadata.slug).pdf")
                let warnings = try PDFWriter(environment: options.environment).write(html: html, to: pdf)
                report.diagnostics += warnings
                report.outputs.append(pdf)
            }
        }
        return report
    }

    /// By file and position, the order compilers print them in (ties keep the order found).
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            let l = lhs.element.location, r = rhs.element.location
            let lk = (l?.file ?? "", l?.line ?? 0, l?.column ?? 0, lhs.offset)
            let rk = (r?.file ?? "", r?.line ?? 0, r?.column ?? 0, rhs.offset)
            return lk < rk
        }.map(\.element)
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

    private static func stylesFolder(_ options: BuildOptions) throws -> URL {
        let candidates = options.styles.map { [$0] }
            ?? [(options.book as NSString).appendingPathComponent("styles"), "styles"]
        for candidate in candidates {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), isFolder.boolValue {
                return URL(fileURLWithPath: candidate, isDirectory: true)
            }
        }
        throw BuildFailure([.error(.fileMissing, "no styles folder (looked for \(candidates.joined(separator: ", ")))",
                                   at: nil, hint: "pass --styles DIR, the folder with epub.css and print.css")])
    }

    private static func readStyle(_ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw BuildFailure([.error(.fileMissing, "stylesheet \(url.relativePath) is missing or not UTF-8",
                                       at: SourceLocation(file: url.relativePath, line: 1))])
        }
        return text
    }
}
