import ArgumentParser
import EditionKit
import Foundation

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the EPUB and the print HTML (and, with --pdf, the PDF) of a book.")

    @OptionGroup var arguments: BuildArguments

    @Flag(help: "The release gate: fail on every warning that book.yaml does not acknowledge with a reason.")
    var release = false

    @Flag(help: "Build everything from scratch, without reading or writing the cache (DIR/.edition-cache).")
    var noCache = false

    func run() throws {
        var options = arguments.options
        options.release = release
        options.cache = !noCache
        // The process ends with the build: its model is left to the operating system.
        options.freesState = false
        let quiet = arguments.quiet
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
