/// A property of Unicode scalars worked out once for the scalars the edition's text is mostly
/// made of: two-byte UTF-8 (U+0080–U+07FF: accented Latin letters, Greek, Cyrillic…) and the
/// General Punctuation block (’ “ ” — …); other scalars ask `compute` each time. Unicode's
/// property tables, asked for every scalar of the edition, cost the print text and the
/// duplicate-text check more than the rest of their work.
struct UsualScalars<Value: Sendable>: Sendable {
    private let twoByte: [Value]
    private let punctuation: [Value]
    private let compute: @Sendable (Unicode.Scalar) -> Value

    init(_ compute: @escaping @Sendable (Unicode.Scalar) -> Value) {
        self.compute = compute
        twoByte = (0..<0x800).map { compute(Unicode.Scalar(UInt32($0))!) }
        punctuation = (0x2000..<0x2070).map { compute(Unicode.Scalar(UInt32($0))!) }
    }

    @inline(__always)
    subscript(scalar: Unicode.Scalar) -> Value {
        let value = scalar.value
        if value < 0x800 { return twoByte[Int(value)] }
        if value >= 0x2000, value < 0x2070 { return punctuation[Int(value - 0x2000)] }
        return compute(scalar)
    }
}

/// Unicode's general category of a scalar (`UsualScalars`).
enum ScalarCategory {
    static func of(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory { table[scalar] }

    private static let table = UsualScalars { $0.properties.generalCategory }
}
