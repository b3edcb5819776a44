import Foundation

/// Draws SVG as PNG with librsvg's `rsvg-convert` (Debian `librsvg2-bin`, installed by
/// scripts/lib/setup.sh): a real renderer, which lays the cover's text out in the installed
/// face through fontconfig. The only place that runs it.
public struct SVGRasterizer: Sendable {
    /// The environment variable that names the program to run instead of `rsvg-convert` on `PATH`.
    public static let programVariable = "EDITION_RSVG_CONVERT"

    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The program: `$EDITION_RSVG_CONVERT`, else `rsvg-convert` on `PATH`, else in /usr/bin
    /// (where Debian puts it, so a build finds it without the user editing `PATH`).
    /// Throws `BuildFailure` with a `tool-missing` diagnostic when there is none.
    public func program() throws -> URL {
        let files = FileManager.default
        let hint = "install Debian's librsvg2-bin (scripts/build does), or give book.yaml a `cover:` image"
        if let named = environment[Self.programVariable], !named.isEmpty {
            guard files.isExecutableFile(atPath: named) else {
                throw BuildFailure([.error(.toolMissing, "rsvg-convert is missing: \(Self.programVariable) names \(named), which is not a program",
                                           at: nil, hint: hint)])
            }
            return URL(fileURLWithPath: named)
        }
        let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("rsvg-convert")
            if files.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw BuildFailure([.error(.toolMissing, "rsvg-convert is not installed: it draws the raster cover (the EPUB's cover-image) from the generated SVG cover",
                                   at: nil, hint: hint)])
    }

    /// `svg` drawn as a PNG `height` pixels tall, its width following the aspect ratio.
    public func png(svg: String, height: Int) throws -> Data {
        let program = try program()
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("edition-cover-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("cover.svg"), output = folder.appendingPathComponent("cover.png")
        try Data(svg.utf8).write(to: input)

        let process = Process()
        process.executableURL = program
        process.arguments = ["--keep-aspect-ratio", "--height", String(height), "--format", "png",
                             "--output", output.path, input.path]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let messages = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path),
              ImageSize(data)?.format == .png else {
            throw BuildFailure([.error(.outputFailed, "rsvg-convert failed (exit status \(process.terminationStatus)) drawing the cover: \(messages.trimmingCharacters(in: .whitespacesAndNewlines))",
                                       at: nil)])
        }
        return data
    }
}
