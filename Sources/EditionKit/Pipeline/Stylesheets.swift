import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The stylesheets a build reads: epub.css and print.css from `--styles`, else the book's
/// `styles` folder (which must lie inside the book), else `./styles`. Each is read as a file of
/// that folder: a link that leads out of it, a FIFO or a device is an error, never a read.
public enum Stylesheets {
    /// The styles folder for `book`, or the diagnostic that says none was found: `--styles`
    /// must name a folder; else `BOOK/styles`, when there is anything of that name, must be
    /// one (inside the book); else `./styles`.
    public static func folder(book: String, styles: String?) -> Result<URL, BuildFailure> {
        if let styles {
            if let problem = notAFolder(styles) {
                return .failure(BuildFailure([.error(problem.code, "the styles folder '\(styles)' given with --styles \(problem.words)",
                                                     at: nil, hint: "pass --styles DIR, the folder with epub.css and print.css")]))
            }
            return .success(URL(fileURLWithPath: styles, isDirectory: true))
        }
        let bookStyles = (book as NSString).appendingPathComponent("styles")
        var info = stat()
        if lstat(bookStyles, &info) == 0 {
            // Something named styles in the book is meant as its styles folder.
            let place = SourceLocation(file: display(bookStyles), line: 1)
            if let problem = notAFolder(bookStyles) {
                return .failure(BuildFailure([.error(problem.code, "the book's styles folder '\(display(bookStyles))' \(problem.words)",
                                                     at: place, hint: "make it the folder with epub.css and print.css, or pass --styles DIR")]))
            }
            if case .failure(let problem) = BookFiles.resolve(bookStyles, inside: book), case .outside = problem {
                return .failure(BuildFailure([BookFiles.diagnostic(problem, name: bookStyles, what: "the styles folder",
                                                                   folder: "the book folder", missing: .fileMissing, at: place)]))
            }
            return .success(URL(fileURLWithPath: bookStyles, isDirectory: true))
        }
        if notAFolder("styles") == nil { return .success(URL(fileURLWithPath: "styles", isDirectory: true)) }
        return .failure(BuildFailure([.error(.fileMissing, "no styles folder: neither '\(display(bookStyles))' nor './styles' exists",
                                             at: nil, hint: "add the folder with epub.css and print.css to the book as styles/, or pass --styles DIR")]))
    }

    /// Why `path` cannot be a styles folder, when it cannot.
    private static func notAFolder(_ path: String) -> (code: DiagnosticCode, words: String)? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            var link = stat()
            if lstat(path, &link) == 0 { return (.fileMissing, "is a link to nothing") }
            return (.fileMissing, "does not exist")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return (.fileUnreadable, "is \(BookFiles.kind(of: info.st_mode) ?? "a file"), not a folder")
        }
        return nil
    }

    /// A path as diagnostics print it: without a leading `./`.
    static func display(_ path: String) -> String {
        path.hasPrefix("./") ? String(path.dropFirst(2)) : path
    }

    /// The stylesheet `name` of `folder`, read for `output`, with every file it names
    /// (`StylesheetLoader`): a file it names that the output cannot publish is an error at its
    /// place in the stylesheet, as is one outside the folder, missing, or not a file.
    public static func load(_ name: String, in folder: URL, for output: Stylesheet.Output) -> Result<Stylesheet, BuildFailure> {
        var loader = StylesheetLoader(folder: folder, output: output)
        let text = loader.stylesheet(name, namedAt: nil)
        guard let text, loader.problems.isEmpty else { return .failure(BuildFailure(Pipeline.sorted(loader.problems))) }
        return .success(Stylesheet(text: text, files: loader.files))
    }

    /// What `edition check` reports about the stylesheets a build of `book` would read (with
    /// the same `--styles`, from the same working folder): no styles folder, a styles folder
    /// that leads out of the book, a stylesheet that is missing from the folder, a link out of
    /// it, a FIFO or not UTF-8, and the files its `url()`s and `@import`s name (for epub.css,
    /// their types too).
    public static func diagnostics(book: String, styles: String?, print: Bool = true) -> [Diagnostic] {
        switch folder(book: book, styles: styles) {
        case .failure(let failure): return failure.diagnostics
        case .success(let url):
            let stylesheets: [(String, Stylesheet.Output)] = print ? [("epub.css", .epub), ("print.css", .print)] : [("epub.css", .epub)]
            return stylesheets.flatMap { name, output -> [Diagnostic] in
                if case .failure(let failure) = load(name, in: url, for: output) { return failure.diagnostics }
                return []
            }
        }
    }
}
