/// A place in a source file, printed the way compilers print it: `path:line:column`.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's path as the user named it (relative to the working directory when possible).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column number (in UTF-8 bytes, as cmark and libyaml count).
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
