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
            for word in periodical.name.split(separator: " ") {
                lines.append(text(String(word).uppercased(), y: y, size: 120, weight: "bold", fill: "#ffffff"))
                y += 130
            }
        }
        y += 40
        lines.append(text(pages.editionLine, y: y, size: 44, weight: "normal", fill: "#f4d35e"))
        y = 1150
        for line in wrap(metadata.title, width: 18) {
            lines.append(text(line, y: y, size: 110, weight: "bold", fill: "#ffffff"))
            y += 120
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
        "  <text x=\"80\" y=\"\(y)\" font-family=\"Georgia, 'Linux Libertine O', serif\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(Markup.text(content))</text>"
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
