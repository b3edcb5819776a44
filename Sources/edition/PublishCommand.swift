import ArgumentParser
import EditionKit
import Foundation

struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Build every edition of a library (EPUB, PDF, web pages) and write a static site with its index, OPDS catalogue and Atom feed.")

    @Argument(help: "The library folder (with library.yaml), or a book folder: a library of one edition.")
    var library = "book"

    @Option(name: .shortAndLong, help: "The site folder to write into.")
    var out = "site"

    @Option(help: "The address the site is served from (overrides library.yaml's base-url).")
    var baseURL: String?

    @Option(help: "The folder with epub.css, print.css and web.css (default: LIBRARY/styles, BOOK/styles, then ./styles).")
    var styles: String?

    @Option(help: "Where the editions are built before they are copied into the site (default: .edition-cache beside the site).")
    var cache: String?

    @Flag(help: "Leave the PDFs out (no WeasyPrint).")
    var noPDF = false

    @Flag(name: .shortAndLong, help: "Print nothing but diagnostics.")
    var quiet = false

    func run() throws {
        var options = PublishOptions(library: library, output: out)
        options.baseURL = baseURL
        options.styles = styles
        options.cache = cache
        options.pdf = !noPDF
        do {
            let report = try Publisher.publish(options) { step in
                if !quiet { Report.printError("edition: \(step)") }
            }
            Report.print(report.diagnostics)
            if !quiet {
                print("published \(report.editions.count) edition\(report.editions.count == 1 ? "" : "s") into \(report.site.relativePath): "
                      + "\(report.written.count) file\(report.written.count == 1 ? "" : "s") written, \(report.unchanged.count) unchanged"
                      + (report.removed.isEmpty ? "" : ", \(report.removed.count) removed"))
            }
        } catch let failure as BuildFailure {
            Report.print(failure.diagnostics)
            throw ExitCode(1)
        }
    }
}
