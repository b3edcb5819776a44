@testable import EditionKit
import CLibPNG
import Foundation
import XCTest

/// The raster cover: drawn from the generated SVG by librsvg in the process, the EPUB's
/// `cover-image`, a thumbnail for feeds, the given image winning, the pixels rsvg-convert draws.
final class CoverImageTests: XCTestCase {
    static let givenJPEG = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/covers/given-600x900.jpg")

    /// The manifest item that is the `cover-image`, and its bytes.
    private func coverImage(in epub: URL) throws -> (href: String, mediaType: String, data: Data) {
        let reader = try EPUBReader(url: epub)
        let opf = try XCTUnwrap(reader["EPUB/package.opf"]).text
        let items = opf.components(separatedBy: "<item ").dropFirst().filter { $0.contains("properties=\"cover-image\"") }
        XCTAssertEqual(items.count, 1, "exactly one cover-image item")
        let item = try XCTUnwrap(items.first)
        func attribute(_ name: String) throws -> String {
            let start = try XCTUnwrap(item.range(of: "\(name)=\"")).upperBound
            return String(item[start..<item[start...].firstIndex(of: "\"")!])
        }
        let href = try attribute("href")
        return (href, try attribute("media-type"), try XCTUnwrap(reader["EPUB/\(href)"]).data)
    }

    func testTheGeneratedCoverIsRasterizedAndIsTheCoverImage() throws {
        let output = try TestSupport.temporaryFolder(self)
        let report = try TestSupport.build(book: TestSupport.fixtureBook("minimal"), into: output, epubOnly: true)
        let epub = try XCTUnwrap(report.outputs.first { $0.pathExtension == "epub" })
        let cover = try coverImage(in: epub)
        XCTAssertEqual(cover.href, "images/cover.png")
        XCTAssertEqual(cover.mediaType, "image/png")
        let size = try XCTUnwrap(ImageSize(cover.data), "the cover-image is not a PNG, JPEG or GIF")
        XCTAssertEqual(size.format, .png)
        XCTAssertGreaterThanOrEqual(size.height, 1600)
        XCTAssertGreaterThan(size.height, size.width, "portrait")
        XCTAssertEqual(size.width * 3, size.height * 2, "the SVG's 2:3 proportions")
        // The SVG stays the cover page's image.
        let page = try XCTUnwrap(try EPUBReader(url: epub)["EPUB/text/cover.xhtml"]).text
        XCTAssertTrue(page.contains("src=\"../images/cover.svg\""), page)

        // Calibre finds the same image, when it is installed.
        if let ebookMeta = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
            .map({ "\($0)/ebook-meta" }).first(where: FileManager.default.isExecutableFile) {
            let extracted = output.appendingPathComponent("extracted.png")
            let run = try TestSupport.run(ebookMeta, [epub.path, "--get-cover", extracted.path])
            XCTAssertEqual(run.status, 0, run.output)
            XCTAssertEqual(FileManager.default.contents(atPath: extracted.path), cover.data, "ebook-meta extracts another image")
        }
    }

    func testTheRasterIsDrawnNotBlankAndTheSameEachTime() throws {
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        let first = try CoverImage(book: book).raster(), second = try CoverImage(book: book).raster()
        XCTAssertEqual(first.data, second.data, "the same input gives the same bytes")
        // A cover with its text and one with none differ: the renderer drew the text.
        var untitled = book
        untitled.metadata.title = ""
        untitled.metadata.periodical = nil
        untitled.metadata.publisher = nil
        untitled.metadata.subtitle = nil
        XCTAssertNotEqual(try CoverImage(book: untitled).raster().data, first.data)
    }

    func testTheThumbnailIsASmallPortraitPNG() throws {
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        let thumbnail = try CoverImage(book: book).thumbnail()
        let size = try XCTUnwrap(ImageSize(thumbnail.data))
        XCTAssertEqual(thumbnail.mediaType, "image/png")
        XCTAssertEqual(size, ImageSize(format: .png, width: 300, height: 450))
    }

