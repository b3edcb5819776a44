import EditionKit
import Foundation
import XCTest

/// `edition publish` on the fixture library (three tiny editions, one in Spanish): the site's
/// files, its pages against the EPUB, its metadata, the index, the OPDS catalogue (jing and
/// feedparser), the Atom feed, and a second publish that rewrites nothing.
final class LibrarySiteTests: XCTestCase {
    static let library = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/libraries/periodical")
    nonisolated(unsafe) static var published: Result<PublishedSite, Error>?

    override class func setUp() {
        super.setUp()
        published = Result { try PublishedSite.publish(library) }
    }

    override class func tearDown() {
        if case .success(let site)? = published { site.remove() }
        published = nil
        super.tearDown()
    }

    var site: PublishedSite { get throws { try XCTUnwrap(Self.published).get() } }

    static let slugs = ["test-periodical-5", "test-periodical-4", "minimal-edition"]

    func testTheSiteHasEveryEditionsPagesDownloadsAndFeeds() throws {
        let site = try site
        var expected: Set<String> = ["index.html", "web.css", "opds.xml", "atom.xml"]
        let editions = ["test-periodical-5": ["rivers", "bridges"], "test-periodical-4": ["cumbres", "valles"],
                        "minimal-edition": ["first-article", "second-article", "old-document"]]
        for (slug, articles) in editions {
            expected.formUnion(["\(slug)/index.html", "\(slug)/\(slug).epub", "\(slug)/\(slug).pdf"])
            expected.formUnion(articles.map { "\(slug)/\($0).html" })
        }
        let files = Set(try site.files)
        XCTAssertTrue(expected.isSubset(of: files), "missing: \(expected.subtracting(files).sorted())")
        XCTAssertTrue(files.contains("test-periodical-5/images/figures/images-map.png"), "the article's image is in the site")
        XCTAssertEqual(try site.data("web.css"), try Data(contentsOf: TestSupport.styles.appendingPathComponent("web.css")),
                       "web.css is the editors' file, unchanged")
        XCTAssertTrue(site.result.standardOutput.contains("published 3 editions"), site.result.standardOutput)
    }

    func testEveryPagePassesTheNuChecker() throws {
        let site = try site
        XCTAssertEqual(try site.pages.count, 3 + 7 + 1)
        XCTAssertEqual(try WebTools.nuComplaints(site.site), "", "the Nu checker rejects pages")
    }

    func testNoPageCarriesAScriptButItsJSONLD() throws {
        let site = try site
        for path in try site.pages {
            let scripts = try site.page(path).all { $0.name == "script" }
            XCTAssertEqual(scripts.map { $0["type"] }, [Optional("application/ld+json")], path)
        }
    }

