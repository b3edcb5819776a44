@testable import EditionKit
import Foundation
import XCTest

/// The files a stylesheet names (a font and an image with `url()`, a second stylesheet with
/// `@import` that names a file of its own) travel with it: into the EPUB beside css/epub.css
/// and into its manifest, beside DIR/print/print.css (and so into WeasyPrint's PDF), beside
/// the site's web.css; an edit to one of them alone rebuilds what holds it; a file EPUB cannot
/// hold is a coded error at its place.
final class StyleFilesTests: XCTestCase {
    private var root: URL!
    private var book: URL!
    private var styles: URL!
    private static let fixtures = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/style-files")
    private static var font: Data { get throws { try Data(contentsOf: fixtures.appendingPathComponent("face.woff2")) } }
    private static var image: Data { get throws { try Data(contentsOf: fixtures.appendingPathComponent("paper.png")) } }
    private static let rule = """
    <svg xmlns="http://www.w3.org/2000/svg" width="8" height="1" viewBox="0 0 8 1"><rect width="8" height="1" fill="#999999"/></svg>

    """
    /// The imported stylesheet: it names its file relative to its own folder.
    private static let headings = "h2 { background: url(../images/rule.svg) repeat-x bottom; }\n"
    /// What each stylesheet of the repository gets: the import first (as CSS wants it), then
    /// the font and the image.
    private static func additions(to css: String) -> String {
        """
        @import "parts/headings.css";
        \(css)
        @font-face { font-family: "Edition Test Face"; src: url(fonts/face.woff2) format("woff2"); }
        h1 { font-family: "Edition Test Face", serif; }
        body { background-image: url("images/paper.png"); }

        """
    }

