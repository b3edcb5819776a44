/// A problem found in the input, with a stable code, printed as
/// `path:line:column: error: message [code]`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation?
    public var hint: String?

    public init(_ severity: Severity, _ code: DiagnosticCode, _ message: String,
                at location: SourceLocation?, hint: String? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.hint = hint
    }

    public static func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
                             hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, hint: hint)
    }

    public static func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
                               hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, hint: hint)
    }

    public var description: String {
        let place = location.map { "\($0): " } ?? "edition: "
        var text = "\(place)\(severity.rawValue): \(message) [\(code.rawValue)]"
        if let hint { text += "\n    hint: \(hint)" }
        return text
    }
}

/// Diagnostics collected while a stage runs; stages report problems instead of throwing,
/// so that one run shows every problem it can find.
public struct DiagnosticLog: Sendable {
    public private(set) var all: [Diagnostic] = []

    public init() {}

    public mutating func report(_ diagnostic: Diagnostic) { all.append(diagnostic) }
    public mutating func report(contentsOf diagnostics: [Diagnostic]) { all.append(contentsOf: diagnostics) }

    public var hasErrors: Bool { all.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { all.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { all.filter { $0.severity == .warning } }
}

/// Raised when a stage cannot go on; carries every diagnostic found so far.
public struct BuildFailure: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
