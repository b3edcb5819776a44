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
        let extra = string.withUTF8 { bytes -> Int in
            var extra = 0
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "&"): extra += 4
                case UInt8(ascii: "<"), UInt8(ascii: ">"): extra += 3
                case UInt8(ascii: "\"") where quotes: extra += 5
                default: break
                }
            }
            return extra
        }
        guard extra > 0 else { return string }
        return string.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count + extra) { buffer in
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
    }
}
