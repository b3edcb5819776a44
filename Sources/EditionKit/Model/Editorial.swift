/// What book.yaml records of the editors' work on the edition: who it is by, what it is about,
/// how each person's name sorts, what the editors corrected and when, which warnings they
/// accepted and why, and who evaluated its accessibility.
public struct EditorialMetadata: Hashable, Sendable {
    /// `creator:` as written: `periodical`, `editors`, or a name. Nil: the periodical when
    /// there is one, else the editors, else the publisher.
    public var creator: String?
    /// Subjects and keywords (`dc:subject`, the PDF's keywords); the first is the PDF's subject.
    public var subjects: [String] = []
    /// How people are named in the metadata: one entry per person.
    public var people: [Person] = []
    /// The date of the corrected edition, `YYYY-MM-DD` (`dcterms:modified`, the colophon).
    public var revised: String?
    public var corrections: [Correction] = []
    public var acknowledgements: [Acknowledgement] = []
    /// Who evaluated the edition's accessibility (`a11y:certifiedBy`); without it the edition
    /// claims no conformance.
    public var accessibilityEvaluatedBy: String?

    public init() {}

    /// The person a byline's name stands for: the entry naming it, or a person of that name
    /// sorted by the last word of the name.
    public func person(named name: String) -> Person {
        if let person = people.first(where: { $0.name == name || $0.aliases.contains(name) }) { return person }
        return Person(name: name, fileAs: Person.defaultFileAs(name))
    }
}

/// A person as the metadata names them, with the sort name library apps file them under.
public struct Person: Hashable, Sendable {
    public var name: String
    public var fileAs: String
    /// Other ways the bylines write this person's name ("Edu Almeida").
    public var aliases: [String] = []

    public init(name: String, fileAs: String, aliases: [String] = []) {
        self.name = name
        self.fileAs = fileAs
        self.aliases = aliases
    }

    /// "Florence Oppen" → "Oppen, Florence"; a single word stays as it is.
    public static func defaultFileAs(_ name: String) -> String {
        let words = name.split(separator: " ").map(String.init)
        guard words.count > 1 else { return name }
        return "\(words.last!), \(words.dropLast().joined(separator: " "))"
    }
}

/// A change the editors made to a source's text, on record: what the source has, what the
/// edition has instead (empty when a passage was removed), why, and when.
public struct Correction: Hashable, Sendable {
    /// The article's Markdown file, relative to the book folder.
    public var file: String
    public var was: String
    public var now: String
    public var reason: String
    /// `YYYY-MM-DD`.
    public var date: String
    /// What the colophon says in place of quoting `was`, when the source's text must not be
    /// shown again (a layout placeholder): "the layout's placeholder byline".
    public var shown: String?
    public var location: SourceLocation?
}

/// A warning the editors accept for this edition, with their reason: `edition check
/// --release` fails on every warning that no acknowledgement matches.
public struct Acknowledgement: Hashable, Sendable {
    public var code: String
    /// `file` (anywhere in it) or `file:line`, relative to the book folder.
    public var place: String
    public var reason: String
    public var location: SourceLocation?

    public init(code: String, place: String, reason: String, location: SourceLocation? = nil) {
        self.code = code
        self.place = place
        self.reason = reason
        self.location = location
    }

    /// The file and line `place` names.
    public var file: String { line == nil ? place : String(place[..<place.lastIndex(of: ":")!]) }
    public var line: Int? {
        guard let colon = place.lastIndex(of: ":") else { return nil }
        return Int(place[place.index(after: colon)...])
    }
}
