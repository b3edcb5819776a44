import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What happens when a build is interrupted (Ctrl-C: SIGINT) or terminated (SIGTERM, SIGHUP):
/// child processes (WeasyPrint) are killed, every registered clean-up runs (an `OutputSet`
/// removes its staging folder), one line says so and the process exits with 128 + the signal.
/// The signal handler only writes the signal's number to a pipe; a thread of its own does the
/// work, after taking the lock that an `OutputSet` holds while it commits, so that a commit
/// under way finishes before the process ends. A SIGKILL cannot be caught: the next build
/// into the folder removes what it left (`OutputSet` sweeps).
public enum Interruption {
    /// The lock around clean-up registrations and commits.
    static let lock = NSLock()
    nonisolated(unsafe) private static var cleanups: [Int: () -> Void] = [:]
    nonisolated(unsafe) private static var nextToken = 0
    nonisolated(unsafe) private static var installed = false
    nonisolated(unsafe) fileprivate static var pipeWrite: Int32 = -1

    /// The signals that end a build.
    public static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handlers once; `report` prints the line that says why the build ended.
    /// A full disk or a file-size limit then makes writes fail (EFBIG) instead of killing the
    /// process (SIGXFSZ), so it is reported like any failed write.
    public static func install(report: @escaping @Sendable (Int32) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        installed = true
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        pipeWrite = fds[1]
        let readEnd = fds[0]
        let thread = Thread {
            var number: Int32 = 0
            while true {
                let count = withUnsafeMutableBytes(of: &number) { Glibc.read(readEnd, $0.baseAddress, 4) }
                if count == 4 { break }
                if count < 0 && errno == EINTR { continue }
                return
            }
            lock.lock()  // never released: a commit under way ends first, then the process does
            killChildren()
            for cleanup in cleanups.values { cleanup() }
            report(number)
            _exit(128 + number)
        }
        thread.start()
        signal(SIGXFSZ, SIG_IGN)
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var value = number
                _ = withUnsafeBytes(of: &value) { Glibc.write(Interruption.pipeWrite, $0.baseAddress, 4) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Registers a clean-up to run if the process is interrupted; returns its token.
    static func register(_ cleanup: @escaping () -> Void) -> Int {
        lock.lock()
        defer { lock.unlock() }
        nextToken += 1
        cleanups[nextToken] = cleanup
        return nextToken
    }

    static func unregister(_ token: Int) {
        lock.lock()
        defer { lock.unlock() }
        cleanups[token] = nil
    }

    /// `unregister` for a caller that holds `lock`.
    static func unregisterLocked(_ token: Int) { cleanups[token] = nil }

    /// Kills this process's children (WeasyPrint writing a staged PDF) and waits, a little,
    /// until they are gone, so that none writes a file after the clean-up.
    private static func killChildren() {
        let me = getpid()
        var children: [pid_t] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == me { children.append(pid) }
        }
        for child in children { kill(child, SIGKILL) }
        for _ in 0..<200 {
            let alive = children.filter { child in
                guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { return false }
                return !stat[stat.index(after: close)...].hasPrefix(" Z")
            }
            if alive.isEmpty { break }
            usleep(10_000)
        }
    }
}
