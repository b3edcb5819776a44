import Foundation

/// The format and pixel size of a PNG, JPEG or GIF, read from its header.
public struct ImageSize: Equatable, Sendable {
    public enum Format: String, Sendable { case png, jpeg, gif }

    public var format: Format
    public var width: Int
    public var height: Int

    public init?(_ data: Data) {
        let bytes = [UInt8](data.prefix(64 * 1024))
        func u16be(_ i: Int) -> Int { Int(bytes[i]) << 8 | Int(bytes[i + 1]) }
        func u32be(_ i: Int) -> Int { u16be(i) << 16 | u16be(i + 2) }
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
           bytes[12..<16].elementsEqual("IHDR".utf8) {
            (format, width, height) = (.png, u32be(16), u32be(20))
        } else if bytes.count >= 10, bytes.starts(with: Array("GIF8".utf8)) {
            (format, width, height) = (.gif, Int(bytes[6]) | Int(bytes[7]) << 8, Int(bytes[8]) | Int(bytes[9]) << 8)
        } else if bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 {
            // Walk the segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC).
            var index = 2
            var found: (Int, Int)?
            while index + 9 < bytes.count, bytes[index] == 0xFF {
                let marker = bytes[index + 1]
                if marker == 0xFF { index += 1; continue }
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    found = (u16be(index + 7), u16be(index + 5))
                    break
                }
                if marker == 0xD8 || (0xD0...0xD7).contains(marker) { index += 2; continue }
                index += 2 + u16be(index + 2)
            }
            guard let (w, h) = found else { return nil }
            (format, width, height) = (.jpeg, w, h)
        } else {
            return nil
        }
        guard width > 0, height > 0 else { return nil }
    }
}