    /// Each article page has the EPUB's article markup: the same citations with the same ids
    /// and numbers pointing at the same note ids, the same notes, and links back.
    func testArticlePagesHaveTheEPUBsIdsNotesAndLinksBothWays() throws {
        let site = try site
        for slug in Self.slugs {
            let reader = try EPUBReader(url: site.url("\(slug)/\(slug).epub"))
            let book = try TestSupport.load(slug == "minimal-edition" ? TestSupport.fixtureBook("minimal")
                                                : Self.library.appendingPathComponent(slug == "test-periodical-5" ? "edition-5" : "edition-4"))
            for article in book.articles {
                let epubData = try XCTUnwrap(reader.entries.first { $0.name == "EPUB/text/\(article.id).xhtml" }?.data)
                let epub = try XHTMLTree.parse(epubData, name: article.id)
                let web = try site.page("\(slug)/\(article.id).html")
                let epubArticle = try XCTUnwrap(epub.first { $0.id == article.id })
                let webArticle = try XCTUnwrap(web.first { $0.id == article.id && $0.name == "article" })
                func citations(_ root: XElement) -> [String] {
                    root.all(ArticleDocument.isNoteref).map { "\($0.id ?? "")→\($0["href"] ?? "") \($0.text())" }
                }
                func notes(_ root: XElement) -> [String] {
                    root.all(ArticleDocument.isFootnote).map { note in
                        let backlinks = note.all(ArticleDocument.isBacklink).compactMap { $0["href"] }
                        return "\(note.id ?? "") \(ArticleDocument.label(note) ?? "") ← \(backlinks) \(Words.normalized(note.text()))"
                    }
                }
                XCTAssertEqual(citations(webArticle), citations(epubArticle), "\(slug)/\(article.id): citations")
                XCTAssertEqual(notes(webArticle), notes(epubArticle), "\(slug)/\(article.id): notes")
                XCTAssertEqual(webArticle.all { $0.name.count == 2 && $0.name.hasPrefix("h") }.compactMap(\.id),
                               epubArticle.all { $0.name.count == 2 && $0.name.hasPrefix("h") }.compactMap(\.id),
                               "\(slug)/\(article.id): heading ids")
                // Both ways: every citation's target is a note of the page, whose back-links are citations of the page.
                let ids = Set(webArticle.all { $0.id != nil }.compactMap(\.id))
                for citation in webArticle.all(ArticleDocument.isNoteref) {
                    let href = try XCTUnwrap(citation["href"])
                    XCTAssertTrue(href.hasPrefix("#") && ids.contains(String(href.dropFirst())), "\(article.id): \(href)")
                }
                for backlink in webArticle.all(ArticleDocument.isBacklink) {
                    let href = try XCTUnwrap(backlink["href"])
                    XCTAssertTrue(href.hasPrefix("#") && ids.contains(String(href.dropFirst())), "\(article.id): back-link \(href)")
                }
            }
        }
        // The fixture cites a note twice: the web page links back to both citations.
        let rivers = try site.page("test-periodical-5/rivers.html")
        let note1 = try XCTUnwrap(rivers.first { $0.id == "rivers-note-1" })
        XCTAssertEqual(note1.all { $0.name == "a" }.compactMap { $0["href"] }, ["#rivers-ref-1", "#rivers-ref-1-2"],
                       "a note cited twice links back to both citations")
    }

    func testAnArticlePageHasItsFurnitureAndTheWayAround() throws {
        let site = try site
        let page = try site.page("test-periodical-5/rivers.html")
        let article = try XCTUnwrap(page.first { $0.name == "article" })
        let header = try XCTUnwrap(article.first { $0.name == "header" })
        XCTAssertEqual(header.first { $0.name == "h1" }?.trimmedText, "Rivers Run Through Cities")
        XCTAssertEqual(header.first { $0.hasClass("subtitle") }?.trimmedText, "Water, work and towns")
        XCTAssertEqual(header.first { $0.hasClass("byline") }?.trimmedText, "Rosa Fluvial, River Workers’ Union")
        XCTAssertEqual(header.first { $0.hasClass("source") }?.trimmedText, "First published in The River Review, 2024")
        XCTAssertEqual(article.first { $0.name == "img" }?["src"], "images/figures/images-map.png")
        XCTAssertEqual(article.first { $0.name == "a" && $0.text() == "the article on bridges" }?["href"],
                       "bridges.html#bridges--the-first-bridge", "a link to another article goes to its page")
        let pager = try XCTUnwrap(page.first { $0.hasClass("pager") })
        XCTAssertNil(pager.first { $0["rel"] == "prev" }, "the first article has no previous one")
        XCTAssertEqual(pager.first { $0["rel"] == "next" }?["href"], "bridges.html")
        XCTAssertEqual(pager.first { $0.hasClass("contents-link") }?.first { $0.name == "a" }?["href"], "index.html")
        let last = try site.page("minimal-edition/old-document.html")
        XCTAssertEqual(last.first { $0["rel"] == "prev" }?["href"], "second-article.html")
        XCTAssertNil(last.first { $0["rel"] == "next" })
        XCTAssertEqual(last.first { $0.name == "article" }?["lang"], "es", "an article in another language says so")
        // Downloads with their real sizes in the footer.
        let epubSize = try site.data("test-periodical-5/test-periodical-5.epub").count
        let epubLink = try XCTUnwrap(page.first { $0.name == "a" && $0["href"] == "test-periodical-5.epub" })
        XCTAssertEqual(epubLink["type"], "application/epub+zip")
        XCTAssertTrue(try XCTUnwrap(epubLink.parentText).contains(Self.size(epubSize)), "the EPUB's size is shown")
    }

