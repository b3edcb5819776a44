/// Who the package document names: the creator library apps show as the edition's author,
/// and every contributor once per person, with their roles and sort names.
struct PackagePeople {
    let book: Book

    struct Entry: Equatable {
        var name: String
        var fileAs: String
        /// MARC relator codes, in the order first met.
        var roles: [String]
    }

    /// The edition's creators as book.yaml's `creator` decides: `periodical`, `editors`, or a
    /// name; by default the periodical, else the editors, else the publisher.
    var creators: [Entry] {
        let metadata = book.metadata
        let editorial = metadata.editorial
        let editors = metadata.contributors.filter { $0.role == .responsibleEditor || $0.role == .editor }
            .map { editorial.person(named: $0.name) }
            .map { Entry(name: $0.name, fileAs: $0.fileAs, roles: ["edt"]) }
        let periodical = metadata.periodical.map { [Entry(name: $0.name, fileAs: $0.name, roles: [])] }
        switch editorial.creator {
        case "periodical"?: return periodical ?? editors
        case "editors"?: return editors
        case let name?:
            let person = editorial.person(named: name)
            return [Entry(name: person.name, fileAs: person.fileAs, roles: [])]
        case nil:
            if let periodical { return periodical }
            if !editors.isEmpty { return editors }
            return metadata.publisher.map { [Entry(name: $0, fileAs: $0, roles: [])] } ?? []
        }
    }

    /// The masthead's people and the articles' authors, once per person (a byline's other
    /// spelling of a name counts as the same person when book.yaml's `people` says so), the
    /// creators left out.
    var contributors: [Entry] {
        let editorial = book.metadata.editorial
        let creatorNames = Set(creators.map(\.name))
        var result: [Entry] = []
        func add(_ name: String, role: String) {
            let person = editorial.person(named: name)
            if creatorNames.contains(person.name) { return }
            if let index = result.firstIndex(where: { $0.name == person.name }) {
                if !result[index].roles.contains(role) { result[index].roles.append(role) }
            } else {
                result.append(Entry(name: person.name, fileAs: person.fileAs, roles: [role]))
            }
        }
        for contributor in book.metadata.contributors { add(contributor.name, role: contributor.role.marcRelator) }
        for article in book.articles {
            for author in article.authors where !BookChecker.isPlaceholder(author.name) { add(author.name, role: "aut") }
        }
        return result
    }

    /// The metadata elements, indented by the package document.
    func elements() -> [String] {
        var lines: [String] = []
        for (index, creator) in creators.enumerated() {
            let id = "creator-\(index + 1)"
            lines.append("<dc:creator id=\"\(id)\">\(Markup.text(creator.name))</dc:creator>")
            lines.append("<meta refines=\"#\(id)\" property=\"file-as\">\(Markup.text(creator.fileAs))</meta>")
            for role in creator.roles {
                lines.append("<meta refines=\"#\(id)\" property=\"role\" scheme=\"marc:relators\">\(role)</meta>")
            }
        }
        for (index, contributor) in contributors.enumerated() {
            let id = "contributor-\(index + 1)"
            lines.append("<dc:contributor id=\"\(id)\">\(Markup.text(contributor.name))</dc:contributor>")
            lines.append("<meta refines=\"#\(id)\" property=\"file-as\">\(Markup.text(contributor.fileAs))</meta>")
            for role in contributor.roles {
                lines.append("<meta refines=\"#\(id)\" property=\"role\" scheme=\"marc:relators\">\(role)</meta>")
            }
        }
        for subject in book.metadata.editorial.subjects {
            lines.append("<dc:subject>\(Markup.text(subject))</dc:subject>")
        }
        return lines
    }
}
