import ArgumentParser
import EditionKit
import Foundation

@main
struct Edition: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edition",
        abstract: "Turns a magazine edition written as Markdown into an EPUB 3 and print-ready HTML.",
        subcommands: [BuildCommand.self, WatchCommand.self, CheckCommand.self, ImportCommand.self, PublishCommand.self,
                      ServeCommand.self, VerifyCommand.self],
        defaultSubcommand: BuildCommand.self)
}

/// Prints diagnostics to standard error the way compilers do.
enum Report {
    static func print(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { printError(diagnostic.description) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if !diagnostics.isEmpty {
            printError("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
