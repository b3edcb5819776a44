import CLibXML2
import Foundation

/// Parses an SVG image with libxml2 (no network, no entity substitution, no DTD loading) and
/// says why it may not be published. An SVG that carries a script, an event handler, an entity
/// declaration or a reference to anything but itself is refused, not scrubbed: cleaning would
/// silently change an author's image, and a refusal names the place for the editor to fix.
enum SVGCheck {
    /// Why the SVG is refused, or nil when it is a plain, self-contained SVG image.
    static func problem(in data: Data) -> String? {
        var parseError: String?
        let document = data.withUnsafeBytes { buffer -> xmlDocPtr? in
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            return xmlReadMemory(base, Int32(buffer.count), "image.svg", nil, options)
        }
        guard let document else {
            if let error = xmlGetLastError(), let message = error.pointee.message {
                parseError = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            xmlResetLastError()
            return "it is not well-formed XML" + (parseError.map { " (\($0))" } ?? "")
        }
        defer { xmlFreeDoc(document) }
        if let subset = document.pointee.intSubset, subset.pointee.entities != nil || subset.pointee.pentities != nil {
            return "it declares entities in a DOCTYPE"
        }
        guard let root = xmlDocGetRootElement(document), name(of: root) == "svg" else {
            return "its root element is not <svg>"
        }
        return problem(inTree: document.pointee.children)
    }

    /// Elements that run code or embed other documents.
    static let refusedElements: Set<String> = ["script", "foreignobject", "iframe", "object", "embed", "handler", "listener"]

    private static func problem(inTree first: xmlNodePtr?) -> String? {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                let element = name(of: current)
                if refusedElements.contains(element.lowercased()) { return "it contains a <\(element)> element" }
                var attribute = current.pointee.properties
                while let property = attribute {
                    let attributeName = name(of: property)
                    let value = text(of: property)
                    if attributeName.lowercased().hasPrefix("on") {
                        return "<\(element)> has the event handler \(attributeName)=\"…\""
                    }
                    if attributeName.lowercased() == "href" || attributeName.lowercased() == "src",
                       !value.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                        return "<\(element)> refers to '\(value.prefix(80))', outside the image"
                    }
                    if attributeName.lowercased() == "style", let reference = foreignReference(inCSS: value) {
                        return "<\(element)> has a style that \(reference)"
                    }
                    attribute = property.pointee.next
                }
                if element.lowercased() == "style", let reference = foreignReference(inCSS: content(of: current)) {
                    return "its <style> \(reference)"
                }
                if let found = problem(inTree: current.pointee.children) { return found }
            case XML_ENTITY_REF_NODE, XML_ENTITY_NODE, XML_ENTITY_DECL:
                return "it uses an entity"
            case XML_PI_NODE:
                return "it contains the processing instruction <?\(name(of: current))…?>"
            case XML_DTD_NODE:
                if let found = problem(inTree: current.pointee.children) { return found }
            default:
                break
            }
            node = current.pointee.next
        }
        return nil
    }

    /// Why CSS text reaches outside the image (`@import`, a `url()` that is not `#…`), or nil.
    static func foreignReference(inCSS css: String) -> String? {
        let lower = css.lowercased()
        if lower.contains("@import") { return "imports another stylesheet" }
        var rest = Substring(lower)
        while let range = rest.range(of: "url(") {
            let argument = rest[range.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "'" }
            if !argument.hasPrefix("#") { return "loads a file with url(…)" }
            rest = rest[range.upperBound...]
        }
        return nil
    }

    private static func name(of node: xmlNodePtr) -> String {
        node.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func name(of attribute: xmlAttrPtr) -> String {
        attribute.pointee.name.map { String(cString: $0) } ?? ""
    }

    private static func text(of attribute: xmlAttrPtr) -> String {
        var result = ""
        var child = attribute.pointee.children
        while let node = child {
            if let content = node.pointee.content { result += String(cString: content) }
            child = node.pointee.next
        }
        return result
    }

    private static func content(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { edition_xml_free(content) }
        return String(cString: content)
    }
}
