/// Escaping for XHTML and HTML text and attribute values.
public enum Markup {
    public static func text(_ string: String) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for character in string {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.append(character)
            }
        }
        return result
    }

    public static func attribute(_ string: String) -> String {
        text(string).replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// ` name="value"` pairs, in the order given, skipping nil values.
    public static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(attribute($0))\"" } }.joined()
    }
}
