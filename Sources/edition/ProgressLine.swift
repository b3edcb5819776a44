import EditionKit
import Foundation

/// How `edition build` shows its progress on standard error. On a terminal, once the build
/// has taken about a second, one line updated in place: `[4/7] render the EPUB · 312/800
/// articles`; it is cleared before the diagnostics print. When standard error is not a
/// terminal, one plain line per step. With --quiet, nothing.
final class ProgressLine: @unchecked Sendable {
    enum Style { case terminal, lines, quiet }

    let style: Style
    private let lock = NSLock()
    private let start = Date()
    private var step = ""
    private var articles = ""
    private var shown = false
    /// Seconds before the terminal line appears: a quick build prints nothing but its result.
    private let delay: TimeInterval = 1

    init(quiet: Bool) {
        style = quiet ? .quiet : isatty(STDERR_FILENO) == 1 ? .terminal : .lines
    }

    func report(_ progress: BuildProgress) {
        lock.lock()
        defer { lock.unlock() }
        switch (style, progress) {
        case (.quiet, _):
            return
        case (.lines, .step(let index, let count, let name)):
            Report.printError("edition: [\(index)/\(count)] \(name)")
        case (.lines, .articles):
            return
        case (.terminal, .step(let index, let count, let name)):
            step = "[\(index)/\(count)] \(name)"
            articles = ""
            draw()
        case (.terminal, .articles(let done, let total)):
            articles = " · \(done)/\(total) articles"
            draw()
        }
    }

    /// Clears the terminal line, so that what follows starts on a clean one.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }

    private func draw() {
        guard shown || Date().timeIntervalSince(start) >= delay else { return }
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[Kedition: \(step)\(articles)".utf8))
    }
}
