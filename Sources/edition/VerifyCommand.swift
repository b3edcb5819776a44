import ArgumentParser
import EditionKit
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare a build's outputs with one another and with the book; exit 1 on any difference.")

    @Argument(help: "The book folder (with book.yaml).")
    var book = "book"

    @Option(name: .shortAndLong, help: "The folder the build wrote into.")
    var out = "dist"

    @Option(help: "A folder edition publish wrote: also compare each article's web page with the EPUB.")
    var web: String?

    @Flag(help: "Print the diagnostics as JSON lines, for tools.")
    var json = false

    func run() throws {
        let diagnostics = Verifier(book: book, output: out, web: web).verify()
        if json {
            for diagnostic in diagnostics { print(diagnostic.jsonLine) }
        } else {
            Report.print(diagnostics)
        }
        if diagnostics.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
    }
}
