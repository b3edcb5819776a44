import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way the tool opens a file the book names (book.yaml, articles, images, the cover,
/// stylesheets): the path is resolved, symbolic links included, and must lie inside its folder
/// (the book's, or the styles folder); it must be a regular file, not a folder, a device or a
/// named pipe (checked before opening, and again on the open descriptor); it is opened without
/// blocking, so a FIFO swapped in between cannot hang the build.
public enum BookFiles {
    /// Why a named file may not be read.
    public enum Problem: Error, Equatable, Sendable {
        /// Nothing at the path (or a link to nothing).
        case missing
        /// The path, once its links are resolved, leaves the folder.
        case outside(resolved: String)
        /// A folder, device, FIFO or socket where a file is expected: "a folder", "a named pipe (FIFO)"…
        case notAFile(kind: String)
        /// The name holds a NUL character, which no file name can.
        case nulInName
        /// The system refused (permissions, too many links…): its words.
        case unreadable(reason: String)
    }

    /// The real path of `path`, every link resolved, after checking that it lies inside
    /// `folder` (itself resolved) and is a regular file.
    public static func resolve(_ path: String, inside folder: String) -> Result<String, Problem> {
        guard !path.utf8.contains(0) else { return .failure(.nulInName) }
        guard let base = realPath(folder.isEmpty ? "." : folder) else { return .failure(.missing) }
        guard let resolved = realPath(path) else {
            if errno == ENOENT || errno == ENOTDIR { return .failure(.missing) }
            return .failure(.unreadable(reason: String(cString: strerror(errno))))
        }
        guard resolved == base || resolved.hasPrefix(base == "/" ? "/" : base + "/") else {
            return .failure(.outside(resolved: resolved))
        }
        var info = stat()
        guard stat(resolved, &info) == 0 else { return .failure(.unreadable(reason: String(cString: strerror(errno)))) }
        if let kind = kind(of: info.st_mode) { return .failure(.notAFile(kind: kind)) }
        return .success(resolved)
    }

    /// The bytes of `path`, read as `resolve` allows.
    public static func read(_ path: String, inside folder: String) -> Result<Data, Problem> {
        switch resolve(path, inside: folder) {
        case .failure(let problem): return .failure(problem)
        case .success(let resolved): return readRegularFile(resolved)
        }
    }

    /// Reads a file that must be a regular one, without ever blocking on a FIFO or a device.
    static func readRegularFile(_ path: String) -> Result<Data, Problem> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            return .failure(errno == ENOENT ? .missing : .unreadable(reason: String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable(reason: String(cString: strerror(errno)))) }
        if let kind = kind(of: info.st_mode) { return .failure(.notAFile(kind: kind)) }
        var data = Data()
        data.reserveCapacity(Int(info.st_size))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(reason: String(cString: strerror(errno))))
            }
            data.append(contentsOf: buffer[0..<count])
        }
        return .success(data)
    }

    /// What a file that is not a regular file is, in words; nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A coded diagnostic for `problem` with the file `name` as the editor wrote it, placed at
    /// `location` (where the file is named). `missing` is the code for a file that is not there.
    public static func diagnostic(_ problem: Problem, name: String, what: String, folder: String,
                                  missing: DiagnosticCode, at location: SourceLocation?) -> Diagnostic {
        let what = what.isEmpty ? "" : what + " "
        switch problem {
        case .missing:
            return .error(missing, "\(what)'\(name)' does not exist", at: location)
        case .outside(let resolved):
            // Name where a link leads; a plain `../x` says enough by itself.
            let written = URL(fileURLWithPath: name).standardizedFileURL.path
            let link = written == resolved ? "" : " (it leads to \(resolved))"
            return .error(.fileOutsideBook, "\(what)'\(name)' is outside \(folder)\(link); only files inside it are published",
                          at: location, hint: "copy the file into \(folder) and name the copy")
        case .notAFile(let kind):
            return .error(.fileUnreadable, "\(what)'\(name)' is \(kind), not a file", at: location)
        case .nulInName:
            return .error(.valueInvalid, "\(what)name '\(name.replacingOccurrences(of: "\0", with: "\\0"))' contains a NUL character",
                          at: location, hint: "no file name can hold one: retype the name")
        case .unreadable(let reason):
            return .error(.fileUnreadable, "\(what)'\(name)' cannot be read: \(reason.lowercased())", at: location)
        }
    }
}

extension BookFiles {
    /// What makes two spellings of a path the same file: its real path when it exists
    /// (`./a.md`, `a.md`, `x/../a.md` and a link to a.md are one), else the path made standard.
    public static func identity(of path: String) -> String {
        guard !path.utf8.contains(0) else { return path }
        return realPath(path) ?? (path as NSString).standardizingPath
    }
}

extension BookFiles {
    /// The bytes of a file of the book for an output; throws `BuildFailure` with a coded
    /// diagnostic naming it (the checks found nothing, but the file changed since).
    public static func contents(of file: URL, inside folder: URL) throws -> Data {
        switch read(file.path, inside: folder.path) {
        case .success(let data): return data
        case .failure(let problem):
            throw BuildFailure([diagnostic(problem, name: file.relativePath, what: "file", folder: folder.relativePath,
                                           missing: .fileMissing, at: SourceLocation(file: file.relativePath, line: 1))])
        }
    }
}
