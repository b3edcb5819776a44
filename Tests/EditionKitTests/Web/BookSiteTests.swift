import EditionKit
import Foundation
import XCTest

/// `edition publish book --out site` on this repository: the edition page, the 12 article
/// pages, the catalogue and the feed; Nu accepts every page, jing the catalogue; the downloads
/// resolve with their real sizes; the web edition holds every source word in order, as the
/// EPUB does; and a second publish rewrites no file.
final class BookSiteTests: XCTestCase {
    nonisolated(unsafe) static var published: Result<PublishedSite, Error>?
    static let slug = "post-international-29"

    override class func setUp() {
        super.setUp()
        published = Result { try PublishedSite.publish(BuiltEdition.bookFolder) }
    }

    override class func tearDown() {
        if case .success(let site)? = published { site.remove() }
        published = nil
        super.tearDown()
    }

    var site: PublishedSite { get throws { try XCTUnwrap(Self.published).get() } }

    var book: Book { get throws { try TestSupport.load(BuiltEdition.bookFolder) } }

    func testTheSiteHasTheEditionPageTwelveArticlePagesTheCatalogueAndTheFeed() throws {
        let site = try site, book = try book
        XCTAssertEqual(book.articles.count, 12)
        let articlePages = try site.pages.filter { $0.hasPrefix("\(Self.slug)/") && $0 != "\(Self.slug)/index.html" }
        XCTAssertEqual(articlePages.sorted(), book.articles.map { "\(Self.slug)/\($0.id).html" }.sorted())
        for path in ["index.html", "\(Self.slug)/index.html", "opds.xml", "atom.xml", "web.css"] {
            XCTAssertNoThrow(try site.data(path), path)
        }
        let contents = try site.page("\(Self.slug)/index.html").all { $0.hasClass("contents-title") }
        XCTAssertEqual(contents.compactMap { $0.first { $0.name == "a" }?["href"] }, book.articles.map { "\($0.id).html" })
    }

    func testTheNuCheckerAcceptsEveryPage() throws {
        let site = try site
        XCTAssertEqual(try site.pages.count, 14)
        XCTAssertEqual(try WebTools.nuComplaints(site.site), "")
    }

    func testJingAcceptsTheCatalogueAndFeedparserReadsIt() throws {
        let site = try site
        let (valid, messages) = try WebTools.jing(try WebTools.opdsSchema(corrected: true, in: site.folder), site.url("opds.xml"))
        XCTAssertTrue(valid, messages)
        let feed = try WebTools.feedparser(site.url("opds.xml"))
        XCTAssertEqual(feed["bozo"] as? Bool, false)
        let entries = try XCTUnwrap(feed["entries"] as? [[String: Any]])
        XCTAssertEqual(entries.compactMap { $0["id"] as? String }, ["urn:uuid:fdd818d8-e575-4db1-b9dd-b679b556b0ad"])
        XCTAssertEqual(entries.first?["identifier"] as? String, "urn:issn:2179-118X")
        let atom = try WebTools.feedparser(site.url("atom.xml"))
        XCTAssertEqual((atom["entries"] as? [[String: Any]])?.count, 12, "one entry per article")
    }

    /// The downloads the pages and the catalogue name are files of the site, of the sizes they say.
    func testTheEPUBAndPDFLinksResolveWithTheirRealSizes() throws {
        let site = try site
        let page = try site.page("\(Self.slug)/index.html")
        for (file, magic) in [("\(Self.slug).epub", "PK"), ("\(Self.slug).pdf", "%PDF-")] {
            let link = try XCTUnwrap(page.first { $0.name == "a" && $0["href"] == file }, file)
            let data = try site.data("\(Self.slug)/\(file)")
            XCTAssertTrue(data.starts(with: Data(magic.utf8)), file)
            XCTAssertGreaterThan(data.count, 50_000, file)
            XCTAssertTrue(try XCTUnwrap(link.parentText).contains(LibrarySiteTests.size(data.count)), "\(file): \(link.parentText ?? "")")
        }
        let entry = try XCTUnwrap((try WebTools.feedparser(site.url("opds.xml"))["entries"] as? [[String: Any]])?.first)
        let acquisitions = (entry["links"] as? [[String: Any]] ?? []).filter { ($0["rel"] as? String ?? "").hasPrefix("http://opds-spec.org/acquisition") }
        XCTAssertEqual(acquisitions.count, 2)
        for link in acquisitions {
            let href = try XCTUnwrap(link["href"] as? String)
            XCTAssertEqual(link["length"] as? String, String(try site.data(href).count), href)
        }
        // The EPUB in the site is the one `edition build --pdf` makes: publish builds the PDF
        // too, so its EPUB carries the print edition's page list (an EPUB-only build has none).
        let built = try BookPDF.shared().deletingLastPathComponent()
        XCTAssertEqual(try site.data("\(Self.slug)/\(Self.slug).epub"), try Data(contentsOf: built.appendingPathComponent("\(Self.slug).epub")))
    }

