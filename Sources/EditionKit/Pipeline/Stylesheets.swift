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

    /// The text of the stylesheet `name` in `folder`.
    /// Every file it names with `url()` or `@import` must be in the styles folder: one outside
    /// it, missing, or not a file is an error at its place in the stylesheet.
    public static func read(_ name: String, in folder: URL) -> Result<String, BuildFailure> {
        let url = folder.appendingPathComponent(name)
        let place = SourceLocation(file: display(url.relativePath), line: 1)
        switch BookFiles.read(url.path, inside: folder.path) {
        case .failure(let problem):
            return .failure(BuildFailure([BookFiles.diagnostic(problem, name: url.relativePath, what: "stylesheet",
                                                               folder: "the styles folder \(folder.relativePath)",
                                                               missing: .fileMissing, at: place)]))
        case .success(let data):
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(BuildFailure([.error(.fileEncoding, "stylesheet \(place.file) is not valid UTF-8", at: place,
                                                     hint: "save the file as UTF-8")]))
            }
            let problems = referenceDiagnostics(text, file: place.file, folder: folder)
            return problems.isEmpty ? .success(text) : .failure(BuildFailure(problems))
        }
    }

    /// The files `text` (the stylesheet `file` of `folder`) names that a build may not read:
    /// outside the styles folder (links resolved), missing, or not files. Addresses with a
    /// scheme other than `file:` (`data:`, `https:`), and `#fragment`s, name no file of the book.
    static func referenceDiagnostics(_ text: String, file: String, folder: URL) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let folderName = "the styles folder \(display(folder.relativePath))"
        for reference in StylesheetReferences.scan(text) {
            let target = reference.target.trimmingCharacters(in: .whitespaces)
            guard !target.isEmpty, !target.hasPrefix("#"), !target.hasPrefix("//") else { continue }
            var path: String
            if let scheme = target.firstMatch(of: /^([A-Za-z][A-Za-z0-9+.\-]*):/)?.1 {
                guard scheme.lowercased() == "file" else { continue }
                path = URL(string: target)?.path ?? String(target.dropFirst(5))
            } else {
                // A relative address: its path, without query or fragment, percent-decoded.
                path = String(target.prefix { $0 != "?" && $0 != "#" })
                path = path.removingPercentEncoding ?? path
            }
            if !path.hasPrefix("/") { path = folder.appendingPathComponent(path).path }
            guard case .failure(let problem) = BookFiles.resolve(path, inside: folder.path) else { continue }
            let what = reference.isImport ? "@import" : "url"
            let place = SourceLocation(file: file, line: reference.line, column: reference.column)
            switch problem {
            case .missing:
                result.append(.error(.fileMissing, "\(what) '\(target)' does not exist", at: place,
                                     hint: "put the file into \(folderName), or correct the address"))
            case .outside(let resolved):
                // Name where a link leads; a plain `../x` says enough by itself.
                let written = URL(fileURLWithPath: path).standardizedFileURL
                let direct = BookFiles.realPath(written.deletingLastPathComponent().path).map { ($0 as NSString).appendingPathComponent(written.lastPathComponent) }
                let link = direct == resolved ? "" : " (it leads to \(resolved))"
                result.append(.error(.fileOutsideBook, "\(what) '\(target)' is outside \(folderName)\(link); only files inside it are published",
                                     at: place, hint: "copy the file into \(folderName) and name the copy"))
            default:
                result.append(BookFiles.diagnostic(problem, name: target, what: what, folder: folderName, missing: .fileMissing, at: place))
            }
        }
        return result
    }

    /// What `edition check` reports about the stylesheets a build of `book` would read (with
    /// the same `--styles`, from the same working folder): no styles folder, a styles folder
    /// that leads out of the book, a stylesheet that is missing from the folder, a link out of
    /// it, a FIFO or not UTF-8, and the files its `url()`s and `@import`s name.
    public static func diagnostics(book: String, styles: String?, print: Bool = true) -> [Diagnostic] {
        switch folder(book: book, styles: styles) {
        case .failure(let failure): return failure.diagnostics
        case .success(let url):
            return (print ? ["epub.css", "print.css"] : ["epub.css"]).flatMap { name -> [Diagnostic] in
                if case .failure(let failure) = read(name, in: url) { return failure.diagnostics }
                return []
            }
        }
    }
}
