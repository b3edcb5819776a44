@testable import EditionKit
import Foundation
import XCTest

/// The resolve stage: one context for the whole edition, and articles rendered from it alone.
final class EditionContextTests: XCTestCase {
    private func book(_ articles: KeyValuePairs<String, String>, files: [String: String] = [:]) throws -> Book {
        var all = files
        for (name, text) in articles { all[name] = text }
        return try TestSupport.load(try ScratchBook.write(self, manifest: ScratchBook.manifest(articles: articles.map(\.key)), all))
    }

    private func render(_ book: Book) throws -> [EPUBFile] {
        try EPUBRenderer(book: book, stylesheet: "", modified: BuildDate(isoDate: book.metadata.date, environment: [:])).render()
    }

    func testLinkTargetsAndFilesAreLookedUpInTheContext() throws {
        let context = EditionContext(book: try book([
            "01-a.md": ScratchBook.article("## Here\n\nText."),
            "sub/02-b.md": ScratchBook.article("## There\n\nText."),
        ]))
        XCTAssertEqual(context.article(holding: "a--here")?.id, "a")
        XCTAssertEqual(context.article(holding: "b-title")?.id, "b")
        XCTAssertEqual(context.article(holding: "b")?.id, "b")
        XCTAssertNil(context.article(holding: "a-here"))
        XCTAssertEqual(context.article(forLinkFile: "02-b.md")?.id, "b")
        XCTAssertEqual(context.article(forLinkFile: "sub/02-b.md")?.id, "b")
        let a = context.articles[0]
        let href: (Article, String?) -> String = { "\($0.id).html" + ($1.map { "#" + $0 } ?? "") }
        XCTAssertEqual(context.resolveLink("#b--there", from: a, href: href), "b.html#b--there")
        XCTAssertEqual(context.resolveLink("#a--here", from: a, href: href), "#a--here", "an id of the article itself stays")
        XCTAssertEqual(context.resolveLink("02-b.md", from: a, href: href), "b.html")
        XCTAssertEqual(context.resolveLink("02-b.md#b--there", from: a, href: href), "b.html#b--there")
        XCTAssertEqual(context.resolveLink("https://e.org/02-b.md", from: a, href: href), "https://e.org/02-b.md")
    }

    /// One asset per source, in the order the reading first shows them; the EPUB's manifest
    /// and the print edition list them in that order.
    func testTheBooksImagesAreListedOnceInReadingOrder() throws {
        let book = try book([
            "a.md": ScratchBook.article("![Z](images/z.png)\n\n![A](images/a.png)\n\nText.[^1]\n\n[^1]: ![M](images/m.png)"),
            "b.md": ScratchBook.article("![Z again](images/z.png) ![web](https://e.org/x.png)"),
        ], files: ["images/z.png": "z", "images/a.png": "a", "images/m.png": "m"])
        let context = EditionContext(book: book)
        XCTAssertEqual(context.images.map(\.source), ["images/z.png", "images/a.png", "images/m.png"])
        XCTAssertEqual(context.images.map(\.epubPath), ["EPUB/images/figures/images-z.png", "EPUB/images/figures/images-a.png",
                                                        "EPUB/images/figures/images-m.png"])
        XCTAssertEqual(context.images.map(\.printHref), ["images/z.png", "images/a.png", "images/m.png"])
        XCTAssertEqual(context.facts.imageCount, 5)
        XCTAssertTrue(context.facts.everyImageHasAlt)
        let figures = try render(book).map(\.path).filter { $0.hasPrefix("EPUB/images/figures/") }
        XCTAssertEqual(figures, context.images.map(\.epubPath))
    }

