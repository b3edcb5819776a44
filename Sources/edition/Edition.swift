import ArgumentParser
import EditionKit
import Foundation

/// The program. Every command but `serve` runs on the main thread, as a plain program does;
/// `serve`, the one asynchronous command, runs on Swift's concurrency threads while the main
/// thread waits. (ArgumentParser's own asynchronous entry point would park the main thread in
/// `dispatch_main` for every command, which valgrind cannot follow: scripts/bench counts a
/// build's instructions with callgrind.)
@main
enum Main {
    static func main() {
        let command: any ParsableCommand
        do {
            command = try Edition.parseAsRoot()
        } catch {
            Edition.exit(withError: error)
        }
        do {
            if let asynchronous = command as? any AsyncParsableCommand {
                let outcome = AsyncOutcome(asynchronous)
                let done = DispatchSemaphore(value: 0)
                // Detached: `main` is on the main actor, and a task that inherited it would
                // wait for the main thread, which waits for the task.
                Task.detached {
                    await outcome.run()
                    done.signal()
                }
                done.wait()
                if let error = outcome.error { throw error }
            } else {
                var command = command
                try command.run()
            }
        } catch {
            Edition.exit(withError: error)
        }
    }

    /// An asynchronous command and how it ended, handed between the main thread and a task.
    private final class AsyncOutcome: @unchecked Sendable {
        var command: any AsyncParsableCommand
        var error: Error?
        init(_ command: any AsyncParsableCommand) { self.command = command }
        func run() async {
            do { try await command.run() } catch { self.error = error }
        }
    }
}

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
