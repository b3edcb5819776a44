@testable import EditionKit
import Foundation
import XCTest

/// The shapes of text that the build recognises byte by byte (no regular expression, so no
/// ICU start in a build) give what the regular expressions they replaced gave: the patterns
/// are the oracle here, run on hand-picked and generated strings.
final class TextShapeTests: XCTestCase {
    private func matches(_ text: String, _ pattern: String, caseInsensitive: Bool = false) -> Bool {
        text.range(of: pattern, options: caseInsensitive ? [.regularExpression, .caseInsensitive] : .regularExpression) != nil
    }

    /// Strings made of `alphabet`, every length up to `length` (all of them when few, else a
    /// fixed pseudo-random sample).
    private func strings(of alphabet: [String], upTo length: Int, sample: Int = 4000) -> [String] {
        var result = [""]
        var generator = DuplicateTextTests.Generator(seed: 29)
        for _ in 0..<sample {
            let count = generator.below(length + 1)
            result.append((0..<count).map { _ in alphabet[generator.below(alphabet.count)] }.joined())
        }
        return result
    }

    func testISODatesAreTheDaysOfTheGregorianCalendar() {
        for text in ["2026-06-01", "2024-02-29", "2000-02-29", "1900-02-28", "2026-12-31", "0001-01-01"] {
            XCTAssertTrue(BookLoader.isISODate(text), text)
        }
        for text in ["2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00",
                     "2026-6-1", "2026-06-01 ", "２０２６-06-01", "2026/06/01", "", "0000-01-01"] {
            XCTAssertFalse(BookLoader.isISODate(text), text)
        }
        // The oracle: the pattern, then Foundation's Gregorian calendar (from 1600: before
        // 1582 ICU's calendar is Julian, where an ISO 8601 date is proleptic Gregorian).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for year in [1600, 1700, 1900, 1999, 2000, 2024, 2026, 2100, 9999] {
            for month in 0...13 {
                for day in 0...32 {
                    let text = String(format: "%04d-%02d-%02d", year, month, day)
                    let valid = DateComponents(year: year, month: month, day: day).isValidDate(in: calendar)
                    XCTAssertEqual(BookLoader.isISODate(text), valid, text)
                }
            }
        }
        for text in strings(of: ["2", "0", "1", "9", "-", "x"], upTo: 11) where !matches(text, #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#) {
            XCTAssertFalse(BookLoader.isISODate(text), text)
        }
    }

    func testISSNLanguageTagAndArticlePrefixShapesAreThePatterns() {
        for text in strings(of: ["1", "7", "-", "X", "x"], upTo: 10) + ["2179-118X", "2179-1180", "2179-118x"] {
            let shaped = matches(text, #"^[0-9]{4}-[0-9]{3}[0-9X]$"#)
            XCTAssertEqual(BookLoader.issnProblem(text)?.hasPrefix("'issn' must look like") ?? false, !shaped, text)
        }
        for text in strings(of: ["e", "N", "-", "4", "é", "_"], upTo: 12) + ["en", "pt-BR", "es-419", "zh-Hant-TW", "e", "engl"] {
            XCTAssertEqual(BookLoader.isLanguageTag(text), matches(text, #"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"#), text)
        }
        for text in strings(of: ["1", "0", "-", "_", "a", "٣"], upTo: 7) where !text.isEmpty {  // ".md" alone has no extension
            var expected = text
            if let range = expected.range(of: #"^[0-9]{1,3}[-_]"#, options: .regularExpression) { expected.removeSubrange(range) }
            XCTAssertEqual(BookLoader.articleId(forFile: text + ".md"), Slug.make(expected, fallback: "article"), text)
        }
    }

    func testTemporaryNamesAndTagsAreThePatterns() {
        for text in strings(of: [".", "tmp", "-", "4", "a", "\n"], upTo: 8) + [".epub.tmp-12", "..tmp-1", ".a.tmp-", "a.tmp-1"] {
            XCTAssertEqual(TextShape.isTemporaryName(text), matches(text, #"^\..+\.tmp-[0-9]+$"#), text.debugDescription)
        }
        for text in strings(of: ["<", ">", "a", " ", "é", "<b>"], upTo: 9) {
            XCTAssertEqual(TextShape.withoutTags(text),
                           text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression), text)
        }
    }

    func testWebAddressesAreThePatterns() {
        let pieces = ["http", "HTTPS", "s", ":", "/", "//", "x", " ", "\t", "\u{A0}", "\u{2028}", "é"]
        for text in strings(of: pieces, upTo: 6) + ["https://litci.org", "http://x", "https://", "HTTPS://A", "https://a b"] {
            XCTAssertEqual(TextShape.isWebAddress(text), matches(text, #"^https?://[^\s]+$"#, caseInsensitive: true), text.debugDescription)
            let shown = String(text.utf8.dropFirst(TextShape.webSchemeLength(text, ignoringCase: false) ?? 0))!
            XCTAssertEqual(shown, text.replacingOccurrences(of: #"^https?://"#, with: "", options: .regularExpression), text.debugDescription)
        }
    }

    func testElisionIsThePattern() {
        let pattern = #"‘(?=[0-9]{2}s?\b|n’|(?:tis|twas|em|cause|til)\b)"#
        let pieces = ["‘", "’", "7", "0", "s", "S", "n", "N", "tis", "TWAS", "Em", "cause", "til", "x", " ", ".", "é"]
        for text in strings(of: pieces, upTo: 6, sample: 8000) + ["In the ‘70s, rock ‘n’ roll.", "‘Tis done; ‘tis", "‘700", "‘70sx"] {
            XCTAssertEqual(Punctuation.elide(text),
                           text.replacingOccurrences(of: pattern, with: "’", options: [.regularExpression, .caseInsensitive]), text)
        }
    }

    /// Blank is what Foundation's trimming of `.whitespaces` leaves empty (tabs and the space
    /// separators; line breaks are not blank).
    func testBlankIsWhatTrimmingWhitespacesEmpties() {
        let pieces = ["", " ", "\t", "\u{A0}", "\u{2009}", "\u{3000}", "\n", "\r", "\u{2028}", "\u{200B}", "x", "é"]
        for text in strings(of: pieces, upTo: 4) {
            XCTAssertEqual(TextShape.isBlank(text), text.trimmingCharacters(in: .whitespaces).isEmpty, text.debugDescription)
        }
        for value in 0...0x10FFFF {
            guard let scalar = Unicode.Scalar(value), CharacterSet.whitespaces.contains(scalar) != TextShape.isBlank(String(scalar)) else { continue }
            XCTFail("U+\(String(value, radix: 16, uppercase: true)) is blank to one and not to the other")
        }
    }
}
