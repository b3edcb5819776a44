import Foundation

/// Reads a stylesheet of the styles folder and, through its `url()`s and `@import`s, every
/// file it names, and the files an @import-ed stylesheet names in turn (relative to that
/// stylesheet, as browsers resolve them). Every file is read with `BookFiles`: one outside the
/// folder (links resolved), missing or not a file is an error at its place in the stylesheet
/// that names it, and so is an address the published copy could not be found by (absolute,
/// `file:`, or one that climbs out of the folder and back in). For the EPUB, a file that is not
/// of a core media type is a `style-file-format` error. Each file is read once, however often
/// it is named; an @import cycle ends at the stylesheet already read.
struct StylesheetLoader {
    let folder: URL
    let output: Stylesheet.Output
    private(set) var files: [Stylesheet.File] = []
    private(set) var problems: [Diagnostic] = []
    /// The standard paths (relative to the folder) read or being read.
    private var seen: Set<String> = []

    init(folder: URL, output: Stylesheet.Output) {
        self.folder = folder
        self.output = output
    }

    /// "the styles folder book/styles", as every diagnostic names it.
    private var folderName: String { "the styles folder \(Stylesheets.display(folder.relativePath))" }

    /// The stylesheet `path` (relative to the folder) and everything it names; nil when it
    /// cannot be read or is not UTF-8 (the problem is recorded). `namedAt` is the @import that
    /// names it; nil for the stylesheet an output asks for, which is not one of `files`.
    mutating func stylesheet(_ path: String, namedAt place: SourceLocation?) -> String? {
        seen.insert(path)
        let url = folder.appendingPathComponent(path)
        let file = Stylesheets.display(url.relativePath)
        let data: Data
        switch BookFiles.read(url.path, inside: folder.path) {
        case .failure(let problem):
            problems.append(BookFiles.diagnostic(problem, name: url.relativePath, what: "stylesheet",
                                                 folder: "the styles folder \(folder.relativePath)",
                                                 missing: .fileMissing, at: place ?? SourceLocation(file: file, line: 1)))
            return nil
        case .success(let read):
            data = read
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(.error(.fileEncoding, "stylesheet \(file) is not valid UTF-8", at: SourceLocation(file: file, line: 1),
                                   hint: "save the file as UTF-8"))
            return nil
        }
        if let place { files.append(Stylesheet.File(path: path, data: data, mediaType: "text/css", place: place)) }
        follow(text, of: path, file: file)
        return text
    }

    /// Reads what the references of `text` (the stylesheet `path`, printed as `file`) name.
    private mutating func follow(_ text: String, of path: String, file: String) {
        let base = (path as NSString).deletingLastPathComponent
        for reference in StylesheetReferences.scan(text) {
            let place = SourceLocation(file: file, line: reference.line, column: reference.column)
            let target = reference.target.trimmingCharacters(in: .whitespaces)
            guard let address = Address(target) else { continue }
            let what = reference.isImport ? "@import" : "url"
            let written = address.isAbsolute ? address.path : folder.appendingPathComponent(base).appendingPathComponent(address.path).path
            switch BookFiles.resolve(written, inside: folder.path) {
            case .failure(let problem):
                problems.append(diagnostic(problem, what: what, target: target, path: written, at: place))
                continue
            case .success:
                break
            }
            guard !address.isAbsolute, let standard = Self.standard(base.isEmpty ? address.path : base + "/" + address.path) else {
                let words = address.isAbsolute ? "is an absolute address" : "leads out of \(folderName) and back in"
                problems.append(.error(address.isAbsolute ? .valueInvalid : .fileOutsideBook,
                                       "\(what) '\(target)' \(words): the copy published beside the stylesheet would not be found by it",
                                       at: place, hint: "name the file by its path from the stylesheet's folder"))
                continue
            }
            guard seen.insert(standard).inserted else { continue }
            let mediaType = reference.isImport ? "text/css" : Stylesheet.coreMediaType(ofFile: standard)
            if output == .epub, mediaType == nil {
                problems.append(.error(.styleFileFormat, "\(what) '\(target)' names a file of a type EPUB does not support", at: place,
                                       hint: "use WOFF2, WOFF, OpenType or TrueType fonts, JPEG, PNG, GIF, WebP or SVG images, and CSS"))
                continue
            }
            if reference.isImport {
                _ = stylesheet(standard, namedAt: place)
                continue
            }
            switch BookFiles.read(written, inside: folder.path) {
            case .failure(let problem):
                problems.append(diagnostic(problem, what: what, target: target, path: written, at: place))
            case .success(let data):
                files.append(Stylesheet.File(path: standard, data: data, mediaType: mediaType, place: place))
            }
        }
    }

    /// What an address names: a path in the file system, absolute (`/x`, `file:` addresses) or
    /// relative to the stylesheet, its query and fragment dropped and percent-decoded. Nil for
    /// addresses that name no file of the book: `#fragment`s, `//host` and schemes other than
    /// `file:` (`data:`, `https:`).
    struct Address {
        var path: String
        var isAbsolute: Bool

        init?(_ target: String) {
            guard !target.isEmpty, !target.hasPrefix("#"), !target.hasPrefix("//") else { return nil }
            if let scheme = target.firstMatch(of: /^([A-Za-z][A-Za-z0-9+.\-]*):/)?.1 {
                guard scheme.lowercased() == "file" else { return nil }
                path = URL(string: target)?.path ?? String(target.dropFirst(5))
                isAbsolute = true  // no reader of a published stylesheet can follow a file: address
                return
            }
            let path = String(target.prefix { $0 != "?" && $0 != "#" })
            self.path = path.removingPercentEncoding ?? path
            isAbsolute = self.path.hasPrefix("/")
        }
    }

    /// `path` (relative to the folder) without `.` and `..` steps; nil when a `..` climbs
    /// above the folder.
    static func standard(_ path: String) -> String? {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// The diagnostic for a file named as `target` (at `path` in the file system) that may not be read.
    private func diagnostic(_ problem: BookFiles.Problem, what: String, target: String, path: String,
                            at place: SourceLocation) -> Diagnostic {
        switch problem {
        case .missing:
            return .error(.fileMissing, "\(what) '\(target)' does not exist", at: place,
                          hint: "put the file into \(folderName), or correct the address")
        case .outside(let resolved):
            // Name where a link leads; a plain `../x` says enough by itself.
            let written = URL(fileURLWithPath: path).standardizedFileURL
            let direct = BookFiles.realPath(written.deletingLastPathComponent().path).map { ($0 as NSString).appendingPathComponent(written.lastPathComponent) }
            let link = direct == resolved ? "" : " (it leads to \(resolved))"
            return .error(.fileOutsideBook, "\(what) '\(target)' is outside \(folderName)\(link); only files inside it are published",
                          at: place, hint: "copy the file into \(folderName) and name the copy")
        default:
            return BookFiles.diagnostic(problem, name: target, what: what, folder: folderName, missing: .fileMissing, at: place)
        }
    }
}
