import Foundation

/// Turns the print HTML into a PDF with WeasyPrint, run as a separate process. The PDF is
/// written beside its destination and renamed into place only when WeasyPrint succeeded, so a
/// failed run leaves the previous PDF as it was.
public struct PDFWriter {
    public var environment: [String: String]

    /// The environment variable that names the WeasyPrint program to run.
    public static let programVariable = "EDITION_WEASYPRINT"

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Writes `pdf` from `html`; returns WeasyPrint's warnings as diagnostics. Throws
    /// `BuildFailure` when WeasyPrint is missing or fails.
    public func write(html: URL, to pdf: URL) throws -> [Diagnostic] {
        let program = try weasyPrint()
        var output = ""
        var status: Int32 = 0
        do {
            try AtomicFile.write(to: pdf) { temporary in
                (status, output) = try run(program, [html.path, temporary.path])
                guard status == 0 else { throw WeasyPrintFailed() }
            }
        } catch is WeasyPrintFailed {
            let messages = Self.messages(in: output)
            let detail = messages.isEmpty ? "" : ":\n" + messages.map { "    \($0.text)" }.joined(separator: "\n")
            throw BuildFailure([.error(.outputFailed, "WeasyPrint failed (exit status \(status)) making \(pdf.relativePath)\(detail)",
                                       at: SourceLocation(file: html.relativePath, line: 1))])
        } catch let failure as BuildFailure {
            throw failure
        } catch {
            throw BuildFailure([.error(.outputFailed, "making \(pdf.relativePath) failed: \(error)",
                                       at: SourceLocation(file: pdf.relativePath, line: 1))])
        }
        return Self.messages(in: output).map { message in
            .warning(.pdfWarning, "WeasyPrint: \(message.text)", at: nil)
        }
    }

    /// The WeasyPrint program: `$EDITION_WEASYPRINT`, else `weasyprint` on `PATH`.
    public func weasyPrint() throws -> URL {
        let files = FileManager.default
        let hint = "run scripts/build, which installs it"
        if let named = environment[Self.programVariable], !named.isEmpty {
            guard files.isExecutableFile(atPath: named) else {
                throw BuildFailure([.error(.toolMissing, "WeasyPrint is missing: \(Self.programVariable) names \(named), which is not a program",
                                           at: nil, hint: hint)])
            }
            return URL(fileURLWithPath: named)
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("weasyprint")
            if files.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BuildFailure([.error(.toolMissing, "WeasyPrint is not installed: no weasyprint on PATH and \(Self.programVariable) is not set; it is needed for --pdf",
                                   at: nil, hint: hint)])
    }

    private struct WeasyPrintFailed: Error {}

    /// Runs `program` and returns its exit status and everything it printed.
    private func run(_ program: URL, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// WeasyPrint's messages, each once, in order: a `WARNING:` or `ERROR:` line with the
    /// lines that continue it (a traceback, say).
    static func messages(in output: String) -> [(level: String, text: String)] {
        var result: [(level: String, text: String)] = []
        for line in output.split(whereSeparator: \.isNewline).map(String.init) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            if let colon = trimmed.firstIndex(of: ":"), ["WARNING", "ERROR", "CRITICAL"].contains(String(trimmed[..<colon])) {
                let level = String(trimmed[..<colon]).lowercased()
                let text = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                result.append((level, level == "warning" ? text : "\(level): \(text)"))
            } else if !result.isEmpty {
                result[result.count - 1].text += "\n    " + trimmed
            } else {
                result.append(("output", trimmed))
            }
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0.text).inserted }
    }
}
