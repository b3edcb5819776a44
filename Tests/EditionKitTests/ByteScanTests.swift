@testable import EditionKit
import XCTest

/// The eight-bytes-at-once tests agree with a byte-by-byte look at every word tried: words
/// made of the bytes at and around each boundary the scans use, in every position.
final class ByteScanTests: XCTestCase {
    func testWordTestsAgreeWithEachByte() {
        let edges: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x21, 0x26, 0x30, 0x39, 0x40, 0x41, 0x42, 0x59, 0x5A,
                              0x5B, 0x60, 0x61, 0x7A, 0x7E, 0x7F, 0x80, 0x9F, 0xC3, 0xE2, 0xEF, 0xFE, 0xFF]
        var state: UInt64 = 0x2545F4914F6CDD1D
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        for round in 0..<200_000 {
            // Mostly boundary bytes, some of them any byte at all.
            var bytes = (0..<8).map { _ -> UInt8 in
                let pick = next()
                return pick % 4 == 0 ? UInt8(truncatingIfNeeded: pick >> 8) : edges[Int((pick >> 8) % UInt64(edges.count))]
            }
            if round % 3 == 0 { bytes = bytes.map { $0 & 0x7F } }
            let word = bytes.withUnsafeBufferPointer { ByteScan.word($0, at: 0) }
            // Checked without an assertion per test (200,000 words): the first disagreement is reported.
            var wrong: [String] = []
            func expect(_ found: Bool, _ expected: Bool, _ what: @autoclosure () -> String) { if found != expected { wrong.append(what()) } }
            expect(ByteScan.hasHigh(word), bytes.contains { $0 >= 0x80 }, "hasHigh")
            for byte: UInt8 in [0x0A, 0x26, 0x50, 0x70, 0xE2, 0xEF] {
                expect(ByteScan.has(word, byte), bytes.contains(byte), "has \(byte)")
            }
            for byte: UInt8 in [0x00, 0x20, 0x2E, 0x80, 0xFF] {
                let expected = bytes.enumerated().reduce(UInt64(0)) { $0 | ($1.element == byte ? 0x80 << (8 * UInt64($1.offset)) : 0) }
                expect(ByteScan.matches(word, byte) == expected, true, "matches \(byte)")
            }
            for bound: UInt8 in [0x01, 0x20, 0x41, 0x80] {
                expect(ByteScan.hasBelow(word, bound), bytes.contains { $0 < bound }, "hasBelow \(bound)")
            }
            if bytes.allSatisfy({ $0 < 0x80 }) {
                for (low, high): (UInt8, UInt8) in [(0x41, 0x5A), (0x61, 0x7A), (0x30, 0x39), (0x01, 0x7F), (0x26, 0x26)] {
                    expect(ByteScan.hasASCII(word, in: low, high), bytes.contains { $0 >= low && $0 <= high }, "hasASCII \(low)...\(high)")
                }
            }
            if !wrong.isEmpty {
                XCTFail("\(bytes.map { String($0, radix: 16) }): \(wrong)")
                return
            }
        }
    }
}
