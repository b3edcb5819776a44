import Crypto
import Foundation

/// SHA-256 content hashes (swift-crypto), as lower-case hex: what the build cache compares
/// instead of modification times.
public enum ContentHash {
    public static func of(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    public static func of(_ text: String) -> String { of(Data(text.utf8)) }

    /// The hash of several values in order; each is length-prefixed, so ("ab", "c") and
    /// ("a", "bc") differ.
    public static func of(parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            let bytes = Data(part.utf8)
            hasher.update(data: Data("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return hex(hasher.finalize())
    }

    private static let digits = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
