import Foundation

/// Reads `library.yaml` key by key (like book.yaml), or takes a book folder as a library of
/// one edition when there is none.
public struct LibraryLoader {
    /// The library folder as the user named it; diagnostics print paths under it.
    public let root: String

    public init(root: String) { self.root = root }

    public static let manifestName = "library.yaml"

    func path(_ relative: String) -> String {
        root.isEmpty || root == "." ? relative : (root as NSString).appendingPathComponent(relative)
    }

    /// Whether `folder` holds a library.yaml.
    public static func isLibrary(_ folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(manifestName))
    }

    /// Loads the library. A folder without library.yaml is a library of one edition whose
    /// periodical, language and publisher come from its book.yaml (`book` is that book).
    public func load(log: inout DiagnosticLog, book: Book? = nil) -> Library? {
        let manifestPath = path(Self.manifestName)
        guard FileManager.default.fileExists(atPath: manifestPath) else {
            guard let book else { return nil }
            let metadata = book.metadata
            return Library(root: URL(fileURLWithPath: root, isDirectory: true),
                           name: metadata.periodical?.name ?? metadata.title, issn: metadata.periodical?.issn,
                           publisher: metadata.publisher, language: metadata.language, baseURL: nil,
                           description: metadata.description, identifier: nil,
                           editions: [Library.Edition(folder: root, location: nil)], hasManifest: false)
        }
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            log.report(.error(.fileUnreadable, "'\(manifestPath)' could not be read", at: nil))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            log.report(.error(.fileEncoding, "'\(manifestPath)' is not valid UTF-8",
                              at: SourceLocation(file: manifestPath, line: 1), hint: "save the file as UTF-8"))
            return nil
        }
        guard var manifest = YAMLMapping.parse(text, file: manifestPath, lineOffset: 0, log: &log) else { return nil }
        let name = manifest.string("name", required: true)
        let issn = manifest.string("issn")
        if let issn, let problem = BookLoader.issnProblem(issn) {
            manifest.report(.error(.valueInvalid, problem, at: manifest.location(ofValue: "issn")))
        }
        let publisher = manifest.string("publisher")
        let language = manifest.string("language", required: true)
        if let language, !BookLoader.isLanguageTag(language) {
            manifest.report(.error(.valueInvalid, BookLoader.languageMessage(language),
                                   at: manifest.location(ofValue: "language")))
        }
        var baseURL = manifest.string("base-url")
        if let url = baseURL {
            if let problem = Self.baseURLProblem(url) {
                manifest.report(.error(.valueInvalid, problem, at: manifest.location(ofValue: "base-url"),
                                       hint: "write the address the site is served from: https://example.org/periodical/"))
                baseURL = nil
            } else if !url.hasSuffix("/") {
                baseURL = url + "/"
            }
        }
        let description = manifest.string("description")
        let identifier = manifest.string("identifier")
        var editions: [Library.Edition] = []
        var seen: [String: SourceLocation] = [:]
        let listed = manifest.strings("editions", required: true)
        if let listed, listed.isEmpty {
            manifest.report(.error(.valueInvalid, "'editions' lists no edition folder", at: manifest.location(ofValue: "editions")))
        }
        for (folder, location) in listed ?? [] {
            let normalized = URL(fileURLWithPath: path(folder), isDirectory: true).standardizedFileURL.path
            if let first = seen[normalized] {
                manifest.report(.error(.editionDuplicate, "'\(folder)' is already listed at \(first)", at: location))
                continue
            }
            seen[normalized] = location
            let bookPath = path(folder)
            guard FileManager.default.fileExists(atPath: (bookPath as NSString).appendingPathComponent(BookLoader.manifestName)) else {
                manifest.report(.error(.fileMissing, "edition folder '\(folder)' has no \(BookLoader.manifestName)", at: location))
                continue
            }
            editions.append(Library.Edition(folder: bookPath, location: location))
        }
        log.report(contentsOf: manifest.finish().all)
        guard let name, let language else { return nil }
        return Library(root: URL(fileURLWithPath: root, isDirectory: true), name: name, issn: issn, publisher: publisher,
                       language: language, baseURL: baseURL, description: description, identifier: identifier, editions: editions,
                       hasManifest: true)
    }

    /// Why a base URL cannot be used: it must be an absolute http(s) address.
    static func baseURLProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else { return "'base-url' must be an http or https address without query or fragment, not '\(text)'" }
        return nil
    }
}
