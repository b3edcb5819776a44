import Foundation

/// The files a stylesheet names: every `url(…)` and every `@import "…"`, each at its place
/// (1-based line, column in UTF-8 bytes, as every diagnostic counts). A small tokenizer after
/// CSS Syntax Level 3, enough to find these and nothing else: comments and strings are whole
/// tokens, so a `url(` inside a comment or a string names nothing; `url` is a whole identifier
/// (`myurl(` is not one) in any case (`URL(`); escapes in strings and unquoted urls are
/// decoded (`\2e` is a full stop).
struct StylesheetReferences {
    struct Reference: Equatable {
        /// The address as the stylesheet means it, escapes decoded.
        var target: String
        var line: Int
        var column: Int
        /// Named by `@import`, not by `url()` in a declaration.
        var isImport: Bool
    }

    private let bytes: [UInt8]
    private var index = 0
    private var lineStarts: [Int] = [0]
    private(set) var references: [Reference] = []

    /// The references of `text`, in order.
    static func scan(_ text: String) -> [Reference] {
        var scanner = StylesheetReferences(bytes: Array(text.utf8))
        scanner.run()
        return scanner.references
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        for (offset, byte) in bytes.enumerated() {
            // A line ends at LF, at a CR not followed by LF, and at a form feed (CSS's newlines).
            if byte == 0x0A || byte == 0x0C || (byte == 0x0D && (offset + 1 == bytes.count || bytes[offset + 1] != 0x0A)) {
                lineStarts.append(offset + 1)
            }
        }
    }

