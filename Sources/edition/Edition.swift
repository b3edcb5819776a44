import ArgumentParser
import EditionKit

@main
struct Edition: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edition",
        abstract: "Turns a magazine edition written as Markdown into an EPUB 3 and print-ready HTML.",
        subcommands: [ImportCommand.self])
}
