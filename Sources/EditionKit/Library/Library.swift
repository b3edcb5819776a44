import Foundation

/// A periodical's editions, side by side: what `library.yaml` says, or one book folder that
/// is a library of one edition.
public struct Library: Hashable, Sendable {
    /// The folder library.yaml is in (or the book folder of a library of one).
    public var root: URL
    /// The periodical's name.
    public var name: String
    public var issn: String?
    public var publisher: String?
    /// BCP 47.
    public var language: String
    /// Where the site is published, ending with `/`; nil for a site meant to be served from
    /// wherever it is put (links stay relative, canonical URLs are left out).
    public var baseURL: String?
    public var description: String?
    /// The catalogue's stable id (`identifier` in library.yaml); see `feedIdentifier`.
    public var identifier: String?
    /// The edition folders, newest first, as the user named them (paths the loader can open).
    public var editions: [Edition]
    /// Whether there is a library.yaml (else `editions` is the one book folder).
    public var hasManifest: Bool

    public struct Edition: Hashable, Sendable {
        /// The book folder, as a path to open.
        public var folder: String
        /// Where library.yaml lists it; nil for a library of one.
        public var location: SourceLocation?
    }

    /// `https://example.org/periodical/` + `path`, or nil without a base URL.
    public func absolute(_ path: String) -> String? { baseURL.map { $0 + path } }
}