    private func place(_ offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    private func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private static func isWhitespace(_ byte: UInt8?) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private static func isNameStart(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte >= 0x80
    }

    private static func isName(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
    }

    private static func isHex(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// A backslash that starts an escape (not one before a newline, nor at the end).
    private func startsEscape(_ offset: Int) -> Bool {
        byte(offset) == 0x5C && byte(offset + 1) != nil && byte(offset + 1) != 0x0A && byte(offset + 1) != 0x0D && byte(offset + 1) != 0x0C
    }

    /// Whether an identifier starts at `offset`.
    private func startsIdentifier(_ offset: Int) -> Bool {
        if byte(offset) == 0x2D {
            return Self.isNameStart(byte(offset + 1)) || byte(offset + 1) == 0x2D || startsEscape(offset + 1)
        }
        return Self.isNameStart(byte(offset)) || startsEscape(offset)
    }

    /// Consumes an escape (the backslash at `index`) and appends what it stands for.
    private mutating func consumeEscape(into result: inout [UInt8]) {
        index += 1  // the backslash
        if Self.isHex(byte(index)) {
            var value: UInt32 = 0
            var digits = 0
            while digits < 6, let next = byte(index), Self.isHex(next) {
                value = value * 16 + UInt32(Character(UnicodeScalar(next)).hexDigitValue ?? 0)
                index += 1
                digits += 1
            }
            if byte(index) == 0x0D, byte(index + 1) == 0x0A { index += 2 } else if Self.isWhitespace(byte(index)) { index += 1 }
            let scalar = (value == 0 || (0xD800...0xDFFF).contains(value) || value > 0x10FFFF) ? 0xFFFD : value
            result += Array(String(UnicodeScalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
            return
        }
        guard let first = byte(index) else { return }
        result.append(first)
        index += 1
        // The rest of a multi-byte character.
        while let next = byte(index), next & 0xC0 == 0x80 { result.append(next); index += 1 }
    }

    private mutating func consumeIdentifier() -> String {
        var name: [UInt8] = []
        while index < bytes.count {
            if Self.isName(bytes[index]) { name.append(bytes[index]); index += 1 }
            else if startsEscape(index) { consumeEscape(into: &name) }
            else { break }
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// A string token from its opening quote at `index`; nil for a bad string (a newline
    /// before the closing quote), which names nothing.
    private mutating func consumeString() -> String? {
        let quote = bytes[index]
        index += 1
        var value: [UInt8] = []
        while let next = byte(index) {
            switch next {
            case quote:
                index += 1
                return String(decoding: value, as: UTF8.self)
            case 0x0A, 0x0D, 0x0C:
                return nil  // bad string: the newline is left for the next token
            case 0x5C:
                if byte(index + 1) == nil { index += 1 }
                else if byte(index + 1) == 0x0D, byte(index + 2) == 0x0A { index += 3 }
                else if [0x0A, 0x0D, 0x0C].contains(byte(index + 1)) { index += 2 }  // a line continued
                else { consumeEscape(into: &value) }
            default:
                value.append(next)
                index += 1
            }
        }
        return String(decoding: value, as: UTF8.self)  // the end of the file closes it
    }

    private mutating func skipWhitespace() {
        while Self.isWhitespace(byte(index)) { index += 1 }
    }

    /// Skips a comment at `index` (`/*` … `*/`, or to the end of the file).
    private mutating func skipComment() {
        index += 2
        while index < bytes.count, !(bytes[index] == 0x2A && byte(index + 1) == 0x2F) { index += 1 }
        index = min(index + 2, bytes.count)
    }

    /// After `url(`: the address, quoted or not; nil for a bad url, which names nothing.
    private mutating func consumeURL() -> String? {
        skipWhitespace()
        if byte(index) == 0x22 || byte(index) == 0x27 {
            // url("…"): a function whose argument is a string.
            let value = consumeString()
            skipArguments()
            return value
        }
        var value: [UInt8] = []
        while let next = byte(index) {
            switch next {
            case 0x29:
                index += 1
                return String(decoding: value, as: UTF8.self)
            case _ where Self.isWhitespace(next):
                skipWhitespace()
                if byte(index) == 0x29 || byte(index) == nil { index = min(index + 1, bytes.count); return String(decoding: value, as: UTF8.self) }
                skipBadURL()
                return nil
            case 0x22, 0x27, 0x28, 0x00...0x08, 0x0B, 0x0E...0x1F, 0x7F:
                skipBadURL()
                return nil
            case 0x5C:
                guard startsEscape(index) else { skipBadURL(); return nil }
                consumeEscape(into: &value)
            default:
                value.append(next)
                index += 1
            }
        }
        return String(decoding: value, as: UTF8.self)  // the end of the file closes it
    }

    /// The rest of a bad url, to its closing parenthesis (escaped ones do not close it).
    private mutating func skipBadURL() {
        while let next = byte(index) {
            index += 1
            if next == 0x29 { return }
            if next == 0x5C, byte(index) != nil { index += 1 }
        }
    }

    /// The rest of a function's arguments, to the parenthesis that closes it: strings and
    /// comments inside are skipped whole.
    private mutating func skipArguments() {
        var depth = 1
        while let next = byte(index) {
            if next == 0x22 || next == 0x27 { _ = consumeString(); continue }
            if next == 0x2F, byte(index + 1) == 0x2A { skipComment(); continue }
            index += 1
            if next == 0x28 { depth += 1 }
            if next == 0x29 { depth -= 1; if depth == 0 { return } }
            if next == 0x5C, byte(index) != nil { index += 1 }
        }
    }

    private mutating func record(_ target: String?, at offset: Int, isImport: Bool) {
        guard let target else { return }
        let (line, column) = place(offset)
        references.append(Reference(target: target, line: line, column: column, isImport: isImport))
    }

    private mutating func run() {
        // After `@import`, until the next token that is not white space or a comment.
        var importing = false
        while index < bytes.count {
            let start = index
            let current = bytes[index]
            if current == 0x2F, byte(index + 1) == 0x2A { skipComment(); continue }
            if Self.isWhitespace(current) { index += 1; continue }
            if current == 0x22 || current == 0x27 {
                let value = consumeString()
                if importing { record(value, at: start, isImport: true) }
                importing = false
                continue
            }
            if current == 0x40, startsIdentifier(index + 1) {
                index += 1
                importing = consumeIdentifier().lowercased() == "import"
                continue
            }
            if current == 0x5C, !startsEscape(index) { importing = false; index += 1; continue }
            if startsIdentifier(index) {
                let name = consumeIdentifier()
                if byte(index) == 0x28, name.lowercased() == "url" {
                    index += 1
                    record(consumeURL(), at: start, isImport: importing)
                }
                importing = false
                continue
            }
            // A number's digits, a hash's, any other character: `1px` then reads `px` as a name.
            if current == 0x23 || (current >= 0x30 && current <= 0x39) {
                index += 1
                while Self.isName(byte(index)) { index += 1 }
            } else {
                index += 1
            }
            importing = false
        }
    }
}
