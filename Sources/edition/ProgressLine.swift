import EditionKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How `edition build` shows its progress on standard error. On a terminal, once the build
/// has taken about a second, one line updated in place: `[4/7] render the EPUB · 312/800
/// articles`; it is cleared before the diagnostics print. When standard error is not a
/// terminal, one plain line per step. With --quiet, nothing.
///
/// The line appears when the delay has passed even if no step began since (a long first step
/// shows too), and is drawn again on every step and every article, at most every 50 ms.
/// `EDITION_PROGRESS_DELAY` (seconds) changes the delay: the tests set it to 0.
final class ProgressLine: @unchecked Sendable {
    enum Style { case terminal, lines, quiet }

    let style: Style
    private let lock = NSLock()
    private var step = ""
    private var articles = ""
    private var shown = false
    private var finished = false
    private var lastDrawn: DispatchTime = .now()
    /// Seconds before the terminal line appears: a quick build prints nothing but its result.
    private let delay: TimeInterval
    private let start = DispatchTime.now()
    private let output: Int32

    init(quiet: Bool, output: Int32 = STDERR_FILENO,
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.output = output
        style = quiet ? .quiet : isatty(output) == 1 ? .terminal : .lines
        delay = environment["EDITION_PROGRESS_DELAY"].flatMap(TimeInterval.init).map { max(0, $0) } ?? 1
        if style == .terminal {
            // The first draw, when the delay has passed, whatever the build is doing then.
            DispatchQueue.global().asyncAfter(deadline: start + delay) { [weak self] in self?.appear() }
        }
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
            draw(force: true)
        case (.terminal, .articles(let done, let total)):
            articles = " · \(done)/\(total) articles"
            draw(force: done == total)
        }
    }

    /// Clears the terminal line, so that what follows starts on a clean one; nothing is drawn after.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        if shown { write("\r\u{1B}[K") }
        shown = false
    }

    private func appear() {
        lock.lock()
        defer { lock.unlock() }
        draw(force: true)
    }

    /// Draws the line once the delay has passed; between steps, at most every 50 ms.
    private func draw(force: Bool) {
        guard !finished, !step.isEmpty else { return }
        let now = DispatchTime.now()
        guard shown || now.uptimeNanoseconds >= start.uptimeNanoseconds + UInt64(delay * 1e9) else { return }
        if shown, !force, now.uptimeNanoseconds < lastDrawn.uptimeNanoseconds + 50_000_000 { return }
        shown = true
        lastDrawn = now
        write("\r\u{1B}[Kedition: \(step)\(articles)")
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            offset += count
        }
    }
}
