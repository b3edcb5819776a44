import ArgumentParser
import EditionImport
import Foundation

/// `edition import`: turns a plain-text extraction of an edition (or of one document) into
/// Markdown articles with front matter, to be finished by hand in the book folder.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Converts an extracted plain-text edition or document into Markdown articles.",
        discussion: """
            Rejoins paragraphs split by column or page breaks, turns superscript note marks and \
            NOTES blocks into GFM footnotes, headings in capitals into proper-case `##` headings, \
            the first lines into title, subtitle and byline, and drops page furniture. \
            The result is a first draft: check it against the source.
            """)

    @Argument(help: "The extracted text file (UTF-8).")
    var input: String

    @Option(name: .long, help: "The book folder to write the Markdown files into.")
    var out: String

    @Flag(name: .long, help: "Split a whole edition at its articles, found through its printed table of contents.")
    var split = false

    @Option(name: .long, help: "Number prefix of the first file written (01-…); 0 for no prefix.")
    var number = 1

    @Option(name: .long, help: "Use this file name (without .md) instead of one made from the title; only without --split.")
    var name: String?

    @Option(name: .long, parsing: .upToNextOption, help: "More acronyms to keep in capitals in headings.")
    var acronym: [String] = []

    @Flag(name: .long, help: "Overwrite existing files.")
    var force = false

    func run() throws {
        let text = try String(contentsOfFile: input, encoding: .utf8)
        var options = ImportOptions(split: split)
        options.acronyms.formUnion(acronym.map { $0.uppercased() })
        let articles = EditionImporter.importText(text, options: options)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (n, article) in articles.enumerated() {
            var base = name.flatMap { articles.count == 1 ? $0 : nil } ?? article.slug
            if base.isEmpty { base = "article" }
            if number > 0 { base = String(format: "%02d-", number + n) + base }
            let path = (out as NSString).appendingPathComponent(base + ".md")
            if FileManager.default.fileExists(atPath: path) && !force {
                throw ValidationError("\(path) exists; use --force to overwrite it")
            }
            try article.markdown().write(toFile: path, atomically: true, encoding: .utf8)
            print("\(path): \(article.body.count) blocks, \(article.notes.count) notes")
        }
    }
}
