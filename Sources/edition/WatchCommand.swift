import ArgumentParser
import Dispatch
import EditionKit
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Build, then rebuild on every save to the book or its styles (Ctrl-C stops).")

    @OptionGroup var arguments: BuildArguments

    @Flag(help: "Look for changes by polling instead of inotify.")
    var poll = false

    func run() throws {
        let (book, out, styles) = (arguments.book, arguments.out, arguments.styles)
        var options = arguments.options
        options.cache = true
        // Parsed articles and verified fragments stay in memory from build to build.
        options.memory = BuildMemory()
        guard FileManager.default.fileExists(atPath: (book as NSString).appendingPathComponent(BookLoader.manifestName)) else {
            Report.print([.error(.fileMissing, "\(book) has no \(BookLoader.manifestName): nothing to watch", at: nil)])
            throw ExitCode(1)
        }

        let stop = StopSignal()
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.set() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }

        var roots = [URL(fileURLWithPath: book, isDirectory: true)]
        let stylesFolder = styles ?? ((book as NSString).appendingPathComponent("styles"))
        let fallback = FileManager.default.fileExists(atPath: stylesFolder) ? stylesFolder : "styles"
        let bookPath = URL(fileURLWithPath: book).standardizedFileURL.path
        let stylesURL = URL(fileURLWithPath: fallback, isDirectory: true).standardizedFileURL
        if !stylesURL.path.hasPrefix(bookPath + "/"), FileManager.default.fileExists(atPath: stylesURL.path) {
            roots.append(stylesURL)
        }
        let output = URL(fileURLWithPath: out, isDirectory: true)
        let watcher = FileWatcher(roots: roots, excluding: [output], polling: poll)

        build(options, changed: nil)
        if !quiet {
            say("watching \(roots.map(\.relativePath).joined(separator: " and ")) (\(watcher.mechanism.rawValue)); Ctrl-C stops")
        }
        while let changed = watcher.nextChanges(stop: stop.isSet) {
            if stop.isSet() { break }
            if changed.isEmpty { continue }  // only temporary files came and went
            build(options, changed: changed)
        }
        if !quiet { say("stopped") }
    }

    /// One build, reported; a failure is reported and the watch goes on.
    private func build(_ options: BuildOptions, changed: [String]?) {
        let start = DispatchTime.now()
        if let changed, !quiet {
            let cwd = FileManager.default.currentDirectoryPath + "/"
            say("saved: " + changed.map { $0.hasPrefix(cwd) ? String($0.dropFirst(cwd.count)) : $0 }.joined(separator: ", "))
        }
        let seconds = { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
        options.memory?.beginBuild()
        do {
            let report = try Pipeline.build(options)
            Report.print(report.diagnostics)
            if let memory = options.memory {
                memory.endBuild()
                if !quiet, changed != nil {
                    say("articles parsed: \(memory.parsed) of \(memory.parsed + memory.reused), \(memory.reused) kept from the last build")
                }
            }
            if !quiet {
                for line in report.incremental { say(line) }
                for output in report.outputs { say("wrote \(output.relativePath)") }
                say(String(format: "built in %.2f s", seconds()))
            }
        } catch let failure as BuildFailure {
            Report.print(failure.diagnostics)
            say(String(format: "build failed after %.2f s; the last good outputs stay in place", seconds()))
        } catch {
            say("build failed: \(error); the last good outputs stay in place")
        }
    }

    private var quiet: Bool { arguments.quiet }

    private func say(_ text: String) {
        FileHandle.standardOutput.write(Data("edition: \(text)\n".utf8))
    }
}

/// Set by SIGINT or SIGTERM: the watch finishes the build under way, then stops.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    func isSet() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