    /// "1.2 MB", "34 kB" as the pages print sizes, computed here from the byte count.
    static func size(_ bytes: Int) -> String {
        bytes < 1000 ? "\(bytes) B" : bytes < 1_000_000 ? "\(Int((Double(bytes) / 1000).rounded())) kB"
            : "\((Double(bytes) / 100_000).rounded() / 10) MB"
    }

    func testPagesCarryOpenWebMetadata() throws {
        let site = try site
        let page = try site.page("test-periodical-5/bridges.html")
        XCTAssertEqual(page["lang"], "en")
        let head = try XCTUnwrap(page.first { $0.name == "head" })
        XCTAssertEqual(head.first { $0.name == "title" }?.trimmedText, "Bridges Across — Test Periodical No. 5")
        func meta(_ key: String, _ value: String) -> String? {
            head.first { $0.name == "meta" && $0[key] == value }?["content"]
        }
        XCTAssertEqual(head.first { $0.name == "link" && $0["rel"] == "canonical" }?["href"],
                       "https://example.org/test-periodical/test-periodical-5/bridges.html")
        XCTAssertEqual(meta("name", "description"), "Every bridge joins two banks and divides the traffic of a city.")
        XCTAssertEqual(meta("property", "og:type"), "article")
        XCTAssertEqual(meta("property", "og:url"), "https://example.org/test-periodical/test-periodical-5/bridges.html")
        XCTAssertEqual(meta("property", "og:title"), "Bridges Across — Test Periodical No. 5")
        XCTAssertNotNil(meta("property", "og:image"))
        let script = try XCTUnwrap(head.first { $0.name == "script" && $0["type"] == "application/ld+json" })
        let data = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(script.text().utf8)) as? [String: Any])
        XCTAssertEqual(data["@context"] as? String, "https://schema.org")
        XCTAssertEqual(data["@type"] as? String, "Article")
        XCTAssertEqual(data["headline"] as? String, "Bridges Across")
        XCTAssertEqual((data["author"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["Pedro Puente"])
        let issue = try XCTUnwrap(data["isPartOf"] as? [String: Any])
        XCTAssertEqual(issue["@type"] as? String, "PublicationIssue")
        XCTAssertEqual(issue["issueNumber"] as? String, "5")
        let periodical = try XCTUnwrap(issue["isPartOf"] as? [String: Any])
        XCTAssertEqual(periodical["@type"] as? String, "Periodical")
        XCTAssertEqual(periodical["issn"] as? String, "1234-5679")
        XCTAssertEqual(periodical["name"] as? String, "Test Periodical")
        // The Spanish edition speaks Spanish.
        let spanish = try site.page("test-periodical-4/cumbres.html")
        XCTAssertEqual(spanish["lang"], "es")
        XCTAssertEqual(spanish.first { $0.hasClass("contents-link") }?.trimmedText, "Índice")
    }

    func testTheEditionPageHasCoverFactsContentsAndDownloads() throws {
        let site = try site
        let page = try site.page("test-periodical-5/index.html")
        let cover = try XCTUnwrap(page.first { $0.hasClass("edition-cover") })
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.url("test-periodical-5/" + (cover["src"] ?? "")).path), "the cover exists")
        XCTAssertFalse((cover["alt"] ?? "").isEmpty)
        XCTAssertEqual(page.first { $0.name == "h1" }?.trimmedText, "Rivers and Bridges")
        let facts = try XCTUnwrap(page.first { $0.hasClass("edition-line") })
        XCTAssertEqual(facts.all { $0.name == "dd" }.map(\.trimmedText), ["5", "September 2025", "1234-5679"])
        XCTAssertEqual(facts.first { $0.name == "time" }?["datetime"], "2025-09-01")
        let contents = try XCTUnwrap(page.first { $0.hasClass("contents") })
        XCTAssertEqual(contents.all { $0.hasClass("contents-title") }.compactMap { $0.first { $0.name == "a" }?["href"] },
                       ["rivers.html", "bridges.html"])
        XCTAssertEqual(contents.all { $0.hasClass("contents-byline") }.map(\.trimmedText),
                       ["Rosa Fluvial, River Workers’ Union", "Pedro Puente"])
        for (name, type) in [("test-periodical-5.epub", "application/epub+zip"), ("test-periodical-5.pdf", "application/pdf")] {
            let link = try XCTUnwrap(page.first { $0.name == "a" && $0["href"] == name }, name)
            XCTAssertEqual(link["type"], type)
            let size = try site.data("test-periodical-5/\(name)").count
            XCTAssertGreaterThan(size, 1000)
            XCTAssertTrue(try XCTUnwrap(link.parentText).contains(Self.size(size)), "\(name): its size is shown")
        }
        XCTAssertEqual(try site.data("test-periodical-5/test-periodical-5.pdf").prefix(5), Data("%PDF-".utf8))
        let parts = try site.page("test-periodical-4/index.html").all { $0.hasClass("part-title") }.map(\.trimmedText)
        XCTAssertEqual(parts, ["Documentos"])
    }

    func testTheIndexListsEveryEditionNewestFirstWithCoversAndDownloads() throws {
        let site = try site
        let page = try site.page("index.html")
        XCTAssertEqual(page.first { $0.name == "h1" }?.trimmedText, "Test Periodical")
        let cards = page.all { $0.hasClass("edition-card") }
        XCTAssertEqual(cards.compactMap { $0.first { $0.name == "h3" }?.trimmedText }, ["Rivers and Bridges", "Montañas", "A Small Edition"])
        XCTAssertEqual(cards.compactMap { $0.first { $0.name == "time" }?["datetime"] }, ["2025-09-01", "2025-06-01", "2025-03-01"])
        for (card, slug) in zip(cards, Self.slugs) {
            let image = try XCTUnwrap(card.first { $0.name == "img" })
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.url(image["src"] ?? "-").path), "\(slug): cover")
            let links = card.all { $0.name == "a" }.compactMap { $0["href"] }
            XCTAssertTrue(links.contains("\(slug)/\(slug).epub") && links.contains("\(slug)/\(slug).pdf"), "\(slug): \(links)")
        }
        XCTAssertEqual(cards[1]["lang"], "es")
    }

    // MARK: - Feeds

    func testTheOPDSCatalogueValidatesAgainstTheOPDS12Schema() throws {
        let site = try site
        let schema = try WebTools.opdsSchema(corrected: true, in: site.folder)
        let (valid, messages) = try WebTools.jing(schema, site.url("opds.xml"))
        XCTAssertTrue(valid, "jing rejects the catalogue:\n\(messages)")
        // The schema as published rejects any URI with an r or a t (upstream issue 3): the
        // same catalogue fails it, which is why the test corrects that one pattern.
        let published = try WebTools.opdsSchema(corrected: false, in: site.folder)
        XCTAssertFalse(try WebTools.jing(published, site.url("opds.xml")).valid)
        // And the corrected schema still rejects a catalogue with a broken link.
        let broken = site.folder.appendingPathComponent("broken.xml")
        try Data(try site.text("opds.xml").replacingOccurrences(of: "href=\"https://example.org/test-periodical/test-periodical-5/test-periodical-5.epub\"",
                                                                   with: "href=\"https://example.org/a b.epub\"").utf8).write(to: broken)
        XCTAssertFalse(try WebTools.jing(schema, broken).valid, "a URI with a space must fail")
    }

    func testFeedparserReadsTheCatalogueWithEveryEditionsMetadataAndLinks() throws {
        let site = try site
        let feed = try WebTools.feedparser(site.url("opds.xml"))
        XCTAssertEqual(feed["bozo"] as? Bool, false, "\(feed["bozo_exception"] ?? "")")
        XCTAssertEqual(feed["version"] as? String, "atom10")
        let head = try XCTUnwrap(feed["feed"] as? [String: Any])
        XCTAssertEqual(head["id"] as? String, "urn:issn:1234-5679")
        let headLinks = try XCTUnwrap(head["links"] as? [[String: Any]])
        for rel in ["self", "start"] {
            let link = try XCTUnwrap(headLinks.first { $0["rel"] as? String == rel }, rel)
            XCTAssertEqual(link["href"] as? String, "https://example.org/test-periodical/opds.xml")
            XCTAssertEqual(link["type"] as? String, OPDSCatalogue.mediaType)
        }
        let entries = try XCTUnwrap(feed["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.compactMap { $0["id"] as? String },
                       ["urn:uuid:7d1c2a5e-0b8f-4f3e-9c1d-5a6b7c8d9e05", "urn:uuid:7d1c2a5e-0b8f-4f3e-9c1d-5a6b7c8d9e04",
                        "urn:uuid:2f1f8a4e-5b0c-4d7e-9a61-3c2b8e9d0a11"], "one entry per edition, newest first, by identifier")
        XCTAssertEqual(entries.compactMap { $0["issued"] as? String }, ["2025-09-01", "2025-06-01", "2025-03-01"])
        XCTAssertEqual(entries.compactMap { $0["language"] as? String }, ["en", "es", "en-US"])
        XCTAssertEqual(entries.compactMap { $0["identifier"] as? String }, Array(repeating: "urn:issn:1234-5679", count: 3))
        XCTAssertEqual(entries[0]["authors"] as? [String], ["Rosa Fluvial", "Pedro Puente"])
        XCTAssertEqual(entries[0]["summary"] as? String, "Edition 5 of the test periodical, on rivers and the bridges across them.")
        XCTAssertEqual(entries[0]["title"] as? String, "Test Periodical 5: Rivers and Bridges")
        for (entry, slug) in zip(entries, Self.slugs) {
            let updated = try XCTUnwrap(entry["updated"] as? String)
            XCTAssertGreaterThanOrEqual(updated, (entry["issued"] as? String ?? "") + "T00:00:00Z", "\(slug): updated is a revision after issue")
            let links = try XCTUnwrap(entry["links"] as? [[String: Any]])
            let base = "https://example.org/test-periodical/"
            for (type, file) in [("application/epub+zip", "\(slug).epub"), ("application/pdf", "\(slug).pdf")] {
                let link = try XCTUnwrap(links.first { $0["type"] as? String == type }, "\(slug): \(type)")
                XCTAssertEqual(link["rel"] as? String, "http://opds-spec.org/acquisition/open-access")
                XCTAssertEqual(link["href"] as? String, base + "\(slug)/\(file)")
                XCTAssertEqual(link["length"] as? String, String(try site.data("\(slug)/\(file)").count), "\(slug): \(file)'s length")
            }
            for rel in ["http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"] {
                let link = try XCTUnwrap(links.first { $0["rel"] as? String == rel }, "\(slug): \(rel)")
                XCTAssertTrue(["image/png", "image/jpeg"].contains(link["type"] as? String ?? ""), "\(slug): \(rel) is \(link["type"] ?? "")")
                let path = String((link["href"] as? String ?? "").dropFirst(base.count))
                let data = try site.data(path)
                let png = data.starts(with: [0x89, 0x50, 0x4E, 0x47]), jpeg = data.starts(with: [0xFF, 0xD8, 0xFF])
                XCTAssertTrue(link["type"] as? String == "image/png" ? png : jpeg, "\(slug): \(path) is what its type says")
            }
        }
    }

    func testTheAtomFeedHasEveryArticleNewestEditionFirst() throws {
        let site = try site
        let (valid, messages) = try WebTools.jing(WebTools.schemaFolder.appendingPathComponent("atom.rnc"), site.url("atom.xml"))
        XCTAssertTrue(valid, "the Atom feed fails RFC 4287's schema:\n\(messages)")
        let feed = try WebTools.feedparser(site.url("atom.xml"))
        XCTAssertEqual(feed["bozo"] as? Bool, false, "\(feed["bozo_exception"] ?? "")")
        let entries = try XCTUnwrap(feed["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.compactMap { $0["title"] as? String },
                       ["Rivers Run Through Cities", "Bridges Across", "Las cumbres", "Los valles",
                        "The First Article: Notes and Sections", "Second Article", "An Old Document"])
        let hrefs = entries.compactMap { ($0["links"] as? [[String: Any]])?.first?["href"] as? String }
        XCTAssertEqual(hrefs.first, "https://example.org/test-periodical/test-periodical-5/rivers.html")
        for href in hrefs {
            let path = String(href.dropFirst("https://example.org/test-periodical/".count))
            XCTAssertNoThrow(try site.data(path), "\(href) is a page of the site")
        }
        XCTAssertEqual(Set(entries.compactMap { $0["id"] as? String }).count, 7, "each entry has its own id")
    }

    // MARK: - Rewrites

    /// A second publish with nothing changed changes no byte and no modification time; a
    /// changed article rewrites its page and the feeds, not the other editions.
    func testASecondPublishRewritesNothingAndAChangeOnlyWhatItChanges() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let library = try copyLibrary(into: folder)
        let site = try PublishedSite.publish(library, arguments: ["--no-pdf"])
        defer { site.remove() }
        let before = try site.snapshot()
        Thread.sleep(forTimeInterval: 1.1)
        let again = try EditionCLI.run(["publish", library.path, "--out", site.site.path, "--cache", site.cache.path,
                                        "--styles", TestSupport.styles.path, "--no-pdf"])
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertTrue(again.standardOutput.contains("0 files written"), again.standardOutput)
        let after = try site.snapshot()
        XCTAssertEqual(Set(after.keys), Set(before.keys))
        for (path, (data, date)) in before {
            XCTAssertEqual(after[path]?.0, data, "\(path): bytes")
            XCTAssertEqual(after[path]?.1, date, "\(path): modification time")
        }
        // Change one article of edition 4.
        let article = library.appendingPathComponent("edition-4/02-valles.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "de norte a sur", with: "de sur a norte").utf8).write(to: article)
        let third = try EditionCLI.run(["publish", library.path, "--out", site.site.path, "--cache", site.cache.path,
                                        "--styles", TestSupport.styles.path, "--no-pdf"])
        XCTAssertEqual(third.status, 0, third.standardError)
        let changed = try site.snapshot().filter { before[$0.key]?.0 != $0.value.0 }.keys.sorted()
        XCTAssertTrue(changed.contains("test-periodical-4/valles.html"), "\(changed)")
        XCTAssertTrue(try site.text("test-periodical-4/valles.html").contains("de sur a norte"))
        XCTAssertFalse(changed.contains { $0.hasPrefix("test-periodical-5/") || $0.hasPrefix("minimal-edition/") },
                       "the other editions are untouched: \(changed)")
    }

    /// A copy of the fixture library in `folder`, with the minimal book where library.yaml
    /// names it (`../../books/minimal`).
    func copyLibrary(into folder: URL) throws -> URL {
        let manager = FileManager.default
        let library = folder.appendingPathComponent("libraries/periodical")
        try manager.createDirectory(at: library.deletingLastPathComponent(), withIntermediateDirectories: true)
        try manager.copyItem(at: Self.library, to: library)
        try manager.createDirectory(at: folder.appendingPathComponent("books"), withIntermediateDirectories: true)
        try manager.copyItem(at: TestSupport.fixtureBook("minimal"), to: folder.appendingPathComponent("books/minimal"))
        return library
    }

    func testABadLibraryIsACodedErrorAndLeavesTheSiteAsItWas() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let library = try copyLibrary(into: folder)
        let site = try PublishedSite.publish(library, arguments: ["--no-pdf"])
        defer { site.remove() }
        let before = try site.snapshot()
        let manifest = library.appendingPathComponent("library.yaml")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "  - edition-4\n", with: "  - edition-4\n  - edition-5\n  - edition-9\n").utf8).write(to: manifest)
        let result = try EditionCLI.run(["publish", library.path, "--out", site.site.path, "--cache", site.cache.path,
                                         "--styles", TestSupport.styles.path, "--no-pdf"], in: library)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("library.yaml:11:5: error: 'edition-5' is already listed at"), result.standardError)
        XCTAssertTrue(result.standardError.contains("[edition-duplicate]"), result.standardError)
        XCTAssertTrue(result.standardError.contains("library.yaml:12:5: error: edition folder 'edition-9' has no book.yaml [file-missing]"),
                      result.standardError)
        let after = try site.snapshot()
        XCTAssertEqual(after.mapValues(\.0), before.mapValues(\.0), "the last good site stays")
    }
}

extension XElement {
    /// The text without the spaces that stand for block boundaries at its ends.
    var trimmedText: String { text().trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The text of the element's parent (a link and the size beside it).
    var parentText: String? { parent?.text() }
}
