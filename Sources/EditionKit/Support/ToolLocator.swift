import Foundation

/// Finds the programs the scripts install into `.venv` (scripts/lib/setup.sh) without the user
/// putting `.venv/bin` on `PATH`: an override in the environment, then the `.venv` beside the
/// working directory, the book or the running program's repository, then `PATH`.
public struct ToolLocator: Sendable {
    public var environment: [String: String]
    /// The folders a `.venv` is looked for in (each with its ancestors).
    public var searchFolders: [URL]

    /// The environment variable that names the Python with WeasyPrint.
    public static let pythonVariable = "EDITION_PYTHON"
    /// The environment variable that names the `weasyprint` program; its Python is used.
    public static let weasyPrintVariable = "EDITION_WEASYPRINT"

    public init(environment: [String: String], book: URL? = nil) {
        self.environment = environment
        var folders = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)]
        if let book { folders.append(book.standardizedFileURL) }
        if let program = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(program.deletingLastPathComponent())
        }
        self.searchFolders = folders
    }

    /// Where a Python was found, and how (for messages).
    public struct Found: Sendable, Equatable {
        public var python: URL
        public var how: String
    }

    /// The Python that runs the WeasyPrint driver. Throws `BuildFailure` (tool-missing) when
    /// there is none, or when an override names something that is not a program.
    public func python() throws -> Found {
        let files = FileManager.default
        let hint = "run scripts/build, which installs WeasyPrint into .venv, or set \(Self.pythonVariable)"
        if let named = environment[Self.pythonVariable], !named.isEmpty {
            guard files.isExecutableFile(atPath: named) else {
                throw BuildFailure([.error(.toolMissing, "WeasyPrint cannot run: \(Self.pythonVariable) names \(named), which is not a program",
                                           at: nil, hint: hint)])
            }
            return Found(python: URL(fileURLWithPath: named), how: Self.pythonVariable)
        }
        if let named = environment[Self.weasyPrintVariable], !named.isEmpty {
            guard files.isExecutableFile(atPath: named), let python = Self.python(of: URL(fileURLWithPath: named)) else {
                throw BuildFailure([.error(.toolMissing, "WeasyPrint is missing: \(Self.weasyPrintVariable) names \(named), which is not a weasyprint program",
                                           at: nil, hint: hint)])
            }
            return Found(python: python, how: Self.weasyPrintVariable)
        }
        for folder in searchFolders {
            var current = folder
            while true {
                let candidate = current.appendingPathComponent(".venv/bin/python3")
                if files.isExecutableFile(atPath: candidate.path) { return Found(python: candidate, how: "\(current.path)/.venv") }
                let parent = current.deletingLastPathComponent()
                if parent.path == current.path { break }
                current = parent
            }
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let program = URL(fileURLWithPath: String(folder)).appendingPathComponent("weasyprint")
            if files.isExecutableFile(atPath: program.path), let python = Self.python(of: program) {
                return Found(python: python, how: "PATH")
            }
        }
        throw BuildFailure([.error(.toolMissing, "WeasyPrint is not installed: no .venv beside the book, the working folder or this program, no weasyprint on PATH, and \(Self.pythonVariable) is not set; it is needed for --pdf",
                                   at: nil, hint: hint)])
    }

    /// The Python a `weasyprint` program runs with: `python3` beside it (a virtual
    /// environment's bin), else the interpreter its `#!` line names.
    static func python(of program: URL) -> URL? {
        let resolved = program.deletingLastPathComponent()
        for name in ["python3", "python"] {
            let sibling = resolved.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        }
        guard let handle = try? FileHandle(forReadingFrom: program) else { return nil }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 256)) ?? Data(), as: UTF8.self)
        guard head.hasPrefix("#!"), let line = head.dropFirst(2).split(separator: "\n").first else { return nil }
        let words = line.split(separator: " ").map(String.init)
        guard let interpreter = words.first, !interpreter.hasSuffix("/env"),
              FileManager.default.isExecutableFile(atPath: interpreter) else { return nil }
        return URL(fileURLWithPath: interpreter)
    }
}
