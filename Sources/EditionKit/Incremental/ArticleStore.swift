import Foundation

/// Where the loader finds an article an earlier build loaded from the same bytes.
protocol ArticleStore: AnyObject {
    /// The article in the file `file` (as book.yaml names it; `path` is where it is), with the
    /// diagnostics its loading reported (added to `log`): loaded again by `load` only when the
    /// file's content or `key` (what else shapes the model: its id, place, punctuation) changed.
    /// An article handed back decodes its content on first use; `load` is called then too,
    /// should those bytes not decode.
    func article(file: String, at path: String, key: [String], log: inout DiagnosticLog,
                 load: @escaping (inout DiagnosticLog) -> Article?) -> Article?
}

extension IncrementalBuild: ArticleStore {
    func article(file: String, at path: String, key parts: [String], log: inout DiagnosticLog,
                 load: @escaping (inout DiagnosticLog) -> Article?) -> Article? {
        guard let hash = cache.hashInput(atPath: path, as: file) else { return load(&log) }
        let key = ContentHash.of(parts: ["article model", String(ModelCoding.format)] + parts + [hash])
        remember(modelKey: key, for: file)
        let memory = cache.memory
        if let known = memory?.article(key: key) {
            if !cache.keep(key, kind: "model") {
                _ = cache.fragment(key, kind: "model") { ModelCoding.encode(article: known.article, diagnostics: known.diagnostics) }
            }
            log.report(contentsOf: known.diagnostics)
            return known.article
        }
        var loaded: (article: Article?, diagnostics: [Diagnostic])?
        let data = cache.fragment(key, kind: "model") {
            var own = DiagnosticLog()
            let article = load(&own)
            loaded = (article, own.all)
            return ModelCoding.encode(article: article, diagnostics: own.all)
        }
        var parsed = loaded != nil
        let result: (article: Article?, diagnostics: [Diagnostic])
        if let loaded {
            result = loaded
        } else if let decoded = ModelCoding.decode(data, reload: { var own = DiagnosticLog(); return load(&own)?.content }) {
            result = decoded
        } else {
            // Bytes that passed their hash check but do not decode: loaded again.
            var own = DiagnosticLog()
            result = (load(&own), own.all)
            parsed = true
        }
        memory?.keep(article: result.article, diagnostics: result.diagnostics, key: key, parsed: parsed)
        log.report(contentsOf: result.diagnostics)
        return result.article
    }
}
