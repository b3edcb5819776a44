import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XHTML document read with XMLParser into a small tree, so that the tests can take its
/// text the way a reading system shows it (entities decoded, tags gone) and find elements by
/// their attributes. Attribute names are kept qualified ("epub:type").
final class XElement {
    enum Child {
        case element(XElement)
        case text(String)
    }

    let name: String
    let attributes: [String: String]
    private(set) var children: [Child] = []
    private(set) weak var parent: XElement?

    init(name: String, attributes: [String: String], parent: XElement?) {
        self.name = name
        self.attributes = attributes
        self.parent = parent
    }

    subscript(attribute: String) -> String? { attributes[attribute] }

    var id: String? { attributes["id"] }

    /// The class attribute's names.
    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    func hasClass(_ name: String) -> Bool { classes.contains(name) }

    /// The element and every element inside it, in document order.
    var descendantsAndSelf: [XElement] {
        var result: [XElement] = [self]
        for child in children {
            if case .element(let element) = child { result += element.descendantsAndSelf }
        }
        return result
    }

    func all(_ predicate: (XElement) -> Bool) -> [XElement] { descendantsAndSelf.filter(predicate) }

    func first(_ predicate: (XElement) -> Bool) -> XElement? { descendantsAndSelf.first(where: predicate) }

    /// Elements whose boundaries separate words even without white space around them.
    static let blockElements: Set<String> = [
        "html", "head", "title", "body", "section", "nav", "header", "footer", "aside", "div", "p", "article", "main",
        "h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "li", "dl", "dt", "dd", "blockquote",
        "figure", "figcaption", "table", "thead", "tbody", "tr", "td", "th", "br", "hr", "pre",
    ]

    /// The text inside the element, with the elements for which `skip` is true left out and a
    /// space at every block boundary (and in place of a skipped element, as a note mark
    /// separates the words around it in the source texts).
    func text(skipping skip: (XElement) -> Bool = { _ in false }) -> String {
        var result = ""
        appendText(to: &result, skipping: skip)
        return result
    }

    private func appendText(to result: inout String, skipping skip: (XElement) -> Bool) {
        let block = XElement.blockElements.contains(name)
        if block { result += " " }
        // A reading system shows the number of an item of an ordered list.
        if name == "li", let list = parent, list.name == "ol" {
            let items = list.children.compactMap { child -> XElement? in
                if case .element(let element) = child, element.name == "li" { return element }
                return nil
            }
            let start = Int(list["start"] ?? "") ?? 1
            if let position = items.firstIndex(where: { $0 === self }) { result += "\(start + position). " }
        }
        for child in children {
            switch child {
            case .text(let text):
                result += text
            case .element(let element):
                if skip(element) { result += " " } else { element.appendText(to: &result, skipping: skip) }
            }
        }
        if block { result += " " }
    }

    fileprivate func append(_ child: Child) { children.append(child) }

    /// Whether the element is inside one that matches (itself excluded).
    func isInside(_ predicate: (XElement) -> Bool) -> Bool {
        var current = parent
        while let element = current {
            if predicate(element) { return true }
            current = element.parent
        }
        return false
    }
}

enum XHTMLTree {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses an XHTML (or any XML) document; throws when it is not well-formed.
    static func parse(_ data: Data, name: String) throws -> XElement {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw ParseError(description: "\(name) is not well-formed: \(parser.parserError.map { "\($0)" } ?? "no root element")")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XElement?
        var stack: [XElement] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let element = XElement(name: elementName, attributes: attributes, parent: stack.last)
            if let parent = stack.last { parent.append(.element(element)) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.append(.text(string))
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            stack.last?.append(.text(String(decoding: CDATABlock, as: UTF8.self)))
        }
    }
}
