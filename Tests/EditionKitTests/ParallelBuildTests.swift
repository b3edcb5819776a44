@testable import EditionKit
import Foundation
import XCTest

/// Articles render and are checked on every core; the outputs must not depend on it.
final class ParallelBuildTests: XCTestCase {
    private func build(parallel: Bool, into output: URL) throws -> (epub: Data, html: Data) {
        var options = BuildOptions(book: TestSupport.repository.appendingPathComponent("book").path, output: output.path)
        options.styles = TestSupport.styles.path
        options.parallel = parallel
        options.environment = ProcessInfo.processInfo.environment.filter { $0.key != "SOURCE_DATE_EPOCH" }
        let report = try Pipeline.build(options)
        let epub = try XCTUnwrap(report.outputs.first { $0.pathExtension == "epub" })
        let html = try XCTUnwrap(report.outputs.first { $0.pathExtension == "html" })
        return (try Data(contentsOf: epub), try Data(contentsOf: html))
    }

    func testTwoParallelBuildsAndASerialOneGiveTheSameBytes() throws {
        let folder = try TestSupport.temporaryFolder(self)
        let first = try build(parallel: true, into: folder.appendingPathComponent("first"))
        let second = try build(parallel: true, into: folder.appendingPathComponent("second"))
        let serial = try build(parallel: false, into: folder.appendingPathComponent("serial"))
        XCTAssertGreaterThan(first.epub.count, 10_000)
        XCTAssertEqual(first.epub, second.epub, "two parallel builds differ")
        XCTAssertEqual(first.html, second.html, "two parallel builds differ")
        XCTAssertEqual(first.epub, serial.epub, "a parallel build differs from a serial one")
        XCTAssertEqual(first.html, serial.html, "a parallel build differs from a serial one")
    }

    func testParallelMapKeepsTheOrderAndReportsEveryItemOnce() throws {
        let counts = Counts()
        let input = Array(0..<500)
        let output = try Parallel.map(input, done: { counts.add($0) }) { value -> Int in
            // Uneven work, so that items finish out of order.
            var x = value
            for _ in 0..<(value % 7) * 1000 { x = (x &* 31) &+ 7 }
            return value * 2 + (x == .min ? 1 : 0)
        }
        XCTAssertEqual(output, input.map { $0 * 2 })
        XCTAssertEqual(counts.values.sorted(), Array(1...500))
        struct Failure: Error, Equatable { let value: Int }
        XCTAssertThrowsError(try Parallel.map(input) { value -> Int in
            if value == 300 || value == 450 { throw Failure(value: value) }
            return value
        }) { XCTAssertEqual($0 as? Failure, Failure(value: 300), "the first failure in order") }
    }

    private final class Counts: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [Int] = []
        func add(_ value: Int) { lock.lock(); all.append(value); lock.unlock() }
        var values: [Int] { lock.lock(); defer { lock.unlock() }; return all }
    }
}