    /// The word-level completeness test of the EPUB, run over the web pages: every source's
    /// words in order, little added; and each page's article has exactly the EPUB's words.
    func testTheWebEditionHoldsEverySourceWordInOrderAsTheEPUBDoes() throws {
        let site = try site, book = try book
        let reader = try EPUBReader(url: site.url("\(Self.slug)/\(Self.slug).epub"))
        let measures = try ArticleCompleteness.measure(book: book) { file in
            let article = try XCTUnwrap(book.articles.first { $0.file == file }, file)
            let path = "\(Self.slug)/\(article.id).html"
            let element = try XCTUnwrap(try site.page(path).first { $0.name == "article" && $0.id == article.id }, path)
            let web = ArticleDocument(article: article, entryName: path, root: element, section: element)

            let entry = "EPUB/text/\(article.id).xhtml"
            let epubRoot = try XHTMLTree.parse(try XCTUnwrap(reader.entries.first { $0.name == entry }?.data), name: entry)
            let section = try XCTUnwrap(epubRoot.first { $0.name == "section" && $0.id == article.id })
            let epub = ArticleDocument(article: article, entryName: entry, root: epubRoot, section: section)
            XCTAssertEqual(web.headerWords.map(\.text), epub.headerWords.map(\.text), "\(path): header")
            XCTAssertEqual(web.bodyWords.map(\.text), epub.bodyWords.map(\.text), "\(path): text")
            XCTAssertEqual(web.noteWords.map(\.text), epub.noteWords.map(\.text), "\(path): notes")
            return web
        }
        XCTAssertEqual(measures.map(\.segment.article), EditionSources.mapping.flatMap(\.articles))
        for measure in measures {
            for problem in measure.missingProblems { XCTFail("web: \(problem)") }
            for problem in measure.extraProblems { XCTFail("web: \(problem)") }
        }
        for (source, _) in EditionSources.mapping {
            let parts = measures.filter { $0.segment.source == source }
            let matched = parts.reduce(0) { $0 + $1.matched }, words = parts.reduce(0) { $0 + $1.words }
            let coverage = Double(matched) / Double(max(words, 1))
            XCTAssertGreaterThanOrEqual(coverage, ArticleCompleteness.requiredCoverage,
                                        "web: \(source): \(ArticleCompleteness.percent(coverage)) found in order")
        }
    }

    func testASecondPublishRewritesNoFile() throws {
        let site = try site
        let before = try site.snapshot()
        let builtPDF = site.cache.appendingPathComponent("\(Self.slug)/\(Self.slug).pdf").path
        let pdfTime = try FileManager.default.attributesOfItem(atPath: builtPDF)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 1.1)
        let again = try EditionCLI.run(["publish", BuiltEdition.bookFolder.path, "--out", site.site.path, "--cache", site.cache.path,
                                        "--styles", TestSupport.styles.path])
        XCTAssertEqual(again.status, 0, again.standardError)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: builtPDF)[.modificationDate] as? Date, pdfTime,
                       "the unchanged PDF is not made again")
        let after = try site.snapshot()
        XCTAssertEqual(Set(after.keys), Set(before.keys))
        for (path, (data, date)) in before {
            XCTAssertEqual(after[path]?.0, data, "\(path): bytes")
            XCTAssertEqual(after[path]?.1, date, "\(path): modification time")
        }
    }
}
