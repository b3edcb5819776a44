import CSVGRaster
import Foundation

/// Draws SVG as PNG with librsvg and cairo in this process (`CSVGRaster`, the one wrapper
/// around them and libpng): the renderer `rsvg-convert` is made of, so the same pixels, laid
/// out in the installed face through fontconfig, without starting a program. The PNG is
/// encoded at a fast zlib level without row filters: a cover of flat colours loses little
/// size by it, and the EPUB stores images as they are. The only place that draws SVG.
public struct SVGRasterizer: Sendable {
    /// zlib's level for the PNG: 1, fast (a 1600 × 2400 cover in about 25 ms, where libpng's
    /// default level takes four times as long for a file a fifth smaller).
    public static let compressionLevel: Int32 = 1

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
