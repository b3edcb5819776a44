extension Article {
    /// Like `forEachInline`, then the inlines of the notes, in the order they are written: the
    /// checks of images and links see the notes as they see the body. An inline without a
    /// recorded place is placed at its note's definition.
    public func forEachInlineOfBodyAndNotes(_ visit: (Inline, SourceLocation) -> Void) {
        var seen: [Inline: Int] = [:]
        forEachInline { inline, place in
            if inlineLocations[inline] != nil { seen[inline, default: 0] += 1 }
            visit(inline, place)
        }
        for note in notes {
            let fallback = note.location ?? location
            for block in note.blocks {
                block.forEachBlock { nested in
                    for run in nested.inlineRuns {
                        for inline in run {
                            inline.forEachInline { current in
                                if case .noteReference(let reference) = current, let place = reference.location {
                                    visit(current, place)
                                } else if let places = inlineLocations[current] {
                                    let index = seen[current, default: 0]
                                    seen[current] = index + 1
                                    visit(current, index < places.count ? places[index] : fallback)
                                } else {
                                    visit(current, fallback)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
