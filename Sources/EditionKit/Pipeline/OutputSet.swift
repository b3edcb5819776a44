import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every output of one build, landing together or not at all.
///
/// Each output is written (staged) into `ROOT/.edition-staging-<pid>/` under its path
/// relative to the output folder — the same disk as its destination. `commit()` moves them
/// all into place by renames once every requested step has succeeded; if one rename fails,
/// the ones made are undone from hard links of the previous files, so the folder holds
/// either every new output or every old one. `discard()` (or an error, an interruption, the
/// end of the set without a commit) removes the staging folder and any folder the set made.
///
/// While the set lives it holds a lock on the output folder (`flock` on the folder itself,
/// no lock file): a second build into the same folder waits, then sweeps what earlier builds
/// killed with SIGKILL left (staging folders, the `.NAME.tmp-PID` files of older versions, and
/// those of the cache and the page maps whose process no longer runs).
///
/// Use: `let outputs = try OutputSet(root: dist)`, then for each file
/// `try outputs.stage("print/book.html") { url in write url }` or
/// `try outputs.write(data, to: "feed.xml")`, then `try outputs.commit()`.
public final class OutputSet: @unchecked Sendable {
    /// The output folder.
    public let root: URL
    /// Where the files are staged.
    public let staging: URL
    /// The relative paths staged, in order.
    public private(set) var staged: [String] = []
    private var lockDescriptor: Int32 = -1
    private var createdRoot: [URL] = []
    private var token = 0
    private var finished = false

    /// The prefix of staging folders' names, followed by the process id.
    public static let stagingPrefix = ".edition-staging-"

