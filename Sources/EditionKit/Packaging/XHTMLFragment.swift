import CLibXML2
import Foundation

/// Parses a sketch of an article's markup (its raw HTML among stand-in elements for the
/// Markdown around it) as XML with libxml2, before anything is rendered: no network, no DTD
/// loading, no entity substitution. Reports libxml2's first error and the markup that could run
/// or load something, each at its line and column in the sketch.
enum XHTMLFragment {
    struct Finding: Hashable {
        var line: Int
        var column: Int
        var message: String
        /// Text that marks the place on its line (`<script`, `onclick`), for a finer column.
        var needle: String? = nil
    }

    /// The namespaces the generated documents declare, so that raw HTML may use `epub:type`.
    static let rootAttributes = #"xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops""#

    /// Elements that run code, embed another document or load a file the EPUB does not hold.
    static let unsafeElements: Set<String> = [
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
        "select", "textarea", "base", "link", "meta", "style", "img", "audio", "video", "source", "track",
        "picture", "portal", "noscript", "template", "foreignobject", "set", "animate", "handler", "listener",
    ]

    /// Attributes that hold an address.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc",
        "xlink:href", "srcset", "ping", "manifest", "codebase", "lowsrc", "dynsrc", "usemap",
    ]

    /// libxml2's first error (the rest are its consequences), then every unsafe element,
    /// attribute and address in document order.
    static func inspect(_ text: String) -> (malformed: Finding?, unsafe: [Finding]) {
        // RECOVER keeps a tree after an error, so that unsafe markup is found in a broken block too.
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue)
        var bytes = Array(text.utf8)
        let (document, errors) = LibXMLErrors.collecting {
            bytes.withUnsafeMutableBufferPointer { buffer -> xmlDocPtr? in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                    xmlReadMemory(base, Int32(buffer.count), "fragment.xml", "UTF-8", options)
                }
            }
        }
        let problems = errors.map { Finding(line: $0.line, column: $0.column, message: $0.message) }
        guard let document else {
            return (problems.first ?? Finding(line: 1, column: 1, message: "the markup could not be parsed"), [])
        }
        defer { xmlFreeDoc(document) }
        let malformed = problems.first
        if document.pointee.intSubset != nil || document.pointee.extSubset != nil {
            return (malformed ?? Finding(line: 1, column: 1, message: "a DOCTYPE is not allowed in raw HTML"), [])
        }
        return (malformed, unsafeMarkup(in: document))
    }

    /// Walks the tree without recursion.
    private static func unsafeMarkup(in document: xmlDocPtr) -> [Finding] {
        var findings: [Finding] = []
        var node = xmlDocGetRootElement(document)
        while let current = node {
            if current.pointee.type == XML_ELEMENT_NODE {
                let line = Int(xmlGetLineNo(current))
                let name = string(current.pointee.name).lowercased()
                if unsafeElements.contains(name) {
                    let loadsFile = ["img", "audio", "video", "source", "picture", "track"].contains(name)
                    findings.append(Finding(line: line, column: 0, message: loadsFile
                        ? "<\(name)> in raw HTML loads a file the EPUB would not contain; write a Markdown image ![…](file)"
                        : "<\(name)> is not allowed: it could run code or load a document", needle: "<" + name))
                }
                var attribute = current.pointee.properties
                while let attr = attribute {
                    let localName = string(attr.pointee.name).lowercased()
                    var attrName = localName
                    if let ns = attr.pointee.ns, let prefix = ns.pointee.prefix { attrName = string(prefix).lowercased() + ":" + attrName }
                    let value = attr.pointee.children.flatMap { children -> String? in
                        guard let raw = xmlNodeListGetString(document, children, 1) else { return nil }
                        defer { edition_xml_free(raw) }
                        return string(raw)
                    } ?? ""
                    if localName.hasPrefix("on") {
                        findings.append(Finding(line: line, column: 0, message: "the attribute '\(attrName)' on <\(name)> runs code", needle: attrName))
                    } else if urlAttributes.contains(attrName) || attrName.hasSuffix(":href"), let scheme = URLSafety.dangerousScheme(value) {
                        findings.append(Finding(line: line, column: 0, message: "a \(scheme) address in '\(attrName)' on <\(name)>", needle: attrName))
                    } else if attrName == "style", URLSafety.styleLoadsSomething(value) {
                        findings.append(Finding(line: line, column: 0, message: "the style on <\(name)> loads an address or runs an expression", needle: "style"))
                    }
                    attribute = attr.pointee.next
                }
            }
            // Next in document order: first child, else next sibling, else an ancestor's sibling.
            if current.pointee.type == XML_ELEMENT_NODE, let child = current.pointee.children {
                node = child
                continue
            }
            var climb: xmlNodePtr? = current
            node = nil
            while let up = climb {
                if let next = up.pointee.next { node = next; break }
                climb = up.pointee.parent
                if climb?.pointee.type == XML_DOCUMENT_NODE { climb = nil }
            }
        }
        return findings
    }

    private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) } ?? ""
    }

    private static func string(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String {
        string(UnsafePointer(pointer))
    }
}

/// Addresses that run code or reach the reader's own files.
public enum URLSafety {
    /// `javascript:`, `vbscript:`, `file:` or `data:` when `url` starts with it, as a browser
    /// reads it (case, spaces and control characters, tabs and line breaks inside ignored).
    public static func dangerousScheme(_ url: String) -> String? {
        let squeezed = String(String.UnicodeScalarView(url.unicodeScalars.filter { $0.value > 0x20 })).lowercased()
        for scheme in ["javascript:", "vbscript:", "file:", "data:"] where squeezed.hasPrefix(scheme) {
            return scheme
        }
        return nil
    }

    static func styleLoadsSomething(_ style: String) -> Bool {
        let squeezed = String(String.UnicodeScalarView(style.unicodeScalars.filter { $0.value > 0x20 })).lowercased()
        return squeezed.contains("url(") || squeezed.contains("expression(") || squeezed.contains("@import")
            || squeezed.contains("javascript:")
    }
}
