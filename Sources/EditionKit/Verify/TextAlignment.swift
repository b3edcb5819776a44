import Foundation

/// Reads words of the print edition against words of the PDF's text layer, letter by letter.
///
/// Letters, not words: where a word ends is not the same in both. The PDF's words are what
/// pdftotext finds between gaps, so a name set in a span of its own, a note's number after the
/// word that cites it, a thin or no-break space, a word broken at a line's end all cut words
/// differently from the markup. So both sides become one run of letters, spaces left out, and
/// the runs must be equal, with these readings:
///   - Compatibility forms are the letters they stand for (Unicode NFKC on both sides): a
///     ligature the font set (ﬁ, ﬂ, ﬀ, ﬃ, ﬄ) is its letters, an ellipsis its three dots, a
///     superscript digit its digit, a no-break space a space.
///   - A soft hyphen (print.hyphenation's break points) and the zero-width characters are no
///     letters: they show nothing unless the line breaks there.
///   - A hyphen (U+2010, WeasyPrint's hyphenate-character, or "-") at the end of the last word
///     of a line, where the book's word goes on without one, is the hyphen the layout added to
///     break the word: it is passed over. A hyphen the word has ("sector-" / "specific") is a
///     letter on both sides and matches as one.
///   - Letters are compared without their case: a stylesheet's text-transform, or capitals
///     WeasyPrint synthesizes for small-caps in a face without them, change the case the text
///     layer carries, not the words.
///   - Typographic and straight quotes and apostrophes are one letter each ('’‘ and "“”):
///     the text layer gives back what the font's character map says, and typographic
///     punctuation has its own checks (TypographyChecker); this one is about words.
///   - A word the stylesheet generates (a list's marker "3." or "•", a note item's marker) is
///     in the PDF and not in the markup: a marker-like word of the PDF that the book's letters
///     do not go on with is passed over.
/// Running heads, folios and footnotes are not in the main flow's words at all
/// (`PDFTextLayer` sorts them out by the page's geometry); a note's words are read against the
/// footnote areas.
enum TextAlignment {
    /// A word's letters, as compared.
    static func letters(_ word: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in word.precomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
            switch scalar.value {
            case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: continue
            case 0x2010, 0x2011: result.append("-")
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC: result.append("'")
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033: result.append("\"")
            default:
                if !scalar.properties.isWhitespace { result.append(scalar) }
            }
        }
        return result
    }

    /// Whether a word of the PDF looks like a marker the stylesheet generated.
    static func isMarker(_ word: String) -> Bool {
        if ["•", "◦", "▪", "‣", "–", "—", "·", "*", "-", "‐"].contains(word) { return true }
        return word.wholeMatch(of: /([0-9]{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]/) != nil
    }

    enum Outcome: Equatable {
        /// Every word of the book was found; `next` is the first word of the PDF after them.
        case matched(next: Int)
        /// The book's word `book` is not where the PDF's word `pdf` is (nil: the PDF ended).
        case differs(book: Int, pdf: Int?)
    }

    /// Reads `book` (words, as `letters` makes them) against `pdf` from its word `start`.
    static func match(_ book: [[Unicode.Scalar]], _ pdf: [PDFTextLayer.Word], _ pdfLetters: [[Unicode.Scalar]], from start: Int) -> Outcome {
        var bookWord = 0, bookLetter = 0
        var pdfWord = start, pdfLetter = 0
        // The book's letters from here on start with `letters`.
        func bookGoesOn(with letters: [Unicode.Scalar]) -> Bool {
            var word = bookWord, letter = bookLetter
            for wanted in letters {
                while word < book.count && letter == book[word].count { word += 1; letter = 0 }
                guard word < book.count, book[word][letter] == wanted else { return false }
                letter += 1
            }
            return true
        }
        while true {
            if bookWord < book.count && bookLetter == book[bookWord].count { bookWord += 1; bookLetter = 0; continue }
            if bookWord == book.count { return .matched(next: pdfLetter == 0 ? pdfWord : pdfWord + 1) }
            if pdfWord < pdf.count && pdfLetter == pdfLetters[pdfWord].count { pdfWord += 1; pdfLetter = 0; continue }
            guard pdfWord < pdf.count else { return .differs(book: bookWord, pdf: nil) }
            if pdfLetter == 0 && isMarker(pdf[pdfWord].text) && !bookGoesOn(with: pdfLetters[pdfWord]) {
                pdfWord += 1
                continue
            }
            let found = pdfLetters[pdfWord][pdfLetter]
            if found == book[bookWord][bookLetter] {
                bookLetter += 1
                pdfLetter += 1
            } else if found == "-" && pdfLetter == pdfLetters[pdfWord].count - 1 && pdf[pdfWord].endsLine {
                pdfLetter += 1
            } else {
                return .differs(book: bookWord, pdf: pdfWord)
            }
        }
    }

    /// Whether the PDF's words from `start` begin with the book's first `count` letters (or
    /// all of them, when it has fewer).
    static func begins(_ book: [[Unicode.Scalar]], letters count: Int, _ pdf: [PDFTextLayer.Word], _ pdfLetters: [[Unicode.Scalar]], at start: Int) -> Bool {
        var total = 0
        var prefix: [[Unicode.Scalar]] = []
        for word in book where total < count {
            prefix.append(word)
            total += word.count
        }
        guard total > 0 else { return false }
        if case .matched = match(prefix, pdf, pdfLetters, from: start) { return true }
        return false
    }
}
