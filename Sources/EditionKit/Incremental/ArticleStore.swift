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
        // The model's content is a fragment of its own: read only if something asks for it.
        let contentKey = ContentHash.of(parts: [key, "content"])
        remember(modelKey: key, for: file)
        let memory = cache.memory
        if let known = memory?.article(key: key) {
            if !cache.keep(key, kind: "model") || !cache.keep(contentKey, kind: "content") {
                store(known.article, known.diagnostics, key: key, contentKey: contentKey)
            }
            log.report(contentsOf: known.diagnostics)
            return known.article
        }
        var loaded: (article: Article?, diagnostics: [Diagnostic])?
        let head = cache.fragment(key, kind: "model") {
            var own = DiagnosticLog()
            let article = load(&own)
            loaded = (article, own.all)
            let encoded = ModelCoding.encode(article: article, diagnostics: own.all)
            _ = cache.fragment(contentKey, kind: "content") { encoded.content }
            return encoded.head
        }
        var parsed = loaded != nil
        let result: (article: Article?, diagnostics: [Diagnostic])
        if let loaded {
            result = loaded
        } else if let content = cache.deferredFragment(contentKey, kind: "content"),
                  let decoded = ModelCoding.decode(head, content: content, reload: { var own = DiagnosticLog(); return load(&own)?.content }) {
            result = decoded
        } else {
            // A head that passed its hash check but does not decode, or whose content is gone:
            // loaded again, and its content stored again (the same article, the same head).
            var own = DiagnosticLog()
            result = (load(&own), own.all)
            let encoded = ModelCoding.encode(article: result.article, diagnostics: result.diagnostics)
            _ = cache.fragment(contentKey, kind: "content") { encoded.content }
            parsed = true
        }
        if let memory {
            // What `edition watch` keeps from build to build holds its content: an article
            // still to decode would keep this build's cache (and its closed packs) alive.
            _ = result.article?.content
            memory.keep(article: result.article, diagnostics: result.diagnostics, key: key, parsed: parsed)
        }
        log.report(contentsOf: result.diagnostics)
        return result.article
    }

    /// Stores a model's head and content under their keys (each left as it is when stored and intact).
    private func store(_ article: Article?, _ diagnostics: [Diagnostic], key: String, contentKey: String) {
        let encoded = ModelCoding.encode(article: article, diagnostics: diagnostics)
        _ = cache.fragment(key, kind: "model") { encoded.head }
        _ = cache.fragment(contentKey, kind: "content") { encoded.content }
    }
}
