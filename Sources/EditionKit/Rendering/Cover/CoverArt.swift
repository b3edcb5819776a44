/// An SVG cover drawn from the metadata when the book has no cover image: the periodical,
/// the edition number and date, and the title, in large type on a plain ground.
struct CoverArt {
    let book: Book
    let labels: Localization

    func svg() -> String {
        let metadata = book.metadata
        let pages = FrontMatterPages(book: book, labels: labels)
        var lines: [String] = []
        var y = 260
        if let periodical = metadata.periodical {
            let words = periodical.name.split(separator: " ").map { String($0).uppercased() }
            // One size for every word of the name, small enough for the longest to fit.
            let size = fittingSize(for: words, maximum: 120, widthPerCharacter: 0.78)
            for word in words {
                lines.append(text(word, y: y, size: size, weight: "bold", fill: "#ffffff"))
                y += size + 10
            }
        }
        y += 40
        lines.append(text(pages.editionLine, y: y, size: 44, weight: "normal", fill: "#f4d35e"))
        y = 1150
        let titleLines = wrap(metadata.title, width: 18)
        let titleSize = fittingSize(for: titleLines, maximum: 110, widthPerCharacter: 0.6)
        for line in titleLines {
            lines.append(text(line, y: y, size: titleSize, weight: "bold", fill: "#ffffff"))
            y += titleSize + 10
        }
        if let subtitle = metadata.subtitle {
            for line in wrap(subtitle, width: 36) {
                lines.append(text(line, y: y + 10, size: 50, weight: "normal", fill: "#ffffff"))
                y += 62
            }
        }
        if let publisher = metadata.publisher {
            lines.append(text(publisher, y: 1720, size: 30, weight: "normal", fill: "#ffffff"))
        }
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 1200 1800" width="1200" height="1800" role="img" aria-labelledby="cover-title">
          <title id="cover-title">\(Markup.text(pages.coverDescription))</title>
          <rect width="1200" height="1800" fill="#b3261e"/>
          <rect x="60" y="1020" width="1080" height="8" fill="#f4d35e"/>
        \(lines.joined(separator: "\n"))
        </svg>

        """
    }

    private func text(_ content: String, y: Int, size: Int, weight: String, fill: String) -> String {
        "  <text x=\"80\" y=\"\(y)\" font-family=\"'Linux Libertine O', 'Linux Libertine', Georgia, serif\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(Markup.text(content))</text>"
    }

    /// The largest font size up to `maximum` at which the longest line fits the cover's
    /// 1,040 units of text width, for a face whose characters average `widthPerCharacter` em.
    private func fittingSize(for lines: [String], maximum: Int, widthPerCharacter: Double) -> Int {
        let longest = lines.map(\.count).max() ?? 1
        return min(maximum, Int(1040 / (widthPerCharacter * Double(max(longest, 1)))))
    }

    /// Breaks a title into lines of at most `width` characters at spaces.
    private func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + word.count + 1 > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " \(word)"
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
