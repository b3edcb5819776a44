import Yams

/// Reads a YAML mapping key by key, reporting unknown keys, missing keys and values of the
/// wrong type at their `file:line:column` instead of ignoring them.
struct YAMLMapping {
    let file: String
    /// Lines cut off before the YAML text (the `---` of front matter), added to every position.
    let lineOffset: Int
    let node: Node
    private let pairs: [(key: String, keyNode: Node, value: Node)]
    private var used: Set<String> = []
    private(set) var log = DiagnosticLog()

    /// Parses `text` and expects a mapping at its top; returns nil after reporting when it is not.
    static func parse(_ text: String, file: String, lineOffset: Int, log: inout DiagnosticLog) -> YAMLMapping? {
        if let excess = YAMLBudget.excess(in: text) {
            log.report(.error(.inputLimit, excess.message,
                              at: SourceLocation(file: file, line: excess.line + lineOffset, column: excess.column),
                              hint: "write the values out instead of repeating anchors"))
            return nil
        }
        let node: Node?
        do {
            // Tags are never read here (values are read as text), so no resolver rules (the
            // default set compiles seven regular expressions); UTF-8, as Swift strings are, named
            // rather than looked up in the environment on every parse.
            node = try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let error as YamlError {
            log.report(.error(.yamlSyntax, describe(error, lineOffset: lineOffset),
                              at: location(of: error, file: file, lineOffset: lineOffset), hint: hint(for: error)))
            return nil
        } catch {
            log.report(.error(.yamlSyntax, "\(error)", at: SourceLocation(file: file, line: lineOffset + 1)))
            return nil
        }
        guard let node, case .mapping = node else {
            let found = node.map { "a " + kindName(of: $0) } ?? "nothing"
            log.report(.error(.valueType, "expected a mapping of keys to values, not \(found)",
                              at: SourceLocation(file: file, line: lineOffset + 1)))
            return nil
        }
        return YAMLMapping(file: file, lineOffset: lineOffset, node: node)
    }

    init(file: String, lineOffset: Int, node: Node) {
        self.file = file
        self.lineOffset = lineOffset
        self.node = node
        var pairs: [(String, Node, Node)] = []
        if case .mapping(let mapping) = node {
            for (key, value) in mapping { pairs.append((key.string ?? "", key, value)) }
        }
        self.pairs = pairs
    }

    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file, line: lineOffset + 1) }
        return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    var location: SourceLocation { location(of: node) }

    /// Where the value of `key` is written; the mapping's own place when the key is absent.
    func location(ofValue key: String) -> SourceLocation {
        pairs.first { $0.key == key }.map { location(of: $0.value) } ?? location
    }

    /// Where the text of `key`'s value begins: after the opening quote of a quoted value.
    func location(ofText key: String) -> SourceLocation {
        guard let value = pairs.first(where: { $0.key == key })?.value else { return location }
        var place = location(of: value)
        if case .scalar(let scalar) = value, scalar.style == .doubleQuoted || scalar.style == .singleQuoted { place.column += 1 }
        return place
    }

    private mutating func value(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first { $0.key == key }?.value
    }

    mutating func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    /// The keys, in the order written.
    var keys: [String] { pairs.map(\.key) }

    /// A text value. Numbers and dates written without quotes are taken as the text they are.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let scalar) = node else {
            log.report(.error(.valueType, "'\(key)' must be a text, not a \(kind(of: node))", at: location(of: node)))
            return nil
        }
        if scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" {
            if required { log.report(.error(.valueInvalid, "'\(key)' must not be empty", at: location(of: node))) }
            return nil
        }
        // A YAML escape ("\x01") can write a character no XML document may hold.
        if let bad = scalar.string.unicodeScalars.first(where: MarkupSketch.isForbidden) {
            log.report(.error(.characterInvalid, "'\(key)' holds the control character \(MarkupSketch.name(bad)), which XHTML does not allow",
                              at: location(of: node), hint: "delete it"))
            return nil
        }
        return scalar.string
    }

    mutating func int(_ key: String, required: Bool = false) -> Int? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .scalar(let scalar) = node, let number = Int(scalar.string) else {
            log.report(.error(.valueType, "'\(key)' must be a whole number", at: location(of: node)))
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node, let flag = Bool(scalar.string.lowercased()) else {
            log.report(.error(.valueType, "'\(key)' must be true or false", at: location(of: node)))
            return nil
        }
        return flag
    }

    /// A nested mapping.
    mutating func mapping(_ key: String, required: Bool = false) -> YAMLMapping? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .mapping = node else {
            log.report(.error(.valueType, "'\(key)' must be a mapping of keys to values, not a \(kind(of: node))",
                              at: location(of: node)))
            return nil
        }
        return YAMLMapping(file: file, lineOffset: lineOffset, node: node)
    }

    /// A list; each element is handed back as a node for the caller to read.
    mutating func sequence(_ key: String, required: Bool = false) -> [Node]? {
        guard let node = value(key) else {
            if required { missing(key) }
            return nil
        }
        guard case .sequence(let sequence) = node else {
            log.report(.error(.valueType, "'\(key)' must be a list, not a \(kind(of: node))", at: location(of: node)))
            return nil
        }
        return Array(sequence)
    }

    /// A list of texts.
    mutating func strings(_ key: String, required: Bool = false) -> [(String, SourceLocation)]? {
        guard let nodes = sequence(key, required: required) else { return nil }
        var result: [(String, SourceLocation)] = []
        for node in nodes {
            guard case .scalar(let scalar) = node else {
                log.report(.error(.valueType, "each entry of '\(key)' must be a text, not a \(kind(of: node))",
                                  at: location(of: node)))
                continue
            }
            result.append((scalar.string, location(of: node)))
        }
        return result
    }

    /// Reads a nested mapping given as a node (an entry of a list).
    func mapping(of node: Node, in key: String) -> YAMLMapping? {
        guard case .mapping = node else { return nil }
        return YAMLMapping(file: file, lineOffset: lineOffset, node: node)
    }

    mutating func report(_ diagnostic: Diagnostic) { log.report(diagnostic) }

    mutating func merge(_ child: YAMLMapping) { log.report(contentsOf: child.finish().all) }

    /// Reports every key that was never asked for, and returns all that was reported.
    func finish() -> DiagnosticLog {
        var log = self.log
        for pair in pairs where !used.contains(pair.key) {
            let known = used.sorted()
            let suggestion = known.min { editDistance($0, pair.key) < editDistance($1, pair.key) }
            let hint = suggestion.flatMap { editDistance($0, pair.key) <= 2 ? "did you mean '\($0)'?" : nil }
                ?? "known keys here: \(known.joined(separator: ", "))"
            log.report(.error(.keyUnknown, "unknown key '\(pair.key)'", at: location(of: pair.keyNode), hint: hint))
        }
        return log
    }

    private mutating func missing(_ key: String) {
        log.report(.error(.keyMissing, "missing required key '\(key)'", at: location))
    }

    func kind(of node: Node) -> String { Self.kindName(of: node) }

    static func kindName(of node: Node) -> String {
        switch node {
        case .scalar: return "single value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    private static func describe(_ error: YamlError, lineOffset: Int) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
             .composer(let context, let problem, _, _):
            // The problem is where libyaml noticed it; the context says where the construct it
            // was reading began (an unclosed quote runs to the end of the file).
            if let context {
                return "invalid YAML: \(problem) \(context.text) that starts at \(context.mark.line + lineOffset):\(context.mark.column)"
            }
            return "invalid YAML: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate key '\(duplicates.joined(separator: "', '"))'"
        default:
            return "invalid YAML: \(error)"
        }
    }

    /// The likely fix of the most common mistake: an unquoted value with ': ' in it.
    private static func hint(for error: YamlError) -> String? {
        guard case .scanner(_, let problem, _, _) = error, problem.hasPrefix("mapping values are not allowed")
        else { return nil }
        return "put a value that contains ': ' in quotes: title: \"Bolivia: …\""
    }

    private static func location(of error: YamlError, file: String, lineOffset: Int) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourceLocation(file: file, line: context.mark.line + lineOffset, column: context.mark.column)
        default:
            return SourceLocation(file: file, line: lineOffset + 1)
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1,
                             previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
