import CLibXML2

/// libxml2's errors, collected while a parse runs: its structured error handler is per thread,
/// so parses on several threads at once each collect their own.
enum LibXMLErrors {
    struct Error {
        var line: Int
        var column: Int
        var message: String
    }

    private final class Collector { var errors: [Error] = [] }

    /// Runs `parse` with a handler that records every error libxml2 reports on this thread, in
    /// order; the handler is removed afterwards.
    static func collecting<T>(_ parse: () -> T) -> (result: T, errors: [Error]) {
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xmlSetStructuredErrorFunc(context) { context, error in
            guard let context, let error else { return }
            let collector = Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) }?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
            collector.errors.append(Error(line: Int(error.pointee.line), column: Int(error.pointee.int2), message: message))
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        return withExtendedLifetime(collector) { (parse(), collector.errors) }
    }
}