    /// `svg` and `mathml` manifest properties come from the model: the document whose raw
    /// HTML has them, and no other (text that only mentions `<svg` is escaped).
    func testManifestPropertiesComeFromTheContent() throws {
        let book = try book([
            "a.md": ScratchBook.article("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"></svg>\n\nText."),
            "b.md": ScratchBook.article("Inline <math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi></math> and `<svg>`."),
            "c.md": ScratchBook.article("Plain `<svg>` and \\<math> escaped: \\<svg."),
        ])
        let files = try render(book)
        XCTAssertEqual(files.first { $0.path == "EPUB/text/a.xhtml" }?.properties, ["svg"])
        XCTAssertEqual(files.first { $0.path == "EPUB/text/b.xhtml" }?.properties, ["mathml"])
        XCTAssertEqual(files.first { $0.path == "EPUB/text/c.xhtml" }?.properties, [])
        let package = String(decoding: try XCTUnwrap(files.first { $0.path == "EPUB/package.opf" }).data, as: UTF8.self)
        XCTAssertTrue(package.contains("href=\"text/a.xhtml\" media-type=\"application/xhtml+xml\" properties=\"svg\"/>"), package)
        XCTAssertTrue(package.contains("href=\"text/b.xhtml\" media-type=\"application/xhtml+xml\" properties=\"mathml\"/>"), package)
        XCTAssertTrue(package.contains("href=\"text/c.xhtml\" media-type=\"application/xhtml+xml\"/>"), package)
    }

    /// An article's document depends on the article and the context: rendering it alone
    /// gives the bytes the whole publication has, and editing another article (even one whose
    /// heading would once have taken the same id) changes nothing in it.
    func testAnArticleRendersFromItselfAndTheContext() throws {
        let a = ScratchBook.article("## B C\n\nSee [b](#a-b--c).[^1]\n\n[^1]: A note.")
        let first = try book(["a.md": a, "a-b.md": ScratchBook.article("## C\n\nText.")])
        let second = try book(["a.md": a, "a-b.md": ScratchBook.article("## C\n\nOther text.\n\n## B C\n\nMore.")])
        let documents = try [first, second].map { book -> EPUBFile in
            let renderer = EPUBRenderer(context: EditionContext(book: book), stylesheet: "",
                                        modified: BuildDate(isoDate: book.metadata.date, environment: [:]))
            let alone = renderer.articleDocument(renderer.context.articles[0])
            XCTAssertEqual(try render(book).first { $0.path == "EPUB/text/a.xhtml" }, alone)
            return alone
        }
        XCTAssertEqual(documents[0], documents[1])
        XCTAssertTrue(String(decoding: documents[0].data, as: UTF8.self).contains("<h2 id=\"a--b-c\">B C</h2>"))
        XCTAssertTrue(String(decoding: documents[0].data, as: UTF8.self).contains("href=\"a-b.xhtml#a-b--c\""))
    }

    /// The pipeline is a list of named steps, in the order the design says: the preflight
    /// first, the outputs staged by their steps and put in place together by the last one.
    func testTheBuildIsNamedStepsInOrder() {
        var options = BuildOptions()
        options.pdf = true
        XCTAssertEqual(Pipeline.steps(for: options).map(\.name), [
            "preflight", "load", "resolve", "check", "find the programs", "render the print edition", "write the print edition",
            "make the PDF with WeasyPrint", "find the print edition's pages", "render the EPUB", "package the EPUB",
            "put the outputs in place",
        ])
        options.pdf = false
        options.print = false
        XCTAssertEqual(Pipeline.steps(for: options).map(\.name), ["preflight", "load", "resolve", "check", "find the programs", "render the print edition",
                                                                  "find the print edition's pages", "render the EPUB", "package the EPUB",
                                                                  "put the outputs in place"])
    }

    /// A step hands data to a later one through the state.
    func testAStepHandsDataToALaterOne() throws {
        let key = BuildProduct<[Int]>("page-map")
        var state = BuildState(options: BuildOptions())
        var seen: [Int]?
        let steps = [BuildStep("make") { $0[key] = [1, 2, 3] }, BuildStep("use") { state in seen = state[key] }]
        try Pipeline.run(steps, on: &state)
        XCTAssertEqual(seen, [1, 2, 3])
    }
}
