import Foundation

/// Byte-level readings of text that the loader and the checks do on every run of text: on the
/// string's own UTF-8 storage (no Character or Foundation bridging, no copy for a native string).
extension String {
    /// Calls `body` with the text's UTF-8 bytes, contiguous: a native string's own storage,
    /// any other copied once.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }

    /// Whether the text's UTF-8 holds `byte`.
    func utf8Contains(_ byte: UInt8) -> Bool {
        withUTF8Bytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        }
    }

    /// The text's lines (split at each line feed, empty ones kept, no line feed in any): what
    /// `utf8.split(separator: 10, omittingEmptySubsequences: false)` gives, found with memchr.
    func linesAtLineFeeds() -> [Substring] {
        let view = utf8
        var lines: [Substring] = []
        withUTF8Bytes { bytes in
            var offset = 0
            var start = view.startIndex
            let count = bytes.count
            while offset <= count {
                var end = count
                if offset < count, let base = bytes.baseAddress,
                   let found = memchr(base + offset, 0x0A, count - offset) {
                    end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                }
                let endIndex = view.index(start, offsetBy: end - offset)
                lines.append(self[start..<endIndex])
                if end == count { break }
                start = view.index(after: endIndex)
                offset = end + 1
            }
        }
        return lines
    }
}
