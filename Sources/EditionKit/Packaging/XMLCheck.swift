import CLibXML2
import Foundation

/// Parses generated XML back with libxml2 and reports where it is not well-formed.
/// No network access, no entity substitution.
public enum XMLCheck {
    public struct Problem: Hashable, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    /// libxml2 must initialise its globals once, on one thread, before threads parse.
    private static let initialized: Void = { xmlInitParser() }()

    /// The first problem libxml2 finds in `data`; empty when it is well-formed. Safe on
    /// several threads at once: the error handler is per thread.
    public static func problems(in data: Data) -> [Problem] {
        _ = initialized
        // HUGE: our own documents may hold a text node past libxml2's 10 MB default ("Huge input
        // lookup"); the loader's limits (InputLimits) bound what can reach them.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
        let (document, errors) = LibXMLErrors.collecting {
            data.withUnsafeBytes { buffer -> xmlDocPtr? in
                guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
                return xmlReadMemory(base, Int32(buffer.count), "document.xml", "UTF-8", options)
            }
        }
        var problems = errors.map { Problem(line: $0.line, column: $0.column, message: $0.message) }
        if let document { xmlFreeDoc(document) } else if problems.isEmpty {
            problems.append(Problem(line: 1, column: 1, message: "the document could not be parsed"))
        }
        // After the first error libxml2 reports the mismatches it causes further down; only the
        // first is the editor's to fix.
        return Array(problems.prefix(1))
    }

    /// Diagnostics for every XML file among `files`, placed at `container/path:line:column`.
    public static func check(_ files: [EPUBFile], container: String, serially: Bool = false) -> [Diagnostic] {
        _ = initialized
        let found = (try? Parallel.map(files.filter(\.isXML), serially: serially) { file in (file, problems(in: file.data)) }) ?? []
        return found.flatMap { file, problems in
            problems.map { problem in
                Diagnostic.error(.xhtmlMalformed, "generated \(file.path) is not well-formed: \(problem.message)",
                                 at: SourceLocation(file: "\(container)/\(file.path)", line: problem.line,
                                                    column: problem.column),
                                 hint: "raw HTML in an article must be well-formed XHTML (<br/>, not <br>)")
            }
        }
    }
}
