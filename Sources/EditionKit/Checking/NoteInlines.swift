extension Article {
    /// Like `forEachInline`, then the inlines of the notes, in the order they are written: the
    /// checks of images and links see the notes as they see the body. An inline without a
    /// recorded place is placed at its note's definition.
    public func forEachInlineOfBodyAndNotes(_ visit: (Inline, SourceLocation) -> Void) {
        var seen: [Inline: Int] = [:]
        let inlineLocations = inlineLocations  // not `self` in the closure: that copies the article
        forEachInline { inline, place in
            if inline.mayHaveRecordedPlace, inlineLocations[inline] != nil { seen[inline, default: 0] += 1 }
            visit(inline, place)
        }
        for note in notes {
            forEachInline(of: note.blocks, seen: &seen, from: note.location ?? location, headingsPlace: false, visit)
        }
    }
}

extension Inline {
    /// Whether `Article.inlineLocations` may hold this inline: the parser records the places
    /// of images, links and raw HTML only. Other inlines (text runs above all) are not hashed
    /// to be looked up there.
    @inline(__always)
    var mayHaveRecordedPlace: Bool {
        switch self {
        case .image, .link, .html: return true
        default: return false
        }
    }
}