    override func setUpWithError() throws {
        root = try TestSupport.temporaryFolder(self)
        book = root.appendingPathComponent("book")
        styles = book.appendingPathComponent("styles")
        try FileManager.default.copyItem(at: TestSupport.fixtureBook("minimal"), to: book)
        try? FileManager.default.removeItem(at: styles)
        try FileManager.default.copyItem(at: TestSupport.styles, to: styles)
        for name in ["epub.css", "print.css", "web.css"] {
            let url = styles.appendingPathComponent(name)
            try Self.additions(to: try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
        try write(try Self.font, "fonts/face.woff2")
        try write(try Self.image, "images/paper.png")
        try write(Data(Self.rule.utf8), "images/rule.svg")
        try write(Data(Self.headings.utf8), "parts/headings.css")
    }

    /// Appends `rules` to the stylesheet `name`; returns the line they start on.
    @discardableResult
    private func append(_ rules: String, to name: String) throws -> Int {
        let url = styles.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        try (text + rules).write(to: url, atomically: true, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).count
    }

    private func write(_ data: Data, _ path: String) throws {
        let url = styles.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    private func options(into output: URL, cache: Bool = false, epubOnly: Bool = false) -> BuildOptions {
        var options = BuildOptions(book: book.path, output: output.path)
        options.cache = cache
        options.print = !epubOnly
        options.environment = ProcessInfo.processInfo.environment.filter { $0.key != "SOURCE_DATE_EPOCH" }
        return options
    }

    /// The files every output must hold beside its stylesheet, and their bytes.
    private func expectedFiles() throws -> [(path: String, data: Data)] {
        [("parts/headings.css", Data(Self.headings.utf8)), ("images/rule.svg", Data(Self.rule.utf8)),
         ("fonts/face.woff2", try Self.font), ("images/paper.png", try Self.image)]
    }

    func testTheEPUBHoldsTheFilesBesideItsStylesheetInTheManifestAndPassesEPUBCheck() throws {
        let output = root.appendingPathComponent("dist")
        _ = try Pipeline.build(options(into: output, epubOnly: true))
        let epub = output.appendingPathComponent("minimal-edition.epub")
        let reader = try EPUBReader(url: epub)
        for (path, data) in try expectedFiles() {
            XCTAssertEqual(reader["EPUB/css/\(path)"]?.data, data, "EPUB/css/\(path)")
        }
        let package = try XCTUnwrap(reader["EPUB/package.opf"]).text
        for (href, type) in [("css/parts/headings.css", "text/css"), ("css/images/rule.svg", "image/svg+xml"),
                             ("css/fonts/face.woff2", "font/woff2"), ("css/images/paper.png", "image/png")] {
            XCTAssertTrue(package.contains("href=\"\(href)\" media-type=\"\(type)\"/>"), "\(href) as \(type) in:\n\(package)")
        }
        // Already compressed: stored as it is, as the raster images are.
        XCTAssertEqual(reader["EPUB/css/fonts/face.woff2"]?.isStored, true)
        try EPUBCheck.assertValid(epub)

        // Reproducible: a second build gives the same bytes.
        let again = root.appendingPathComponent("again")
        _ = try Pipeline.build(options(into: again, epubOnly: true))
        XCTAssertEqual(try Data(contentsOf: again.appendingPathComponent("minimal-edition.epub")), try Data(contentsOf: epub))
    }

    func testThePrintEditionHasThemBesidePrintCSSAndThePDFUsesTheFont() throws {
        let output = root.appendingPathComponent("dist")
        var pdf = options(into: output)
        pdf.pdf = true
        pdf.environment["PATH"] = PrintTools.environment["PATH"]
        do { _ = try Pipeline.build(pdf) } catch let failure as BuildFailure {
            throw SetupError(message: "building with --pdf failed:\n\(failure)")
        }
        for (path, data) in try expectedFiles() {
            XCTAssertEqual(FileManager.default.contents(atPath: output.appendingPathComponent("print/\(path)").path), data, "print/\(path)")
        }
        // WeasyPrint found the face where print.css names it, and embedded it.
        let fonts = try PrintTools.run("pdffonts", [output.appendingPathComponent("minimal-edition.pdf").path])
        XCTAssertTrue(fonts.contains("+Edition-Test-Face"), fonts)
        // `edition verify` keys the PDF's page map as the build did: from print.css and the
        // files beside it in DIR/print/.
        let verified = Verifier(book: book.path, output: output.path, environment: pdf.environment).verify()
        XCTAssertFalse(verified.contains { $0.message.contains("has no page map") }, "\(verified)")
    }

    /// The page map's key follows the bytes of the files print.css names, not its text alone.
    func testTheFingerprintFollowsTheFilesBytes() throws {
        let loaded = try Stylesheets.load("print.css", in: styles, for: .print).get()
        XCTAssertEqual(loaded.files.map(\.path), ["parts/headings.css", "images/rule.svg", "fonts/face.woff2", "images/paper.png"])
        var edited = loaded
        edited.files[2].data.append(0)
        XCTAssertNotEqual(edited.fingerprint, loaded.fingerprint)
        XCTAssertEqual(Stylesheet(text: "p {}").fingerprint, "p {}", "a stylesheet without files keys as before")
    }

    func testThePublishedSiteHasWebCSSFilesBesideIt() throws {
        let site = root.appendingPathComponent("site")
        let result = try EditionCLI.run(["publish", book.path, "--out", site.path, "--cache", root.appendingPathComponent("cache").path,
                                         "--no-pdf"])
        XCTAssertEqual(result.status, 0, result.standardError)
        for (path, data) in try expectedFiles() {
            XCTAssertEqual(FileManager.default.contents(atPath: site.appendingPathComponent(path).path), data, path)
        }
        XCTAssertTrue(try String(contentsOf: site.appendingPathComponent("web.css"), encoding: .utf8).contains("url(fonts/face.woff2)"))
    }

    /// A file web.css names that would take the place of a page of the site: publish stops
    /// with the error at the url()'s place and writes no site.
    func testAWebCSSFileInThePlaceOfAPageStopsThePublish() throws {
        try write(Data("<p>not the index</p>".utf8), "index.html")
        let webCSS = styles.appendingPathComponent("web.css")
        let line = try append("a { background: url(index.html); }\n", to: "web.css")
        let site = root.appendingPathComponent("site")
        let result = try EditionCLI.run(["publish", book.path, "--out", site.path, "--cache", root.appendingPathComponent("cache").path,
                                         "--no-pdf"])
        XCTAssertNotEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardError.contains("\(webCSS.path):\(line):17: error: the stylesheet's file 'index.html' would take the place of the site's own"),
                      result.standardError)
        XCTAssertTrue(result.standardError.contains("[output-failed]"), result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.appendingPathComponent("index.html").path))
    }

    /// With the cache, an edit to the font alone (then to the imported stylesheet alone) is
    /// reported, and every output equals a clean build's; an unchanged one changes nothing.
    func testAnEditedFontRebuildsAndTheOutputsEqualACleanBuilds() throws {
        let dist = root.appendingPathComponent("dist")
        func buildBoth(_ step: String) throws -> BuildReport {
            let report = try Pipeline.build(options(into: dist, cache: true))
            let clean = root.appendingPathComponent("clean-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: clean) }
            let cleanReport = try Pipeline.build(options(into: clean))
            let files = cleanReport.outputs.map { String($0.path.dropFirst(clean.path.count + 1)) }
                + (try expectedFiles()).map { "print/\($0.path)" }
            for file in files {
                let expected = try Data(contentsOf: clean.appendingPathComponent(file))
                XCTAssertEqual(try Data(contentsOf: dist.appendingPathComponent(file)), expected, "\(step): \(file)")
            }
            return report
        }
        _ = try buildBoth("first build")
        let unchanged = try buildBoth("nothing changed")
        XCTAssertTrue(unchanged.incremental.contains("no source changed"), unchanged.incremental.joined(separator: "\n"))
        XCTAssertTrue(unchanged.incremental.contains { $0.hasPrefix("EPUB unchanged") }, unchanged.incremental.joined(separator: "\n"))

        var font = try Self.font
        font.append(0)  // another face, as far as any byte comparison can tell
        try write(font, "fonts/face.woff2")
        let edited = try buildBoth("font edited")
        XCTAssertTrue(edited.incremental.contains("changed: styles: fonts/face.woff2"), edited.incremental.joined(separator: "\n"))
        XCTAssertFalse(edited.incremental.contains { $0.hasPrefix("EPUB unchanged") }, edited.incremental.joined(separator: "\n"))
        let epub = try EPUBReader(url: dist.appendingPathComponent("minimal-edition.epub"))
        XCTAssertEqual(epub["EPUB/css/fonts/face.woff2"]?.data, font)
        XCTAssertEqual(FileManager.default.contents(atPath: dist.appendingPathComponent("print/fonts/face.woff2").path), font)

        try write(Data((Self.headings + "h3 { background: url(../images/rule.svg); }\n").utf8), "parts/headings.css")
        let imported = try buildBoth("imported stylesheet edited")
        XCTAssertTrue(imported.incremental.contains("changed: styles: parts/headings.css"), imported.incremental.joined(separator: "\n"))
    }

    /// A font EPUB cannot hold (EOT) named by epub.css: `check` and `build` stop with the coded
    /// error at the url()'s line and column, and nothing is written. print.css may name it.
    func testAFileOfATypeEPUBDoesNotSupportStopsCheckAndBuildAtItsPlace() throws {
        try write(Data("EOT stand-in".utf8), "fonts/face.eot")
        let face = "@font-face { font-family: \"Old\"; src: url(fonts/face.eot); }\n"
        let line = try append(face, to: "epub.css")
        try append(face, to: "print.css")
        let expected = "book/styles/epub.css:\(line):39: error: url 'fonts/face.eot' names a file of a type EPUB does not support [style-file-format]"
        for arguments in [["check", "book"], ["build", "book", "--out", "out"]] {
            let run = try EditionProcess.run(arguments, in: root)
            XCTAssertEqual(run.status, 1, run.errors)
            XCTAssertEqual(run.diagnostics.filter { $0.severity == "error" }.map(\.description), [expected], arguments[0])
            XCTAssertTrue(run.errors.contains("hint: use WOFF2, WOFF, OpenType or TrueType fonts"), run.errors)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path), "a refused build writes nothing")
    }

    /// Addresses a published copy could not be found by, and a file that would take the place
    /// of the print edition's own: each an error at its place.
    func testAddressesThePublishedCopyCannotFollowAndClashesAreErrors() throws {
        let printCSS = styles.appendingPathComponent("print.css")
        let original = try String(contentsOf: printCSS, encoding: .utf8)
        let absolute = styles.appendingPathComponent("images/paper.png").path
        let line = try append("a { background: url(\(absolute)); }\nb { background: url(../styles/images/paper.png); }\n", to: "print.css")
        var problems = Stylesheets.diagnostics(book: book.path, styles: nil).map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.code.rawValue)" }
        XCTAssertEqual(problems, ["\(line):17 value-invalid", "\(line + 1):17 file-outside-book"])

        // print/minimal-edition.html is the print edition's own.
        try write(Data("x".utf8), "minimal-edition.html")
        try original.write(to: printCSS, atomically: true, encoding: .utf8)
        XCTAssertEqual(try append("a { background: url(minimal-edition.html); }\n", to: "print.css"), line)
        problems = Stylesheets.diagnostics(book: book.path, styles: nil).map(\.description)
        XCTAssertEqual(problems, [], "the stylesheet itself is sound")
        XCTAssertThrowsError(try Pipeline.build(options(into: root.appendingPathComponent("out")))) { error in
            let diagnostics = (error as? BuildFailure)?.diagnostics ?? []
            XCTAssertEqual(diagnostics.map(\.code), [.outputFailed], "\(diagnostics)")
            XCTAssertEqual(diagnostics.first?.location, SourceLocation(file: printCSS.path, line: line, column: 17))
        }
    }

