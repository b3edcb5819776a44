import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What can be known before any work: the output folders can be made and written, no file
/// stands where a folder must be, no folder where a file must be, and WeasyPrint is there
/// when a PDF is asked for. Each problem is a coded diagnostic in the editor's words.
public enum OutputPreflight {
    /// Problems with the folders `options` writes into (and WeasyPrint, for --pdf).
    public static func check(_ options: BuildOptions) -> [Diagnostic] {
        var result: [Diagnostic] = []
        let root = URL(fileURLWithPath: options.output, isDirectory: true)
        var folders = [root]
        if options.print || options.pdf {
            folders += [root.appendingPathComponent("print"), root.appendingPathComponent("print/images")]
        }
        for folder in folders {
            if let problem = problem(creatingOrWriting: folder) {
                if !result.contains(problem) { result.append(problem) }
                break
            }
        }
        if options.pdf {
            do { _ = try PDFWriter(environment: options.environment).weasyPrint() } catch let failure as BuildFailure {
                result += failure.diagnostics
            } catch {
                result.append(.error(.toolMissing, "WeasyPrint cannot be run: \(error)", at: nil))
            }
        }
        return result
    }

    /// Problems with the files a build of the book `slug` replaces: a folder where one must go.
    public static func check(_ options: BuildOptions, slug: String) -> [Diagnostic] {
        let root = URL(fileURLWithPath: options.output, isDirectory: true)
        var files: [URL] = []
        if options.epub { files.append(root.appendingPathComponent("\(slug).epub")) }
        if options.print || options.pdf {
            files += [root.appendingPathComponent("print/\(slug).html"), root.appendingPathComponent("print/print.css")]
        }
        if options.pdf { files.append(root.appendingPathComponent("\(slug).pdf")) }
        return files.compactMap { file in
            var info = stat()
            guard lstat(file.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
            return failure("\(OutputSet.relative(file)) is a folder, where the build writes a file", at: file,
                           hint: "move or rename that folder")
        }
    }

    /// Why `folder` cannot be made or written: its first part that exists must be a folder
    /// the build may write into.
    static func problem(creatingOrWriting folder: URL) -> Diagnostic? {
        var current = folder.standardizedFileURL
        while true {
            var info = stat()
            if stat(current.path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    return failure("\(OutputSet.relative(current)) is a file, not a folder", at: current,
                                   hint: "the build writes into \(OutputSet.relative(folder)): move or rename that file, or pass another --out")
                }
                guard access(current.path, W_OK | X_OK) == 0 else {
                    let reason = errno == EROFS ? "is on a read-only disk" : "is not writable (permission denied)"
                    return failure("the folder \(OutputSet.relative(current)) \(reason)", at: current,
                                   hint: "make it writable, or pass another --out")
                }
                return nil
            }
            if errno != ENOENT {
                if errno == ENOTDIR {
                    current = current.deletingLastPathComponent()
                    continue
                }
                return failure("\(OutputSet.relative(current)) cannot be used: \(String(cString: strerror(errno)).lowercased())",
                               at: current)
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    private static func failure(_ message: String, at url: URL, hint: String? = nil) -> Diagnostic {
        .error(.outputFailed, message, at: SourceLocation(file: OutputSet.relative(url), line: 1),
               hint: hint ?? "nothing was written; the outputs of the last good build are as they were")
    }
}
