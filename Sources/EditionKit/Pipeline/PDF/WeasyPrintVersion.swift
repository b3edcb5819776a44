import Foundation

/// The version of the WeasyPrint the driver would run with, as the Python that runs the driver
/// finds it (PYTHONPATH included), read from the package's `__init__.py` without importing it
/// (a tenth of a second, not the seconds WeasyPrint's imports take). "none" when there is no
/// Python or no WeasyPrint. Part of the page-map cache's key and of the incremental build's
/// PDF fingerprint: another WeasyPrint may lay the pages out differently. (Not where it is
/// installed: a copy of the same version, as the tests make, lays out the same pages.)
public enum WeasyPrintVersion {
    static let probe = #"""
import importlib.util, re
spec = importlib.util.find_spec("weasyprint")
if spec is None or not spec.origin:
    print("none")
else:
    with open(spec.origin, encoding="utf-8") as source:
        found = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", source.read())
    print(found.group(1) if found else "unknown")
"""#

    public static func installed(environment: [String: String], book: URL?) -> String {
        guard let python = try? ToolLocator(environment: environment, book: book).python().python else { return "none" }
        return installed(python: python, environment: environment)
    }

    static func installed(python: URL, environment: [String: String]) -> String {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", probe]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "none" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return process.terminationStatus == 0 && !text.isEmpty ? text : "none"
    }
}
