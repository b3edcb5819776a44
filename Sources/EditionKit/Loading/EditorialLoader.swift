import Foundation
import Yams

/// Reads the editorial keys of book.yaml: `creator`, `subjects`, `people`, `revised`,
/// `corrections`, `acknowledgements` and `accessibility`.
extension BookLoader {
    func readEditorial(_ manifest: inout YAMLMapping, articleFiles: Set<String>) -> EditorialMetadata {
        var editorial = EditorialMetadata()
        editorial.creator = manifest.string("creator")
        editorial.subjects = (manifest.strings("subjects") ?? []).map(\.0)
        for node in manifest.sequence("people") ?? [] {
            guard var mapping = manifest.mapping(of: node, in: "people") else {
                manifest.report(.error(.valueType, "each person must be a mapping with 'name' and 'file-as' (and an optional 'also')",
                                       at: manifest.location(of: node)))
                continue
            }
            let name = mapping.string("name", required: true)
            let fileAs = mapping.string("file-as")
            let aliases = (mapping.strings("also") ?? []).map(\.0)
            if let name { editorial.people.append(Person(name: name, fileAs: fileAs ?? Person.defaultFileAs(name), aliases: aliases)) }
            manifest.merge(mapping)
        }
        editorial.revised = date(&manifest, "revised")
        for node in manifest.sequence("corrections") ?? [] {
            guard var mapping = manifest.mapping(of: node, in: "corrections") else {
                manifest.report(.error(.valueType, "each correction must be a mapping with 'file', 'was', 'now', 'reason' and 'date'",
                                       at: manifest.location(of: node)))
                continue
            }
            let file = mapping.string("file", required: true)
            if let file, !articleFiles.contains(file) {
                mapping.report(.error(.valueInvalid, "'\(file)' is not an article of this book", at: mapping.location(ofValue: "file")))
            }
            let was = mapping.has("was") ? mapping.string("was") ?? "" : mapping.string("was", required: true)
            let now = mapping.has("now") ? mapping.string("now") ?? "" : mapping.string("now", required: true)
            let reason = mapping.string("reason", required: true)
            let date = date(&mapping, "date", required: true)
            let shown = mapping.string("shown")
            if let was, let now, was == now {
                mapping.report(.error(.valueInvalid, "'was' and 'now' are the same text", at: mapping.location))
            }
            if let file, let was, let now, let reason, let date {
                editorial.corrections.append(Correction(file: file, was: was, now: now, reason: reason, date: date, shown: shown,
                                                        location: mapping.location))
            }
            manifest.merge(mapping)
        }
        for node in manifest.sequence("acknowledgements") ?? [] {
            guard var mapping = manifest.mapping(of: node, in: "acknowledgements") else {
                manifest.report(.error(.valueType, "each acknowledgement must be a mapping with 'code', 'where' and 'why'",
                                       at: manifest.location(of: node)))
                continue
            }
            let code = mapping.string("code", required: true)
            if let code, DiagnosticCode(rawValue: code) == nil {
                mapping.report(.error(.valueInvalid, "'\(code)' is not a diagnostic code", at: mapping.location(ofValue: "code"),
                                      hint: "edition check --explain lists them"))
            }
            let place = mapping.string("where", required: true)
            let reason = mapping.string("why", required: true)
            if let code, let place, let reason {
                editorial.acknowledgements.append(Acknowledgement(code: code, place: place, reason: reason,
                                                                  location: mapping.location))
            }
            manifest.merge(mapping)
        }
        if var mapping = manifest.mapping("accessibility") {
            editorial.accessibilityEvaluatedBy = mapping.string("evaluated-by")
            manifest.merge(mapping)
        }
        return editorial
    }

    private func date(_ mapping: inout YAMLMapping, _ key: String, required: Bool = false) -> String? {
        guard let text = mapping.string(key, required: required) else { return nil }
        guard Self.isISODate(text) else {
            mapping.report(.error(.valueInvalid, "'\(key)' must be a date written YYYY-MM-DD, not '\(text)'",
                                  at: mapping.location(ofValue: key)))
            return nil
        }
        return text
    }
}
