import Foundation

extension Diagnostic {
    /// One line of JSON: `{"severity":…,"code":…,"message":…,"file":…,"line":…,"column":…}`.
    public var jsonLine: String {
        var object: [String: Any] = ["severity": severity.rawValue, "code": code.rawValue, "message": message]
        if let location {
            object["file"] = location.file
            object["line"] = location.line
            object["column"] = location.column
        }
        if let hint { object["hint"] = hint }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(data: data, encoding: .utf8) ?? "{}"
    }
}
