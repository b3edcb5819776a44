import Foundation

/// The edition's cover for every output: the image book.yaml's `cover:` names, or the SVG
/// cover generated from the metadata; a raster copy for readers that want one (the EPUB's
/// `cover-image`), and a thumbnail for feeds. A given image always wins over the generated one.
public struct CoverImage: Sendable {
    /// A raster image: its bytes, media type, file extension and size in pixels.
    public struct Raster: Sendable {
        public var data: Data
        public var mediaType: String
        public var fileExtension: String
        public var size: ImageSize
    }

    /// The height of the raster cover drawn from SVG (1600 × 2400 for a 2:3 cover).
    public static let rasterHeight = 2400
    /// The height of the thumbnail for feeds (300 × 450 for a 2:3 cover).
    public static let thumbnailHeight = 450

    public let book: Book
    public let rasterizer: SVGRasterizer
    /// Draws the PNG or hands back the same bytes from the build cache (`IncrementalBuild`).
    public var memo: (@Sendable (_ svg: String, _ height: Int, _ draw: () throws -> Data) throws -> Data)?
    /// The SVG cover, generated or given; nil when the given cover is a raster image.
    public let svg: String?
    /// The given raster image's bytes, when book.yaml names one.
    private let given: Data?

    /// Reads the given cover, if any; throws `BuildFailure` when it cannot be read.
    public init(book: Book) throws {
        self.book = book
        self.rasterizer = SVGRasterizer()
        guard let cover = book.metadata.cover else {
            svg = CoverArt(book: book, labels: Localization(language: book.metadata.language)).svg()
            given = nil
            return
        }
        let url = book.root.appendingPathComponent(cover)
        let data = try BookFiles.contents(of: url, inside: book.root)
        if url.pathExtension.lowercased() == "svg" {
            svg = String(decoding: data, as: UTF8.self)
            given = nil
        } else {
            svg = nil
            given = data
        }
    }

    /// The cover as a raster image: the given one as it is, else the SVG drawn
    /// `rasterHeight` pixels tall as a PNG.
    public func raster() throws -> Raster {
        if let given, let cover = book.metadata.cover {
            let type = EPUBRenderer.imageMediaType(cover)
            let size = ImageSize(given) ?? ImageSize.unknown
            return Raster(data: given, mediaType: type, fileExtension: (cover as NSString).pathExtension.lowercased(), size: size)
        }
        return try png(svg ?? "", height: Self.rasterHeight)
    }

    /// A PNG of the cover `height` pixels tall, for feeds and listings.
    public func thumbnail(height: Int = thumbnailHeight) throws -> Raster {
        if let svg { return try png(svg, height: height) }
        let image = try raster()
        // The given image inside an SVG of its own size, so that the same renderer scales it.
        let width = image.size.width > 0 ? image.size.width : 2, tall = image.size.height > 0 ? image.size.height : 3
        let wrapper = """
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="\(width)" height="\(tall)" viewBox="0 0 \(width) \(tall)">\
        <image width="\(width)" height="\(tall)" preserveAspectRatio="xMidYMid meet" xlink:href="data:\(image.mediaType);base64,\(image.data.base64EncodedString())"/></svg>
        """
        return try png(wrapper, height: height)
    }

    private func png(_ svg: String, height: Int) throws -> Raster {
        let make = { try rasterizer.png(svg: svg, height: height) }
        let data = try memo.map { try $0(svg, height, make) } ?? make()
        return Raster(data: data, mediaType: "image/png", fileExtension: "png", size: ImageSize(data) ?? .unknown)
    }
}

extension ImageSize {
    /// A size nothing could be read from (a WebP cover, say).
    static let unknown = ImageSize(format: .png, width: 0, height: 0)

    init(format: Format, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}
