import Foundation

/// One step of a build, a value with a name: the pipeline is the list of its steps
/// (`Pipeline.steps(for:)`), run top to bottom on one `BuildState`. A step reads what earlier
/// steps left in the state and leaves what it makes for later ones; a failure says which
/// step it came from. Other steps are inserted by name (`Pipeline.steps(for:)` returns an
/// array an embedder may change before `Pipeline.run`).
public struct BuildStep {
    public let name: String
    let body: (inout BuildState) throws -> Void

    public init(_ name: String, _ body: @escaping (inout BuildState) throws -> Void) {
        self.name = name
        self.body = body
    }

    public func run(_ state: inout BuildState) throws { try body(&state) }
}

/// A key for something one step hands to a later one (a page map, staged outputs…):
/// `state[BuildProduct<PageMap>("page-map")] = map`.
public struct BuildProduct<Value: Sendable>: Hashable, Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}

/// What a build knows so far. Steps fill it in order: the book (load), the context
/// (resolve), diagnostics (check), the EPUB's files and the print HTML (render), the
/// outputs written (package).
public struct BuildState: Sendable {
    public let options: BuildOptions
    /// Every diagnostic so far, warnings included.
    public var diagnostics: [Diagnostic] = []
    public var book: Book?
    public var context: EditionContext?
    /// The EPUB's files, as the render step made them.
    public var epubFiles: [EPUBFile] = []
    /// The print edition's HTML, as the render step made it: its pieces, which the write step
    /// writes one after another.
    public var printDocument: PrintDocument?
    /// The print edition's HTML as one string (put together from `printDocument` on each use:
    /// only the page map's key and the EPUB's page list read it whole).
    public var printHTML: String? {
        get { printDocument?.text }
        set { printDocument = newValue.map(PrintDocument.init(text:)) }
    }
    /// The files written, in order.
    public var outputs: [URL] = []
    /// Reports progress: steps and articles done.
    public var progress: @Sendable (BuildProgress) -> Void = { _ in }
    private var products: [String: any Sendable] = [:]

    public init(options: BuildOptions) { self.options = options }

    public subscript<Value>(product: BuildProduct<Value>) -> Value? {
        get { products[product.name] as? Value }
        set { products[product.name] = newValue }
    }

    /// The context, once the resolve step has run.
    public func resolved() throws -> EditionContext {
        guard let context else { throw BuildFailure(diagnostics) }
        return context
    }
}

/// What a build reports while it runs.
public enum BuildProgress: Sendable, Equatable {
    /// Step `index` (from 1) of `count` starts.
    case step(index: Int, count: Int, name: String)
    /// `done` of `total` articles are rendered in the current step.
    case articles(done: Int, total: Int)
}
