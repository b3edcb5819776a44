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

    /// What a warning can be acknowledged by: its code and file (an acknowledgement with no
    /// line), and its code, file and line ("edition" when the warning has no file). Matching
    /// through these keys keeps the gate linear in the number of warnings and acknowledgements
    /// (a ×100 book has thousands of each); comparing every pair grew with the square.
    private func keys(_ diagnostic: Diagnostic) -> [String] {
        guard diagnostic.severity == .warning else { return [] }
        let code = diagnostic.code.rawValue
        guard let file = relativeFile(diagnostic) else { return ["\(code)\u{0}edition"] }
        return ["\(code)\u{0}\(file)", "\(code)\u{0}\(file)\u{0}\(diagnostic.location?.line ?? 0)"]
    }

    private func key(_ acknowledgement: Acknowledgement) -> String {
        acknowledgement.line.map { "\(acknowledgement.code)\u{0}\(acknowledgement.file)\u{0}\($0)" }
            ?? "\(acknowledgement.code)\u{0}\(acknowledgement.file)"
    }

    /// A warning for each acknowledgement that matches none of `diagnostics`.
    public func unused(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let present = Set(diagnostics.flatMap(keys))
        return acknowledgements.filter { !present.contains(key($0)) }.map {
            .warning(.acknowledgementUnused, "no \($0.code) warning at \($0.place) to acknowledge",
                     at: $0.location, hint: "remove this acknowledgement, or correct its 'code' and 'where'")
        }
    }

    /// For a release: acknowledged warnings are left out, and every other warning becomes an
    /// error, so that it stops the release.
    public func apply(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let acknowledged = Set(acknowledgements.map(key))
        return diagnostics.compactMap { diagnostic in
            guard diagnostic.severity == .warning else { return diagnostic }
            if keys(diagnostic).contains(where: acknowledged.contains) { return nil }
            var failing = diagnostic
            failing.severity = .error
            failing.message += " (a warning that book.yaml does not acknowledge)"
            failing.hint = "fix it, or add it to book.yaml's acknowledgements: with code, where and why"
            return failing
        }
    }
}
