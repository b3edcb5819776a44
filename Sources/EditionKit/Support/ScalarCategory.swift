/// Unicode's general category of a scalar, from a table made once for the scalars the
/// edition's text is mostly made of: two-byte UTF-8 (U+0080–U+07FF: accented Latin letters,
/// Greek, Cyrillic…) and the General Punctuation block (’ “ ” — …). Asking
/// `scalar.properties.generalCategory` goes through Unicode's property tables each time,
/// which the print text and the duplicate-text check did for every scalar of the edition.
enum ScalarCategory {
    static func of(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory {
        let value = scalar.value
        if value < 0x800 { return twoByte[Int(value)] }
        if value >= 0x2000, value < 0x2070 { return punctuation[Int(value - 0x2000)] }
        return scalar.properties.generalCategory
    }

    private static let twoByte: [Unicode.GeneralCategory] = (0..<0x800).map {
        Unicode.Scalar(UInt32($0))!.properties.generalCategory
    }
    private static let punctuation: [Unicode.GeneralCategory] = (0x2000..<0x2070).map {
        Unicode.Scalar(UInt32($0))!.properties.generalCategory
    }
}
