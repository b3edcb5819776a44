import Foundation

/// Turns the print HTML into a PDF with WeasyPrint, run as a separate process.
public struct PDFWriter {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Writes `pdf` from `html`; returns WeasyPrint's warnings as diagnostics.
    public func write(html: URL, to pdf: URL) throws -> [Diagnostic] {
        throw BuildFailure([.error(.toolMissing, "PDF output is not implemented yet", at: nil)])
    }
}