    /// Manifest ids stay unique and hrefs are URLs, whatever the editor's file names.
    func testManifestIdsAreUniqueAndHrefsPercentEncoded() {
        let files = ["EPUB/css/a-b.png", "EPUB/css/a.b.png", "EPUB/css/a_b.png"].map { EPUBFile(path: $0, mediaType: "image/png", data: Data()) }
        XCTAssertEqual(PackageDocument.manifestIds(files), ["css-a-b-png", "css-a-b-png-2", "css-a-b-png-3"])
        XCTAssertEqual(PackageDocument.address("css/fonts/Text Face#1.woff2"), "css/fonts/Text%20Face%231.woff2")
        XCTAssertEqual(PackageDocument.address("text/bolivia-1952.xhtml"), "text/bolivia-1952.xhtml")
    }

    /// `address` encodes what Foundation's `addingPercentEncoding` did with the set it was
    /// given (which names the characters beyond ASCII, yet Foundation encodes them): every ASCII
    /// character, alone and among others, and characters beyond ASCII of every UTF-8 length.
    func testAddressesAreWhatFoundationPercentEncodes() {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
        allowed.formUnion(CharacterSet(charactersIn: "\u{80}"..."\u{10FFFF}"))
        let ascii = (1..<128).map { Character(Unicode.Scalar(UInt8($0))) }
        let beyond: [Character] = ["\u{80}", "é", "ñ", "\u{7FF}", "\u{800}", "日", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "😀", "\u{10FFFF}"]
        var cases = ascii.map { "a\($0)b" } + beyond.map { "a\($0)b" } + ["", "%", "%25", "a b/c d", "x?y#z"]
        var random = DuplicateTextTests.Generator(seed: 5)
        let alphabet = ascii + beyond
        for _ in 0..<3_000 {
            cases.append(String((0..<random.below(24)).map { _ in alphabet[random.below(alphabet.count)] }))
        }
        var mismatches: [String] = []
        for path in cases where PackageDocument.address(path) != path.addingPercentEncoding(withAllowedCharacters: allowed) {
            mismatches.append(path)
        }
        XCTAssertEqual(mismatches.count, 0, "\(mismatches.prefix(5))")
        XCTAssertEqual(PackageDocument.address("fonts/Tipografía Sans.woff2"), "fonts/Tipograf%C3%ADa%20Sans.woff2")
    }
}
