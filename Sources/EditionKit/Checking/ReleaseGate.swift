/// The release gate: an edition goes out only when every warning is fixed or acknowledged in
/// book.yaml with a reason (`acknowledgements:` — code, where, why), as a lint's exceptions
/// must each give theirs. An acknowledgement that matches nothing is itself a warning, so
/// the list cannot outlive what it excuses.
public struct ReleaseGate {
    public let acknowledgements: [Acknowledgement]
    /// The book folder as the diagnostics' paths start with it.
    public let root: String

    public init(book: Book, root: String) {
        self.acknowledgements = book.metadata.editorial.acknowledgements
        self.root = root
    }

    /// The diagnostic's file relative to the book folder ("06-uprising-betrayed-1985.md").
    func relativeFile(_ diagnostic: Diagnostic) -> String? {
        guard let file = diagnostic.location?.file else { return nil }
        guard !root.isEmpty, root != "." else { return file }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    public func matches(_ acknowledgement: Acknowledgement, _ diagnostic: Diagnostic) -> Bool {
        guard diagnostic.severity == .warning, diagnostic.code.rawValue == acknowledgement.code else { return false }
        guard let file = relativeFile(diagnostic) else { return acknowledgement.place == "edition" }
        return file == acknowledgement.file && (acknowledgement.line.map { $0 == diagnostic.location?.line } ?? true)
    }

    /// A warning for each acknowledgement that matches none of `diagnostics`.
    public func unused(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        acknowledgements.filter { acknowledgement in !diagnostics.contains { matches(acknowledgement, $0) } }.map {
            .warning(.acknowledgementUnused, "no \($0.code) warning at \($0.place) to acknowledge",
                     at: $0.location, hint: "remove this acknowledgement, or correct its 'code' and 'where'")
        }
    }

    /// For a release: acknowledged warnings are left out, and every other warning becomes an
    /// error, so that it stops the release.
    public func apply(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.compactMap { diagnostic in
            guard diagnostic.severity == .warning else { return diagnostic }
            if acknowledgements.contains(where: { matches($0, diagnostic) }) { return nil }
            var failing = diagnostic
            failing.severity = .error
            failing.message += " (a warning that book.yaml does not acknowledge)"
            failing.hint = "fix it, or add it to book.yaml's acknowledgements: with code, where and why"
            return failing
        }
    }
}
