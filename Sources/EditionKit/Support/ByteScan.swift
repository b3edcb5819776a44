/// Tests on eight bytes at once (one 64-bit load), for the scans that run over every byte of
/// the edition's text and stop only at a few kinds of byte: a chunk holding none of them is
/// passed over whole. The classic word-at-a-time tests (as in glibc's `strlen`), exact: each
/// says whether some byte of the word is of the kind, with no false answers either way.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` (which must leave eight in `bytes`), first byte lowest.
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self))
    }

    /// Whether some byte of `word` is 0x80 or above.
    @inline(__always)
    static func hasHigh(_ word: UInt64) -> Bool { word & highs != 0 }

    /// Whether some byte of `word` is `byte`.
    @inline(__always)
    static func has(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs != 0
    }

    /// 0x80 in each byte of `word` that is `byte`, 0 in the others (exact in every byte,
    /// where `has`'s test may mark bytes after a match).
    @inline(__always)
    static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        let sevens = ones &* 0x7F
        return ~(((x & sevens) &+ sevens) | x) & highs
    }

    /// Whether some byte of `word` is below `bound` (at most 0x80).
    @inline(__always)
    static func hasBelow(_ word: UInt64, _ bound: UInt8) -> Bool {
        (word &- ones &* UInt64(bound)) & ~word & highs != 0
    }

    /// Whether some byte of `word`, whose bytes are all below 0x80, is in `low...high` (both
    /// below 0x80).
    @inline(__always)
    static func hasASCII(_ word: UInt64, in low: UInt8, _ high: UInt8) -> Bool {
        let seven = word & (ones &* 0x7F)
        // A byte b sets its high bit in the first term when b < high + 1, in the last when b > low - 1.
        return (ones &* (127 + UInt64(high) + 1) &- seven) & ~word & (seven &+ ones &* (127 - (UInt64(low) - 1))) & highs != 0
    }
}
