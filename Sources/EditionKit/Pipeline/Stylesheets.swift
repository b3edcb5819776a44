import Foundation

/// The stylesheets a build reads: epub.css and print.css from `--styles`, else the book's
/// `styles` folder (which must lie inside the book), else `./styles`. Each is read as a file of
/// that folder: a link that leads out of it, a FIFO or a device is an error, never a read.
public enum Stylesheets {
    /// The styles folder for `book`, or the diagnostic that says none was found.
    public static func folder(book: String, styles: String?) -> Result<URL, BuildFailure> {
        let bookStyles = (book as NSString).appendingPathComponent("styles")
        let candidates = styles.map { [$0] } ?? [bookStyles, "styles"]
        for candidate in candidates {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), isFolder.boolValue else { continue }
            if styles == nil, candidate == bookStyles, case .failure(let problem) = BookFiles.resolve(candidate, inside: book),
               case .outside = problem {
                return .failure(BuildFailure([BookFiles.diagnostic(problem, name: candidate, what: "the styles folder",
                                                                   folder: "the book folder", missing: .fileMissing,
                                                                   at: SourceLocation(file: candidate, line: 1))]))
            }
            return .success(URL(fileURLWithPath: candidate, isDirectory: true))
        }
        return .failure(BuildFailure([.error(.fileMissing, "no styles folder (looked for \(candidates.joined(separator: ", ")))",
                                             at: nil, hint: "pass --styles DIR, the folder with epub.css and print.css")]))
    }

    /// The text of the stylesheet `name` in `folder`.
    public static func read(_ name: String, in folder: URL) -> Result<String, BuildFailure> {
        let url = folder.appendingPathComponent(name)
        let place = SourceLocation(file: url.relativePath, line: 1)
        switch BookFiles.read(url.path, inside: folder.path) {
        case .failure(let problem):
            return .failure(BuildFailure([BookFiles.diagnostic(problem, name: url.relativePath, what: "stylesheet",
                                                               folder: "the styles folder \(folder.relativePath)",
                                                               missing: .fileMissing, at: place)]))
        case .success(let data):
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(BuildFailure([.error(.fileEncoding, "stylesheet \(url.relativePath) is not valid UTF-8", at: place,
                                                     hint: "save the file as UTF-8")]))
            }
            return .success(text)
        }
    }

    /// What `edition check` reports about the stylesheets a build of `book` would read: a
    /// styles folder that leads out of the book, a stylesheet that is missing from the folder,
    /// a link out of it, a FIFO or not UTF-8. No styles folder at all is left to `build`: the
    /// folder comes from its `--styles` and working folder, not from the book.
    public static func diagnostics(book: String, styles: String?, print: Bool = true) -> [Diagnostic] {
        switch folder(book: book, styles: styles) {
        case .failure(let failure): return failure.diagnostics.filter { $0.code != .fileMissing }
        case .success(let url):
            return (print ? ["epub.css", "print.css"] : ["epub.css"]).flatMap { name -> [Diagnostic] in
                if case .failure(let failure) = read(name, in: url) { return failure.diagnostics }
                return []
            }
        }
    }
}