    func testAGivenCoverWins() throws {
        let jpeg = try Data(contentsOf: Self.givenJPEG)
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "cover: images/front.jpg\n"),
                                           ["article.md": ScratchBook.article("Text.")])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        try jpeg.write(to: folder.appendingPathComponent("images/front.jpg"))
        let output = try TestSupport.temporaryFolder(self)
        let report = try TestSupport.build(book: folder, into: output, epubOnly: true)
        let epub = try XCTUnwrap(report.outputs.first { $0.pathExtension == "epub" })
        let cover = try coverImage(in: epub)
        XCTAssertEqual(cover.href, "images/cover.jpg")
        XCTAssertEqual(cover.mediaType, "image/jpeg")
        XCTAssertEqual(cover.data, jpeg, "the given image, as it is")
        XCTAssertNil(try EPUBReader(url: epub)["EPUB/images/cover.svg"], "no generated cover beside a given one")

        let thumbnail = try CoverImage(book: try TestSupport.load(folder)).thumbnail()
        XCTAssertEqual(ImageSize(thumbnail.data), ImageSize(format: .png, width: 300, height: 450), "the given image scaled")
    }

    func testJPEGAndPNGSizesAreRead() throws {
        XCTAssertEqual(ImageSize(try Data(contentsOf: Self.givenJPEG)), ImageSize(format: .jpeg, width: 600, height: 900))
        let png = TestSupport.repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/diagnostics/image-alt-missing/images/map.png")
        XCTAssertEqual(ImageSize(try Data(contentsOf: png)), ImageSize(format: .png, width: 1, height: 1))
        XCTAssertNil(ImageSize(Data("<svg/>".utf8)))
    }

    /// The cover is drawn in the process (librsvg and cairo): a build with no program at all
    /// on PATH (no rsvg-convert) writes the same 1600 × 2400 cover.
    func testTheCoverIsDrawnWithoutStartingAProgram() throws {
        let output = try TestSupport.temporaryFolder(self)
        let executable = try TestSupport.editionExecutable()
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/nonexistent"
        let run = try TestSupport.run(executable.path, ["build", TestSupport.fixtureBook("minimal").path, "--out", output.path,
                                                        "--styles", TestSupport.styles.path, "--epub-only", "--quiet"],
                                      environment: environment)
        XCTAssertEqual(run.status, 0, run.output)
        let epub = output.appendingPathComponent("minimal-edition.epub")
        let cover = try coverImage(in: epub)
        XCTAssertEqual(cover.href, "images/cover.png")
        XCTAssertEqual(ImageSize(cover.data), ImageSize(format: .png, width: 1600, height: 2400))
    }

    /// What rsvg-convert (librsvg's own program, which scripts/lib/setup.sh installs for these
    /// comparisons) draws from `svg`, `height` pixels tall, as a PNG.
    private func rsvgConvert(_ svg: String, height: Int) throws -> Data {
        let folder = try TestSupport.temporaryFolder(self)
        let input = folder.appendingPathComponent("cover.svg"), reference = folder.appendingPathComponent("reference.png")
        try Data(svg.utf8).write(to: input)
        let program = try XCTUnwrap(["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first(where: FileManager.default.isExecutableFile),
                                    "rsvg-convert is not installed (Debian librsvg2-bin: scripts/lib/setup.sh installs it)")
        let run = try TestSupport.run(program, ["--keep-aspect-ratio", "--height", String(height), "--format", "png",
                                                "--output", reference.path, input.path])
        XCTAssertEqual(run.status, 0, run.output)
        return try XCTUnwrap(FileManager.default.contents(atPath: reference.path))
    }

    /// The colour type in a PNG's IHDR: 2 for RGB, 6 for RGBA.
    private func colourType(_ png: Data) -> UInt8? {
        png.count > 25 ? png[png.startIndex + 25] : nil
    }

    /// The same pixels as rsvg-convert draws from the same SVG: the cover's quality is librsvg's.
    func testTheRasterHasTheSamePixelsAsRsvgConvert() throws {
        let book = try TestSupport.load(TestSupport.fixtureBook("minimal"))
        let cover = try CoverImage(book: book)
        let svg = try XCTUnwrap(cover.svg)
        let ours = try cover.raster()
        let theirs = try rsvgConvert(svg, height: 2400)
        let decodedOurs = try XCTUnwrap(PNGPixels(ours.data)), decodedTheirs = try XCTUnwrap(PNGPixels(theirs))
        XCTAssertEqual(decodedOurs.width, 1600)
        XCTAssertEqual(decodedOurs.height, 2400)
        XCTAssertEqual(decodedOurs.width, decodedTheirs.width)
        XCTAssertEqual(decodedOurs.height, decodedTheirs.height)
        XCTAssertTrue(decodedOurs.rgba == decodedTheirs.rgba, "the pixels differ from rsvg-convert's")
        // Not a blank page: the background and the text's colours are there.
        XCTAssertGreaterThan(Set(decodedOurs.rgba.enumerated().compactMap { $0.offset % 4 == 0 ? $0.element : nil }).count, 2)
        // The generated cover is opaque: written as RGB, without an alpha channel.
        XCTAssertEqual(colourType(ours.data), 2)
    }

    /// A given SVG cover with opaque, half-transparent and transparent areas (each a band of
    /// rows that repeat): written as RGBA with the pixels rsvg-convert draws, its premultiplied
    /// colours divided out as cairo's writer does.
    func testATransparentSVGCoverHasTheSamePixelsAsRsvgConvert() throws {
        let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="200" height="300" viewBox="0 0 200 300">\
        <rect x="0" y="0" width="200" height="100" fill="#204080"/>\
        <rect x="0" y="100" width="200" height="50" fill="#204080" fill-opacity="0.5"/>\
        <circle cx="100" cy="200" r="70" fill="#f4d35e" fill-opacity="0.3" stroke="#b3261e" stroke-width="9"/>\
        <text x="20" y="60" font-size="40" fill="#ffffff">Edition</text></svg>
        """
        let folder = try ScratchBook.write(self, manifest: ScratchBook.manifest(extra: "cover: images/front.svg\n"),
                                           ["article.md": ScratchBook.article("Text.")])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        try Data(svg.utf8).write(to: folder.appendingPathComponent("images/front.svg"))
        let ours = try CoverImage(book: try TestSupport.load(folder)).raster()
        XCTAssertEqual(ours.mediaType, "image/png")
        XCTAssertEqual(colourType(ours.data), 6, "a cover with transparent pixels keeps its alpha channel")
        let decodedOurs = try XCTUnwrap(PNGPixels(ours.data)), decodedTheirs = try XCTUnwrap(PNGPixels(try rsvgConvert(svg, height: 2400)))
        XCTAssertEqual(decodedOurs.width, 1600)
        XCTAssertEqual(decodedOurs.height, 2400)
        XCTAssertEqual(decodedOurs.width, decodedTheirs.width)
        XCTAssertEqual(decodedOurs.height, decodedTheirs.height)
        XCTAssertTrue(decodedOurs.rgba == decodedTheirs.rgba, "the pixels differ from rsvg-convert's")
        // Transparent, half-transparent and opaque pixels are all there.
        let alphas = Set(decodedOurs.rgba.enumerated().compactMap { $0.offset % 4 == 3 ? $0.element : nil })
        XCTAssertTrue(alphas.contains(0) && alphas.contains(255) && alphas.contains { $0 > 0 && $0 < 255 }, "\(alphas.sorted())")
    }
}

/// A PNG's pixels as 8-bit RGBA, decoded by libpng's simplified API.
struct PNGPixels {
    var width: Int
    var height: Int
    var rgba: [UInt8]

    init?(_ data: Data) {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let read = data.withUnsafeBytes { bytes -> [UInt8]? in
            guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else { return nil }
            image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)  // PNG_FORMAT_RGBA, a macro Swift does not import
            var pixels = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 4)
            let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
            png_image_free(&image)
            return finished != 0 ? pixels : nil
        }
        guard let read else { return nil }
        width = Int(image.width)
        height = Int(image.height)
        rgba = read
    }
}
