import ArgumentParser
import EditionKit
import Foundation

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the EPUB and the print HTML (and, with --pdf, the PDF) of a book.")

    @Argument(help: "The book folder (with book.yaml).")
    var book = "book"

    @Option(name: .shortAndLong, help: "The folder to write into.")
    var out = "dist"

    @Option(help: "The folder with epub.css and print.css (default: BOOK/styles, then ./styles).")
    var styles: String?

    @Flag(help: "Also make the PDF with WeasyPrint.")
    var pdf = false

    @Flag(help: "Build only the EPUB.")
    var epubOnly = false

    @Flag(help: "The release gate: fail on every warning that book.yaml does not acknowledge with a reason.")
    var release = false

    @Flag(name: .shortAndLong, help: "Print nothing but diagnostics.")
    var quiet = false

    @Flag(help: "Build everything from scratch, without reading or writing the cache (DIR/.edition-cache).")
    var noCache = false

    func run() throws {
        var options = BuildOptions(book: book, output: out)
        options.styles = styles
        options.pdf = pdf
        options.release = release
        options.print = !epubOnly
        options.cache = !noCache
        Interruption.install { signal in
            let name = signal == SIGINT ? "interrupted (SIGINT)" : signal == SIGTERM ? "terminated (SIGTERM)" : "stopped (signal \(signal))"
            Report.printError(Diagnostic.error(.buildInterrupted, "the build was \(name): nothing was replaced, its temporary files are removed",
                                               at: nil).description)
        }
        let progress = ProgressLine(quiet: quiet)
        let report: BuildReport
        do {
            report = try Pipeline.build(options, progress: progress.report)
        } catch let failure as BuildFailure {
            progress.finish()
            Report.print(failure.diagnostics)
            throw ExitCode(1)
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        Report.print(report.diagnostics)
        if !quiet {
            for line in report.incremental { Report.printError("edition: \(line)") }
            for output in report.outputs { print("wrote \(output.relativePath)") }
        }
    }
}
