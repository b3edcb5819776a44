import CSVGRaster
import Foundation

/// Draws SVG as PNG with librsvg and cairo in this process (`CSVGRaster`, the one wrapper
/// around them and libpng): the renderer `rsvg-convert` is made of, so the same pixels, laid
/// out in the installed face through fontconfig, without starting a program. The PNG is
/// encoded at a fast zlib level without row filters: a cover of flat colours loses little
/// size by it, and the EPUB stores images as they are. The only place that draws SVG.
public struct SVGRasterizer: Sendable {
    /// zlib's level for the PNG: 2, fast. On book/'s 1600 × 2400 cover (callgrind) levels 1
    /// to 3 cost the same, about 190 M instructions in zlib, most of it zlib's window sliding
    /// and Adler-32 over the 11.5 MB of rows, which no level avoids; level 2 gives 137,657
    /// bytes where level 1 gives 140,425, and level 4 doubles the cost for a file a fifth smaller.
    public static let compressionLevel: Int32 = 2

    public init() {}

    /// `svg` drawn as a PNG `height` pixels tall, its width following the aspect ratio.
    /// Throws `BuildFailure` (output-failed) when librsvg cannot read or draw it.
    public func png(svg: String, height: Int) throws -> Data {
        var bytes: UnsafeMutablePointer<UInt8>?
        var count = 0
        var message: UnsafeMutablePointer<CChar>?
        let status = svg.utf8.withContiguousStorageIfAvailable { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text in
                edition_svg_to_png(text.baseAddress, text.count, Int32(height), Self.compressionLevel, &bytes, &count, &message)
            }
        } ?? Array(svg.utf8).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { text in
                edition_svg_to_png(text.baseAddress, text.count, Int32(height), Self.compressionLevel, &bytes, &count, &message)
            }
        }
        defer {
            free(bytes)
            free(message)
        }
        guard status == 0, let bytes else {
            let reason = message.map { String(cString: $0) } ?? "unknown error"
            throw BuildFailure([.error(.outputFailed, "drawing the cover failed: \(reason)", at: nil)])
        }
        return Data(bytes: bytes, count: count)
    }
}
