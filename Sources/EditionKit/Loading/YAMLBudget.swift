import CYaml

/// Reads a YAML text as libyaml's events, before Yams builds its nodes, and finds where it
/// would grow past `InputLimits`: aliases that multiply (a "billion laughs", also in a key or
/// in duplicate keys, which Yams hashes in full) or nesting deep enough to exhaust the stack of
/// Yams's recursive composer. Linear in the text: each alias counts the size its anchor had.
enum YAMLBudget {
    struct Excess: Error {
        var message: String
        /// 1-based, in the YAML text.
        var line: Int
        var column: Int
    }

    /// The first excess, or nil when the text is within the limits (or has a syntax error,
    /// which Yams then reports with its own message).
    static func excess(in text: String, values limit: Int = InputLimits.yamlValues,
                       depth depthLimit: Int = InputLimits.yamlDepth) -> Excess? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Excess? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var anchors: [String: Int] = [:]
            // The open collections: their anchor and the values counted in them so far.
            var open: [(anchor: String?, values: Int)] = []
            // Every value the document holds with its aliases expanded.
            var total = 0
            var aliases = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
                var finished: (anchor: String?, values: Int)?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    finished = (name(event.data.scalar.anchor), 1)
                    total += 1
                case YAML_ALIAS_EVENT:
                    let size = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                    finished = (nil, size)
                    total += size
                    aliases += 1
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 1))
                    total += 1
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 1))
                    total += 1
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    finished = open.popLast()
                default:
                    break
                }
                if open.count > depthLimit {
                    return Excess(message: "YAML nested more than \(depthLimit) levels deep", line: line, column: column)
                }
                if total > limit {
                    let message = aliases > 0
                        ? "YAML aliases expand to more than \(limit) values (anchors that multiply, a \"billion laughs\"?)"
                        : "YAML with more than \(limit) values"
                    return Excess(message: message, line: line, column: column)
                }
                guard let done = finished else { continue }
                if let anchor = done.anchor { anchors[anchor] = done.values }
                if !open.isEmpty { open[open.count - 1].values += done.values }
            }
        }
    }

    private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
