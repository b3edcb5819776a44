import Foundation

/// What one process keeps from build to build (`edition watch`): the articles it parsed, by
/// their text, and the cache's fragments it has read and verified, by their hash. Both are
/// keyed by content, so an entry is never stale: a changed file has another key. Entries a
/// build did not use are dropped after it (`endBuild`), so memory follows the book's size.
public final class BuildMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var articles: [String: (article: Article?, diagnostics: [Diagnostic])] = [:]
    private var objects: [String: Data] = [:]
    private var usedArticles = Set<String>()
    private var usedObjects = Set<String>()
    /// Articles parsed and reused in the current build.
    public private(set) var parsed = 0
    public private(set) var reused = 0

    public init() {}

    /// The article `parse` makes from a file's `bytes`, parsed again only when they or what
    /// `key` names (the file's place, its id) changed; its diagnostics go to `log` either way.
    func article(key parts: [String], bytes: Data, log: inout DiagnosticLog,
                 parse: (inout DiagnosticLog) -> Article?) -> Article? {
        let key = ContentHash.of(parts: parts) + ContentHash.of(bytes)
        lock.lock()
        let known = articles[key]
        usedArticles.insert(key)
        if known != nil { reused += 1 }
        lock.unlock()
        if let known {
            log.report(contentsOf: known.diagnostics)
            return known.article
        }
        var own = DiagnosticLog()
        let article = parse(&own)
        log.report(contentsOf: own.all)
        lock.lock()
        articles[key] = (article, own.all)
        parsed += 1
        lock.unlock()
        return article
    }

    /// The article and diagnostics loaded under `key` (the build cache's key: the file's
    /// content hash and what else shapes the model), counted as reused.
    func article(key: String) -> (article: Article?, diagnostics: [Diagnostic])? {
        lock.lock()
        defer { lock.unlock() }
        guard let known = articles[key] else { return nil }
        usedArticles.insert(key)
        reused += 1
        return known
    }

    /// Keeps an article loaded under `key`; `parsed` says whether it was parsed from its
    /// Markdown (rather than read from the build cache).
    func keep(article: Article?, diagnostics: [Diagnostic], key: String, parsed isParsed: Bool) {
        lock.lock()
        defer { lock.unlock() }
        articles[key] = (article, diagnostics)
        usedArticles.insert(key)
        if isParsed { parsed += 1 } else { reused += 1 }
    }

    /// A verified fragment, by its hash.
    func object(_ name: String) -> Data? {
        lock.lock()
        defer { lock.unlock() }
        guard let data = objects[name] else { return nil }
        usedObjects.insert(name)
        return data
    }

    func keep(_ data: Data, as name: String) {
        lock.lock()
        defer { lock.unlock() }
        objects[name] = data
        usedObjects.insert(name)
    }

    /// Starts a build: counts from zero.
    public func beginBuild() {
        lock.lock()
        defer { lock.unlock() }
        parsed = 0
        reused = 0
        usedArticles = []
        usedObjects = []
    }

    /// Forgets the articles the current build used: a source changed while it read them, so
    /// an article kept under its file's hash may have been parsed from other bytes.
    public func forgetArticlesOfThisBuild() {
        lock.lock()
        defer { lock.unlock() }
        articles = articles.filter { !usedArticles.contains($0.key) }
        usedArticles = []
    }

    /// Ends a build: forgets what it did not use.
    public func endBuild() {
        lock.lock()
        defer { lock.unlock() }
        articles = articles.filter { usedArticles.contains($0.key) }
        objects = objects.filter { usedObjects.contains($0.key) }
    }
}
