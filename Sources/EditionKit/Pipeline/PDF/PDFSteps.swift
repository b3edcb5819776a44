import Foundation

/// What the PDF step hands to the EPUB step: the page map, from this build's PDF or from the
/// cache of the last PDF made from the same print inputs (PageMapCache).
enum PDFSteps {
    static let pageMap = BuildProduct<PageMap>("page-map")

    /// The cache for this build's print HTML and print.css (with the files it names); nil when
    /// there is no print HTML or no print.css to key it with.
    static func cache(_ state: BuildState) -> PageMapCache? {
        guard let html = state.printHTML,
              let folder = try? Pipeline.stylesFolder(state.options),
              let stylesheet = try? Pipeline.loadStyle("print.css", in: folder, for: .print) else { return nil }
        let weasyPrint = WeasyPrintVersion.installed(environment: state.options.environment, book: URL(fileURLWithPath: state.options.book))
        return PageMapCache(output: URL(fileURLWithPath: state.options.output, isDirectory: true),
                            printHTML: html, stylesheet: stylesheet.fingerprint, weasyPrint: weasyPrint)
    }

    /// The step before the EPUB's: keeps the PDF step's map, else looks in the cache (asking
    /// which WeasyPrint is installed only when there is a map to find).
    static func findPageMap(_ state: inout BuildState) throws {
        guard state[pageMap] == nil, PageMapCache.hasMaps(in: URL(fileURLWithPath: state.options.output, isDirectory: true)) else { return }
        // The map's key and the EPUB's page list read the print HTML whole: put together once.
        let whole = state.printHTML
        state.printHTML = whole
        if let cached = cache(state)?.load() { state[pageMap] = cached }
    }
}
