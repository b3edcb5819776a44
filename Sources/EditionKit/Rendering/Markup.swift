import Foundation

/// Escaping for XHTML and HTML text and attribute values, on UTF-8 bytes: a string with
/// nothing to escape is returned as it is, without a copy.
public enum Markup {
    public static func text(_ string: String) -> String { escape(string, quotes: false) }

    public static func attribute(_ string: String) -> String { escape(string, quotes: true) }

    /// ` name="value"` pairs, in the order given, skipping nil values.
    public static func attributes(_ pairs: [(String, String?)]) -> String {
        var result = ""
        for (name, value) in pairs {
            guard let value else { continue }
            result += " \(name)=\"\(attribute(value))\""
        }
        return result
    }

    private static let amp: StaticString = "&amp;", lt: StaticString = "&lt;", gt: StaticString = "&gt;"
    private static let quot: StaticString = "&quot;"

    private static func escape(_ string: String, quotes: Bool) -> String {
        var string = string
        let extra = string.withUTF8 { escapedExtra($0, quotes: quotes) }
        guard extra > 0 else { return string }
        return string.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count + extra) { writeEscaped(bytes, quotes: quotes, into: $0) }
        }
    }

    /// How many bytes escaping `bytes` adds.
    @inline(__always)
    static func escapedExtra(_ bytes: UnsafeBufferPointer<UInt8>, quotes: Bool) -> Int {
        var extra = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): extra += 4
            case UInt8(ascii: "<"), UInt8(ascii: ">"): extra += 3
            case UInt8(ascii: "\""): if quotes { extra += 5 }
            default: break
            }
        }
        return extra
    }

    /// Writes `bytes`, escaped, at the start of `buffer` (which has room for them and
    /// `escapedExtra` more); returns how many bytes it wrote.
    static func writeEscaped(_ bytes: UnsafeBufferPointer<UInt8>, quotes: Bool, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var index = 0
        func put(_ text: StaticString) {
            text.withUTF8Buffer { for byte in $0 { buffer[index] = byte; index += 1 } }
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): put(amp)
            case UInt8(ascii: "<"): put(lt)
            case UInt8(ascii: ">"): put(gt)
            case UInt8(ascii: "\"") where quotes: put(quot)
            default: buffer[index] = byte; index += 1
            }
        }
        return index
    }
}

/// Markup written straight into UTF-8 bytes, for the documents that list the whole edition:
/// the navigation document and the NCX hold an entry per heading (16,000 at ×100, 7 MB), and
/// appending each piece to a `String` cost several times what copying its bytes does.
struct MarkupBytes {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Markup as it is.
    mutating func append(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ markup: String) {
        markup.withUTF8Bytes { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ other: MarkupBytes) { bytes.append(contentsOf: other.bytes) }

    /// Text, escaped as `Markup.text` escapes it.
    mutating func text(_ value: String) { escaped(value, quotes: false) }

    /// An attribute value, escaped as `Markup.attribute` escapes it.
    mutating func attribute(_ value: String) { escaped(value, quotes: true) }

    mutating func number(_ value: Int) { append(String(value)) }

    mutating func spaces(_ count: Int) {
        for _ in 0..<count { bytes.append(UInt8(ascii: " ")) }
    }

    private mutating func escaped(_ value: String, quotes: Bool) {
        value.withUTF8Bytes { source in
            let extra = Markup.escapedExtra(source, quotes: quotes)
            guard extra > 0 else {
                bytes.append(contentsOf: source)
                return
            }
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: source.count + extra))
            bytes.withUnsafeMutableBufferPointer { buffer in
                _ = Markup.writeEscaped(source, quotes: quotes, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
        }
    }

    var data: Data { Data(bytes) }
}
