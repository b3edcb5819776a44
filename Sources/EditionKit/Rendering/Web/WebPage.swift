import Foundation

/// An HTML5 page of the web edition: the document's head with everything the open web reads
/// (title, language, canonical address, description, Open Graph, schema.org JSON-LD), the
/// stylesheet, and the body. No script runs: JSON-LD is data. The markup is also well-formed
/// XML (void elements closed, JSON-LD without `<` or `&`), so tools and tests read it as XHTML.
struct WebPage {
    var title: String
    var language: String
    /// The page's path in the site (`post-international-29/bolivia-1952.html`).
    var path: String
    var description: String?
    /// Open Graph type: `article` or `website`.
    var openGraphType: String = "website"
    var siteName: String
    /// A site path of an image for previews (the cover).
    var image: String?
    /// schema.org data, serialised as JSON-LD.
    var structuredData: [String: Any]?
    /// `<link rel=…>` extras: (rel, site path, media type, title).
    var links: [(rel: String, path: String, type: String?, title: String?)] = []
    var baseURL: String?

    /// `path` relative to this page's folder.
    func relative(_ target: String) -> String { SitePath.relative(target, from: path) }

    func render(body: String, bodyClass: String) -> String {
        var head = "<!DOCTYPE html>\n<html lang=\"\(Markup.attribute(language))\">\n<head>\n"
        head += "  <meta charset=\"utf-8\"/>\n"
        head += "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        head += "  <meta name=\"color-scheme\" content=\"light dark\"/>\n"
        head += "  <title>\(Markup.text(title))</title>\n"
        if let description { head += "  <meta name=\"description\" content=\"\(Markup.attribute(description))\"/>\n" }
        let canonical = baseURL.map { $0 + path } ?? (path as NSString).lastPathComponent
        head += "  <link rel=\"canonical\" href=\"\(Markup.attribute(canonical))\"/>\n"
        head += "  <link rel=\"stylesheet\" href=\"\(Markup.attribute(relative("web.css")))\"/>\n"
        for link in links {
            head += "  <link rel=\"\(link.rel)\"\(link.type.map { " type=\"\(Markup.attribute($0))\"" } ?? "")"
                + " href=\"\(Markup.attribute(relative(link.path)))\"\(link.title.map { " title=\"\(Markup.attribute($0))\"" } ?? "")/>\n"
        }
        func property(_ name: String, _ value: String?) {
            guard let value else { return }
            head += "  <meta property=\"\(name)\" content=\"\(Markup.attribute(value))\"/>\n"
        }
        property("og:type", openGraphType)
        property("og:title", title)
        property("og:site_name", siteName)
        property("og:locale", language.replacingOccurrences(of: "-", with: "_"))
        property("og:description", description)
        if let baseURL {
            property("og:url", baseURL + path)
            property("og:image", image.map { baseURL + $0 })
        }
        if let structuredData, let json = try? JSONSerialization.data(withJSONObject: structuredData,
                                                                       options: [.sortedKeys, .withoutEscapingSlashes]) {
            // `<` cannot end the script element early when written as \u003c.
            let text = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
                .replacingOccurrences(of: "&", with: "\\u0026")
            head += "  <script type=\"application/ld+json\">\(text)</script>\n"
        }
        head += "</head>\n<body class=\"\(bodyClass)\">\n"
        return head + body + "</body>\n</html>\n"
    }
}

/// Paths inside the site, always with `/`.
enum SitePath {
    /// `target` as a link from the page at `from` (both site paths).
    static func relative(_ target: String, from: String) -> String {
        let fromFolder = from.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        var targetParts = target.split(separator: "/", omittingEmptySubsequences: false)
        var common = 0
        for (a, b) in zip(fromFolder, targetParts.dropLast()) {
            if a == b { common += 1 } else { break }
        }
        targetParts.removeFirst(common)
        let ups = Array(repeating: "..", count: fromFolder.count - common)
        return (ups + targetParts.map(String.init)).joined(separator: "/")
    }
}
