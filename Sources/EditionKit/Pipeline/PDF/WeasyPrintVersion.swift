import Foundation

/// The version of the WeasyPrint the driver would run with: the `__version__` its package's
/// `__init__.py` declares, the package found where that Python imports from — the folders of
/// PYTHONPATH, then its installation's `lib/python3*/site-packages` (a venv's, or the system's
/// `lib/python3/dist-packages`), then the user's `~/.local/lib/python3*/site-packages`.
/// Read from the files, without running Python: a build asks it every time, and the programs
/// that stand in for WeasyPrint in tests are not asked anything they do not expect. "none"
/// when no package is found. Part of the page-map cache's key and of the incremental build's
/// PDF fingerprint: another WeasyPrint may lay the pages out differently.
public enum WeasyPrintVersion {
    public static func installed(environment: [String: String], book: URL?) -> String {
        guard let python = try? ToolLocator(environment: environment, book: book).python().python else { return "none" }
        return installed(python: python, environment: environment)
    }

    static func installed(python: URL, environment: [String: String]) -> String {
        guard let source = packageInit(python: python, environment: environment),
              let text = try? String(contentsOf: source, encoding: .utf8) else { return "none" }
        guard let found = text.firstMatch(of: /__version__\s*=\s*['"]([^'"]+)['"]/) else { return "unknown" }
        return String(found.1)
    }

    /// weasyprint/__init__.py where `python` would import it from.
    static func packageInit(python: URL, environment: [String: String]) -> URL? {
        let files = FileManager.default
        var folders = (environment["PYTHONPATH"] ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0), isDirectory: true) }
        // The installation's prefix: the folder above bin/ (not resolving a venv's link to
        // the system's Python: the venv's own lib/ is the one it imports from).
        let prefix = python.deletingLastPathComponent().deletingLastPathComponent()
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        for root in [prefix.appendingPathComponent("lib"), prefix.appendingPathComponent("local/lib"),
                     home.appendingPathComponent(".local/lib")] {
            let versions = ((try? files.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasPrefix("python3") }.sorted().reversed()
            for version in versions {
                folders.append(root.appendingPathComponent("\(version)/site-packages"))
                folders.append(root.appendingPathComponent("\(version)/dist-packages"))
            }
        }
        return folders.map { $0.appendingPathComponent("weasyprint/__init__.py") }.first { files.fileExists(atPath: $0.path) }
    }
}
