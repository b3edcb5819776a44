import Foundation

extension IncrementalBuild {
    /// What the check step hands `BookChecker`: an article's findings from the cache when the
    /// article's model and everything its checks read beyond it are unchanged. Beyond the
    /// model, the checks read the article's Markdown (hashed in its model's key), the ids and
    /// files of every article (links), the image files (their content hashes), the book's
    /// language and typography settings and the folder the paths start with. Edition-wide
    /// findings (language tags, the release gate's acknowledgements) are worked out on every build.
    func findingsStore(for edition: EditionContext, root: String)
        -> (Article, () -> BookChecker.ArticleFindings) -> BookChecker.ArticleFindings {
        var parts = ["checks", root, edition.book.root.path, edition.book.metadata.language,
                     edition.book.metadata.typography.cacheKey]
        for article in edition.articles { parts += linkParts(article, in: edition) }
        for image in edition.images {
            parts += [image.source, cache.hashInput(image.file, as: relative(image.file)) ?? "unreadable"]
        }
        let context = ContentHash.of(parts: parts)
        return { [self] article, check in
            guard let model = modelKey(for: article.file) else { return check() }
            var made: BookChecker.ArticleFindings?
            let data = cache.fragment(ContentHash.of(parts: [context, model, article.id]), kind: "checks") {
                let findings = check()
                made = findings
                return ModelCoding.encode(diagnostics: [findings.model, findings.typography])
            }
            if let made { return made }
            guard let lists = ModelCoding.decodeDiagnostics(data), lists.count == 2 else { return check() }
            return BookChecker.ArticleFindings(model: lists[0], typography: lists[1])
        }
    }
}
