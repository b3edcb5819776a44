import Foundation
import XCTest

/// The built command line (`.build/debug/edition`), run as an editor runs it: in a working
/// folder, with an environment, its output captured in files (no pipe to fill), killed and
/// reported as a hang after a time limit.
enum EditionProcess {
    static var executable: URL {
        get throws {
            let url = TestSupport.repository.appendingPathComponent(".build/debug/edition")
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw SetupError(message: "\(url.path) is missing: build it with `swift build --build-tests`")
            }
            return url
        }
    }

    struct Run {
        var status: Int32
        var output: String
        var errors: String

        /// The diagnostics printed on standard error.
        var diagnostics: [PrintedDiagnostic] { PrintedDiagnostic.parse(errors) }
    }

    /// A running build, for the tests that interrupt one.
    final class Running {
        let process: Process
        let outputFile: URL
        let errorFile: URL

        init(process: Process, outputFile: URL, errorFile: URL) {
            self.process = process
            self.outputFile = outputFile
            self.errorFile = errorFile
        }

        var pid: pid_t { process.processIdentifier }

        /// Waits for the end; throws when it takes longer than `timeout` seconds (a hang).
        func wait(timeout: TimeInterval = 120) throws -> Run {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    kill(process.processIdentifier, SIGKILL)
                    throw SetupError(message: "edition did not end within \(Int(timeout)) s (a hang)")
                }
                usleep(20_000)
            }
            process.waitUntilExit()
            let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
            let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: outputFile)
            try? FileManager.default.removeItem(at: errorFile)
            return Run(status: process.terminationStatus, output: output, errors: errors)
        }
    }

    /// Starts `edition ARGUMENTS` in `folder`. `limitFileSize` (KiB) runs it under `ulimit -f`,
    /// which makes a write past that size fail as on a full disk.
    static func start(_ arguments: [String], in folder: URL, environment: [String: String] = [:],
                      limitFileSize: Int? = nil) throws -> Running {
        let process = Process()
        let program = try executable
        if let limitFileSize {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "ulimit -f \(limitFileSize); exec \"$0\" \"$@\"", program.path] + arguments
        } else {
            process.executableURL = program
            process.arguments = arguments
        }
        process.currentDirectoryURL = folder
        var base = ProcessInfo.processInfo.environment.filter { $0.key != "SOURCE_DATE_EPOCH" }
        base[PDFWriterVariable] = nil
        base["EDITION_WEASYPRINT"] = nil
        process.environment = base.merging(environment) { $1 }
        let id = UUID().uuidString
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("edition-out-\(id)")
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("edition-err-\(id)")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, outputFile: outputFile, errorFile: errorFile)
    }

    /// Runs `edition ARGUMENTS` in `folder` to its end.
    static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:],
                    limitFileSize: Int? = nil, timeout: TimeInterval = 120) throws -> Run {
        try start(arguments, in: folder, environment: environment, limitFileSize: limitFileSize).wait(timeout: timeout)
    }

    /// The Python that runs the WeasyPrint driver (`python -c DRIVER HTML PDF MAP`): the tests'
    /// stand-ins for WeasyPrint are named through it.
    static let PDFWriterVariable = "EDITION_PYTHON"
}

/// A diagnostic as the command line prints it: `file:line:column: severity: message [code]`,
/// or `edition: severity: message [code]` when it has no place.
struct PrintedDiagnostic: Equatable, CustomStringConvertible {
    var file: String?
    var line: Int?
    var column: Int?
    var severity: String
    var message: String
    var code: String

    var description: String {
        "\(file ?? "edition")\(line.map { ":\($0)" } ?? "")\(column.map { ":\($0)" } ?? ""): \(severity): \(message) [\(code)]"
    }

    static func parse(_ text: String) -> [PrintedDiagnostic] {
        let placed = try! NSRegularExpression(pattern: #"(?s)^([^\n]+?):([0-9]+):([0-9]+): (error|warning): (.*) \[([a-z0-9-]+)\]$"#)
        let unplaced = try! NSRegularExpression(pattern: #"(?s)^edition: (error|warning): (.*) \[([a-z0-9-]+)\]$"#)
        // A message may go on over indented lines (WeasyPrint's); a hint is a line of its own.
        var logical: [String] = []
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("    "), !line.hasPrefix("    hint:"), !logical.isEmpty {
                logical[logical.count - 1] += "\n" + line
            } else {
                logical.append(line)
            }
        }
        return logical.compactMap { line in
            let range = NSRange(line.startIndex..., in: line)
            func group(_ match: NSTextCheckingResult, _ index: Int) -> String {
                String(line[Range(match.range(at: index), in: line)!])
            }
            if let match = placed.firstMatch(in: line, range: range) {
                return PrintedDiagnostic(file: group(match, 1), line: Int(group(match, 2)), column: Int(group(match, 3)),
                                         severity: group(match, 4), message: group(match, 5), code: group(match, 6))
            }
            if let match = unplaced.firstMatch(in: line, range: range) {
                return PrintedDiagnostic(file: nil, line: nil, column: nil, severity: group(match, 1),
                                         message: group(match, 2), code: group(match, 3))
            }
            return nil
        }
    }
}

/// Every file and folder under a folder, hidden ones included, with each file's bytes: two
/// snapshots are equal when nothing was added, removed or changed by one byte.
struct FolderSnapshot: Equatable {
    var files: [String: Data] = [:]
    var folders: Set<String> = []

    init(_ root: URL) {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return }
        for case let path as String in walker {
            // The tool's caches beside the outputs (the incremental build's, the page maps')
            // are not outputs; they are left out of the comparison.
            if Self.caches.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
            let url = root.appendingPathComponent(path)
            var info = stat()
            guard lstat(url.path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                folders.insert(path)
            } else {
                files[path] = (try? Data(contentsOf: url)) ?? Data("<unreadable \(info.st_mode)>".utf8)
            }
        }
    }

    static let caches = [".edition-cache", ".edition-page-maps"]

    var paths: [String] { (Array(files.keys) + folders.map { $0 + "/" }).sorted() }

    /// The paths but the incremental build's cache (`.edition-cache/`), which a successful
    /// build changes without it being an output.
    var outputPaths: [String] { paths.filter { !$0.hasPrefix(".edition-cache/") } }

    /// What differs from `other`, in words, for a failure message.
    func differences(from other: FolderSnapshot) -> String {
        var lines: [String] = []
        for path in Set(files.keys).union(other.files.keys).sorted() {
            switch (other.files[path], files[path]) {
            case (nil, _?): lines.append("new file \(path)")
            case (_?, nil): lines.append("removed file \(path)")
            case let (before?, after?) where before != after: lines.append("changed file \(path)")
            default: break
            }
        }
        for path in folders.symmetricDifference(other.folders).sorted() {
            lines.append(folders.contains(path) ? "new folder \(path)" : "removed folder \(path)")
        }
        return lines.joined(separator: "; ")
    }
}