    /// Opens the set: makes the output folder if it is missing (removed again on discard when
    /// it stays empty), waits for the folder's lock, sweeps litter and makes the staging folder.
    /// `waiting` is called once if another build holds the lock.
    public init(root: URL, waiting: () -> Void = {}) throws {
        self.root = root.standardizedFileURL
        self.staging = self.root.appendingPathComponent("\(Self.stagingPrefix)\(getpid())", isDirectory: true)
        do {
            createdRoot = try Self.makeFolders(self.root)
            lockDescriptor = open(self.root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard lockDescriptor >= 0 else { throw OutputError.system(errno, self.root) }
            if flock(lockDescriptor, LOCK_EX | LOCK_NB) != 0 {
                waiting()
                while flock(lockDescriptor, LOCK_EX) != 0 {
                    guard errno == EINTR else { break }  // no locks on this disk: go on without
                }
            }
            Self.sweep(self.root)
            token = Interruption.register { [staging, createdRoot] in
                Self.removeTree(staging)
                for folder in createdRoot.reversed() { rmdir(folder.path) }
            }
            Interruption.lock.lock()
            defer { Interruption.lock.unlock() }
            guard mkdir(staging.path, 0o755) == 0 else { throw OutputError.system(errno, staging) }
        } catch {
            finish(keepRoot: false)
            throw BuildFailure([Self.diagnostic(for: error, writing: self.root, in: self.root)])
        }
    }

    deinit { if !finished { discard() } }

    /// The final place of a staged path.
    public func destination(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// Stages the file at `relative`: `produce` writes it at the URL it is given. Errors become
    /// a coded diagnostic naming the destination, in words ("the disk is full").
    public func stage(_ relative: String, _ produce: (URL) throws -> Void) throws {
        let url = staging.appendingPathComponent(relative)
        do {
            try Interruption.lock.withLock {
                _ = try Self.makeFolders(url.deletingLastPathComponent(), within: staging)
            }
            try produce(url)
            guard FileManager.default.fileExists(atPath: url.path) else { throw OutputError.notWritten }
        } catch let failure as BuildFailure {
            throw BuildFailure(failure.diagnostics.map(unstaged))
        } catch {
            throw BuildFailure([Self.diagnostic(for: error, writing: destination(relative), in: staging)])
        }
        if !staged.contains(relative) { staged.append(relative) }
    }

    /// Stages `data` at `relative`.
    public func write(_ data: Data, to relative: String) throws {
        try stage(relative) { url in try Self.writeFile(data, to: url) }
    }

    /// The staged file of `relative` (to hand to a later step, as the PDF step reads the print HTML).
    public func stagedURL(_ relative: String) -> URL { staging.appendingPathComponent(relative) }

    /// Moves every staged file into place, or none. Returns the destinations.
    @discardableResult
    public func commit() throws -> [URL] {
        precondition(!finished, "an OutputSet commits once")
        var moved: [(destination: URL, backup: URL?)] = []
        var createdFolders: [URL] = []
        let previous = staging.appendingPathComponent(".previous", isDirectory: true)
        Interruption.lock.lock()
        defer { Interruption.lock.unlock() }
        do {
            for relative in staged {
                let target = destination(relative)
                createdFolders += try Self.makeFolders(target.deletingLastPathComponent())
                var backup: URL?
                var info = stat()
                if lstat(target.path, &info) == 0 {
                    if info.st_mode & S_IFMT == S_IFDIR { throw OutputError.folderInTheWay(target) }
                    let copy = previous.appendingPathComponent(relative)
                    _ = try Self.makeFolders(copy.deletingLastPathComponent(), within: staging)
                    if link(target.path, copy.path) == 0 { backup = copy }
                }
                guard rename(stagedURL(relative).path, target.path) == 0 else { throw OutputError.system(errno, target) }
                moved.append((target, backup))
            }
        } catch {
            for (target, backup) in moved.reversed() {
                if let backup { rename(backup.path, target.path) } else { unlink(target.path) }
            }
            for folder in createdFolders.reversed() { rmdir(folder.path) }
            let failed = Self.diagnostic(for: error, writing: moved.last?.destination ?? root, in: staging)
            finishLocked(keepRoot: false)
            throw BuildFailure([failed])
        }
        finishLocked(keepRoot: true)
        return staged.map(destination)
    }

    /// Removes everything staged; the output folder is as it was.
    public func discard() {
        Interruption.lock.lock()
        defer { Interruption.lock.unlock() }
        finishLocked(keepRoot: false)
    }

    private func finish(keepRoot: Bool) {
        Interruption.lock.lock()
        defer { Interruption.lock.unlock() }
        finishLocked(keepRoot: keepRoot)
    }

    private func finishLocked(keepRoot: Bool) {
        guard !finished else { return }
        finished = true
        Self.removeTree(staging)
        if token != 0 {
            // Registered under the same lock: drop it without taking the lock again.
            Interruption.unregisterLocked(token)
        }
        if !keepRoot { for folder in createdRoot.reversed() { rmdir(folder.path) } }
        if lockDescriptor >= 0 { close(lockDescriptor); lockDescriptor = -1 }
    }

    /// A diagnostic from a step that wrote into the staging folder, with the destination's
    /// path instead of the staged one.
    public func unstaged(_ diagnostic: Diagnostic) -> Diagnostic {
        var result = diagnostic
        // Staged paths, absolute or relative, become the destinations' as the editor names them.
        let from = staging.path + "/", relativeFrom = Self.relative(staging) + "/", to = Self.relative(root) + "/"
        func fix(_ text: String) -> String {
            text.replacingOccurrences(of: from, with: to).replacingOccurrences(of: relativeFrom, with: to)
        }
        result.message = fix(result.message)
        if var location = result.location {
            location.file = fix(location.file)
            result.location = location
        }
        return result
    }

    // MARK: - Files and folders

    enum OutputError: Error {
        case system(Int32, URL)
        case folderInTheWay(URL)
        case notAFolder(URL)
        case notWritten
    }

    /// Makes `folder` and its missing parents; returns the ones it made, outermost first.
    /// A parent that exists but is a file is named in the error.
    static func makeFolders(_ folder: URL, within limit: URL? = nil) throws -> [URL] {
        var missing: [URL] = []
        var current = folder.standardizedFileURL
        while true {
            var info = stat()
            if stat(current.path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else { throw OutputError.notAFolder(current) }
                break
            }
            guard errno == ENOENT else { throw OutputError.system(errno, current) }
            missing.append(current)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path || current.path == limit?.path { break }
            current = parent
        }
        var made: [URL] = []
        for folder in missing.reversed() {
            guard mkdir(folder.path, 0o755) == 0 || errno == EEXIST else {
                let failure = errno
                for made in made.reversed() { rmdir(made.path) }
                throw OutputError.system(failure, folder)
            }
            made.append(folder)
        }
        return made
    }

    static func writeFile(_ data: Data, to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError.system(errno, url) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw OutputError.system(errno, url)
                }
                offset += count
            }
        }
    }

    static func removeTree(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Removes what interrupted builds left in `root`: staging folders of processes that no
    /// longer run (the lock is held, so none is writing), and the `.NAME.tmp-PID` files of
    /// earlier versions in the folder and its `print/` folder.
    static func sweep(_ root: URL) {
        let files = FileManager.default
        for entry in (try? files.contentsOfDirectory(atPath: root.path)) ?? [] where entry.hasPrefix(stagingPrefix) {
            if Int32(entry.dropFirst(stagingPrefix.count)) == getpid() { continue }
            removeTree(root.appendingPathComponent(entry))
        }
        for folder in [root, root.appendingPathComponent("print")] {
            for entry in (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
            where TextShape.isTemporaryName(entry) {
                unlink(folder.appendingPathComponent(entry).path)
            }
        }
        // The cache's and the page maps' `.NAME.tmp-PID` files (AtomicFile's) that a build
        // killed while it saved them left. Those folders are written after the commit, outside
        // the lock, so only the files of processes that no longer run are removed.
        let cache = root.appendingPathComponent(BuildCache.folderName, isDirectory: true)
        // Staging folders of cache objects (`staging-PID-N`) whose build was killed.
        for entry in (try? files.contentsOfDirectory(atPath: cache.path)) ?? [] {
            guard let match = entry.firstMatch(of: /^staging-([0-9]+)-[0-9]+$/), let pid = pid_t(match.1),
                  !isRunning(pid) else { continue }
            removeTree(cache.appendingPathComponent(entry))
        }
        for folder in [cache, cache.appendingPathComponent("objects"), root.appendingPathComponent(PageMapCache.folderName)] {
            for entry in (try? files.contentsOfDirectory(atPath: folder.path)) ?? [] {
                guard let match = entry.firstMatch(of: /^\..+\.tmp-([0-9]+)$/), let pid = pid_t(match.1),
                      !isRunning(pid) else { continue }
                unlink(folder.appendingPathComponent(entry).path)
            }
        }
    }

    /// Whether a process `pid` exists (one of another user's counts: `kill` says EPERM).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        return pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH
    }

    // MARK: - Messages

    /// A path as the editor typed it: relative to the working directory when inside it.
    static func relative(_ url: URL) -> String {
        let here = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        if path.hasPrefix(here + "/") { return String(path.dropFirst(here.count + 1)) }
        return path
    }

    /// What went wrong, in an editor's words, at the file it concerns.
    static func diagnostic(for error: Error, writing destination: URL, in staging: URL) -> Diagnostic {
        var file = destination
        let reason: String
        switch error {
        case OutputError.system(let number, let url):
            file = url.path.hasPrefix(staging.path) ? destination : url
            reason = words(forErrno: number, at: relative(file))
        case OutputError.folderInTheWay(let url):
            file = url
            reason = "\(relative(url)) is a folder, where the build writes a file"
        case OutputError.notAFolder(let url):
            file = url
            reason = "\(relative(url)) is a file, not a folder"
        case OutputError.notWritten:
            reason = "\(relative(destination)) was not written"
        default:
            reason = "\(relative(destination)) could not be written: \(words(forError: error))"
        }
        return .error(.outputFailed, reason, at: SourceLocation(file: relative(file), line: 1),
                      hint: "nothing was replaced: the outputs in \(relative(destination.deletingLastPathComponent())) are those of the last good build")
    }

    static func words(forErrno number: Int32, at path: String) -> String {
        switch number {
        case ENOSPC, EDQUOT: return "\(path) could not be written: the disk is full"
        case EFBIG: return "\(path) could not be written: the file is larger than this system allows (a disk quota or file-size limit)"
        case EACCES, EPERM: return "\(path) could not be written: permission denied (the folder is not writable)"
        case EROFS: return "\(path) could not be written: the disk is read-only"
        case ENOTDIR: return "\(path) could not be written: a part of its path is a file, not a folder"
        case EISDIR: return "\(path) is a folder, where the build writes a file"
        case EXDEV: return "\(path) is on another disk than the output folder: the build cannot move its files there"
        default: return "\(path) could not be written: \(String(cString: strerror(number)).lowercased())"
        }
    }

    /// Foundation's and libzip's errors without their dumps: the system error, in words.
    static func words(forError error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return plain(Int32(underlying.code))
        }
        if ns.domain == NSPOSIXErrorDomain { return plain(Int32(ns.code)) }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteOutOfSpaceError: return plain(ENOSPC)
            case NSFileWriteNoPermissionError: return plain(EACCES)
            case NSFileWriteVolumeReadOnlyError: return plain(EROFS)
            default: break
            }
        }
        let text = "\(error)"
        for number in [ENOSPC, EFBIG, EACCES, EPERM, EROFS, EDQUOT, EIO] where text.contains(String(cString: strerror(number))) {
            return plain(number)
        }
        return "the system refused to write it"
    }

    private static func plain(_ number: Int32) -> String {
        switch number {
        case ENOSPC, EDQUOT: return "the disk is full"
        case EFBIG: return "the file is larger than this system allows (a disk quota or file-size limit)"
        case EACCES, EPERM: return "permission denied (the folder is not writable)"
        case EROFS: return "the disk is read-only"
        default: return String(cString: strerror(number)).lowercased()
        }
    }
}
