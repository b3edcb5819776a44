import Foundation

/// Turns the print HTML into a PDF with WeasyPrint, through edition's driver (`WeasyPrintDriver`)
/// run with the Python that has WeasyPrint (`ToolLocator`): the driver fixes WeasyPrint's column
/// layout at run time, writes the PDF and reads back where every page begins (`PageMap`). The
/// PDF is written beside its destination and renamed into place only when WeasyPrint
/// succeeded, so a failed run leaves the previous PDF as it was.
public struct PDFWriter {
    public var environment: [String: String]
    /// The book folder, beside which a `.venv` is looked for.
    public var book: URL?
    /// Tag the PDF for assistive technology (WeasyPrint's `--pdf-tags`): headings, lists,
    /// links and notes in a structure tree, the document's language.
    public var tagged = true

    /// What a run made besides the PDF.
    public struct Result: Sendable {
        /// WeasyPrint's warnings, as diagnostics.
        public var warnings: [Diagnostic]
        public var pageMap: PageMap
    }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, book: URL? = nil) {
        self.environment = environment
        self.book = book
    }

    /// The program that runs WeasyPrint: the Python the driver runs with.
    public func weasyPrint() throws -> URL {
        try ToolLocator(environment: environment, book: book).python().python
    }

    /// Writes `pdf` from `html`; returns WeasyPrint's warnings and the page map. Throws
    /// `BuildFailure` when WeasyPrint is missing or fails.
    public func write(html: URL, to pdf: URL) throws -> Result {
        let python = try ToolLocator(environment: environment, book: book).python().python
        var output = ""
        var status: Int32 = 0
        var map: PageMap?
        let mapFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("edition-page-map-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: mapFile) }
        do {
            try AtomicFile.write(to: pdf) { temporary in
                (status, output) = try run(python, ["-c", WeasyPrintDriver.source, html.path, temporary.path, mapFile.path]
                                                   + (tagged ? ["--pdf-tags"] : []))
                guard status == 0 else { throw WeasyPrintFailed() }
                guard let data = FileManager.default.contents(atPath: mapFile.path), let decoded = try? PageMap.decode(data) else {
                    output += "\nERROR: the WeasyPrint driver wrote no page map"
                    throw WeasyPrintFailed()
                }
                map = decoded
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
        let warnings: [Diagnostic] = Self.messages(in: output).map { message in
            .warning(.pdfWarning, "WeasyPrint: \(message.text)", at: nil)
        }
        return Result(warnings: warnings, pageMap: map ?? PageMap(weasyprint: "", columnFix: "", pages: []))
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
