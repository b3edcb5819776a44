import ArgumentParser
import EditionKit
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a book and print its diagnostics; exit 1 when there are errors.")

    @Argument(help: "The book folder (with book.yaml).")
    var book = "book"

    @Option(help: "The folder with epub.css and print.css (default: BOOK/styles, then ./styles), as for build.")
    var styles: String?

    @Flag(help: "Print the diagnostics as JSON lines, for tools.")
    var json = false

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "The release gate: fail on every warning that book.yaml does not acknowledge with a reason.")
    var release = false

    @Flag(help: "List every diagnostic code with what it means, and exit.")
    var explain = false

    func run() throws {
        if explain {
            for code in DiagnosticCode.allCases { print("\(code.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)) \(code.summary)") }
            return
        }
        var (_, diagnostics) = Pipeline.check(book: book, release: release)
        // The stylesheets a build would read: a check that passes means the build can start.
        diagnostics += Stylesheets.diagnostics(book: book, styles: styles)
        if json {
            for diagnostic in diagnostics { print(diagnostic.jsonLine) }
        } else {
            Report.print(diagnostics)
        }
        let failing = diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        if failing { throw ExitCode(1) }
    }
}
