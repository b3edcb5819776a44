import ArgumentParser
import EditionKit
import EditionServe
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Publish a library, serve the site on this machine, and publish again when a source changes.")

    @Argument(help: "The library folder (with library.yaml), or a book folder.")
    var library = "book"

    @Option(name: .shortAndLong, help: "The site folder to write into and serve.")
    var out = "site"

    @Option(help: "The address to listen on (default: 127.0.0.1, this machine only).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8000

    @Option(help: "The address the site will be served from once published (overrides library.yaml's base-url).")
    var baseURL: String?

    @Option(help: "The folder with epub.css, print.css and web.css.")
    var styles: String?

    @Option(help: "Where the editions are built (default: .edition-cache beside the site).")
    var cache: String?

    @Flag(help: "Leave the PDFs out (no WeasyPrint).")
    var noPDF = false

    func run() async throws {
        var options = PublishOptions(library: library, output: out)
        options.baseURL = baseURL
        options.styles = styles
        options.cache = cache
        options.pdf = !noPDF
        let host = self.host
        let server = SiteServer(options: options, host: host, port: port) { Report.printError($0) }
        do {
            try await server.run { port in
                FileHandle.standardOutput.write(Data("serving http://\(host):\(port)/\n".utf8))
            }
        } catch {
            Report.print([.error(.serveFailed, "cannot serve on \(host):\(port): \(error)", at: nil,
                                 hint: "choose another port with --port (0: any free one)")])
            throw ExitCode(1)
        }
    }
}
