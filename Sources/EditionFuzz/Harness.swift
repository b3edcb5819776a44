import EditionKit
import Foundation

// The libFuzzer harness: a book whose one article (front matter + Markdown) is the fuzzer's
// input goes through load → check → EPUB XHTML → libxml2's well-formedness check, and through
// the print renderer. An input may start with a book.yaml of its own, ended by a line `%%`.
//
// What counts as a finding: a crash (the sanitizers), a hang (libFuzzer's -timeout), and, with
// EDITION_FUZZ_ORACLE=1, a book that `check` passes but whose generated XHTML is not well-formed
// (`build` would fail where `check` did not): the harness then traps.
//
// Built by `scripts/fuzz` with `--sanitize=fuzzer`; a plain `swift build` makes it an
// executable that does nothing.

private let folder: URL = {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("edition-fuzz-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

private let defaultManifest = """
slug: fuzz
identifier: urn:uuid:6f9c1d2e-3a4b-4c5d-8e7f-0a1b2c3d4e5f
title: Fuzz
date: 2026-06-01
language: en
parts:
  - articles: [article.md]

"""

private let oracle = ProcessInfo.processInfo.environment["EDITION_FUZZ_ORACLE"] == "1"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    var manifest = Data(defaultManifest.utf8)
    var article = bytes
    if bytes.starts(with: Data("slug:".utf8)), let end = bytes.range(of: Data("\n%%\n".utf8)) {
        manifest = bytes[bytes.startIndex..<end.lowerBound] + Data("\n".utf8)
        article = bytes[end.upperBound...]
    }
    do {
        try manifest.write(to: folder.appendingPathComponent("book.yaml"))
        try article.write(to: folder.appendingPathComponent("article.md"))
    } catch {
        return 0
    }
    let (book, diagnostics) = Pipeline.check(book: folder.path)
    guard let book, !diagnostics.contains(where: { $0.severity == .error }) else { return 0 }
    // Every document but the cover and images, which `render` would draw with librsvg for each
    // input (slow, and nothing the fuzzer feeds reaches the cover's pixels); what it feeds
    // reaches the documents.
    let renderer = EPUBRenderer(book: book, stylesheet: "", modified: BuildDate(epoch: 0))
    guard let files = try? renderer.assemble(articles: renderer.context.articles.map(renderer.articleDocument), assets: [])
    else { return 0 }
    let problems = XMLCheck.check(files, container: "fuzz.epub")
    if oracle, let first = problems.first {
        // write(contentsOf:) throws where write(_:) traps: libFuzzer's timer interrupts system calls.
        try? FileHandle.standardError.write(contentsOf: Data("check passed, build fails: \(first)\n".utf8))
        abort()
    }
    _ = PrintRenderer(book: book).render()
    return 0
}
