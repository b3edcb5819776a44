import ArgumentParser
import EditionKit

/// The options `build` and `watch` share: what to build, from where, into where.
struct BuildArguments: ParsableArguments {
    @Argument(help: "The book folder (with book.yaml).")
    var book = "book"

    @Option(name: .shortAndLong, help: "The folder to write into.")
    var out = "dist"

    @Option(help: "The folder with epub.css and print.css (default: BOOK/styles, then ./styles).")
    var styles: String?

    @Flag(help: "Also make the PDF with WeasyPrint (skipped when its inputs have not changed).")
    var pdf = false

    @Flag(help: "Build only the EPUB.")
    var epubOnly = false

    @Flag(name: .shortAndLong, help: "Print nothing but diagnostics.")
    var quiet = false

    /// The build these arguments ask for.
    var options: BuildOptions {
        var options = BuildOptions(book: book, output: out)
        options.styles = styles
        options.pdf = pdf
        options.print = !epubOnly
        return options
    }
}
