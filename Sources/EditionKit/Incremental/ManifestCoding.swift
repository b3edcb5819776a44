import Foundation

/// The cache's manifest in ModelCoding's compact binary form (varints and length-prefixed
/// UTF-8), written in sorted order so that the same manifest gives the same bytes. At ×100 it
/// names thousands of inputs, fragments and objects: as JSON, decoding and encoding it cost a
/// warm build more than the work it saved. Every read is bounds-checked (damage gives nil; the
/// file's SHA-256 is checked before this).
enum ManifestCoding {
    static func encode(_ manifest: BuildCache.Manifest) -> Data {
        var writer = ModelCoding.Writer()
        writer.int(manifest.format)
        writer.string(manifest.tool)
        writer.string(manifest.options)
        writer.int(manifest.inputs.count)
        for (name, input) in manifest.inputs.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            write(input.identity, &writer)
            writer.string(input.hash)
            writer.bool(input.settled)
        }
        writer.int(manifest.fragments.count)
        for (key, object) in manifest.fragments.sorted(by: { $0.key < $1.key }) {
            writer.string(key)
            writer.string(object)
        }
        let packs = Array(Set(manifest.objects.values.map(\.pack)).union(manifest.packs.keys)).sorted()
        let packIndex = Dictionary(uniqueKeysWithValues: packs.enumerated().map { ($1, $0) })
        writer.int(packs.count)
        for pack in packs {
            writer.string(pack)
            writer.optional(manifest.packs[pack]) { write($1, &$0) }
        }
        writer.int(manifest.objects.count)
        for (name, location) in manifest.objects.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            writer.int(packIndex[location.pack]!)
            writer.int(location.offset)
            writer.int(location.length)
            writer.int(Int(location.crc))
        }
        writer.optional(manifest.epub) { writer, record in
            writer.string(record.path)
            write(record.identity, &writer)
            writer.int(record.entries.count)
            for (path, hash) in record.entries.sorted(by: { $0.key < $1.key }) {
                writer.string(path)
                writer.string(hash)
            }
        }
        writer.optional(manifest.pdf) { writer, record in
            writer.string(record.path)
            write(record.identity, &writer)
            writer.string(record.fingerprint)
            writer.array(record.warnings) { $0.string($1) }
        }
        writer.optional(manifest.print) { writer, record in
            writer.string(record.path)
            write(record.identity, &writer)
            writer.string(record.hash)
        }
        return writer.finish()
    }

    private static func write(_ identity: FileIdentity, _ writer: inout ModelCoding.Writer) {
        writer.int(Int(identity.size))
        writer.int(Int(identity.modified))
        writer.int(Int(bitPattern: UInt(identity.inode)))
    }

    static func decode(_ data: Data) -> BuildCache.Manifest? {
        data.withUnsafeBytes { buffer -> BuildCache.Manifest? in
            var reader = ModelCoding.Reader(buffer)
            do {
                try reader.start()
                var manifest = BuildCache.Manifest(format: try reader.int(), tool: try reader.string(), options: try reader.string())
                // A manifest of another format is recognised by its first number alone.
                guard manifest.format == BuildCache.format else { return manifest }
                // Each table sized once (at ×100 they hold thousands of entries).
                let inputs = try reader.count()
                manifest.inputs.reserveCapacity(inputs)
                for _ in 0..<inputs {
                    let name = try reader.string()
                    manifest.inputs[name] = BuildCache.InputRecord(identity: try readIdentity(&reader), hash: try reader.string(),
                                                                    settled: try reader.bool())
                }
                let fragments = try reader.count()
                manifest.fragments.reserveCapacity(fragments)
                for _ in 0..<fragments {
                    let key = try reader.string()
                    manifest.fragments[key] = try reader.string()
                }
                var packs: [String] = []
                for _ in 0..<(try reader.count()) {
                    let pack = try reader.string()
                    packs.append(pack)
                    if let known = try reader.optional({ try readIdentity(&$0) }) { manifest.packs[pack] = known }
                }
                let objects = try reader.count()
                manifest.objects.reserveCapacity(objects)
                for _ in 0..<objects {
                    let name = try reader.string()
                    let index = try reader.int()
                    guard packs.indices.contains(index) else { throw ModelCoding.Damaged() }
                    let offset = try reader.int(), length = try reader.int(), crc = try reader.int()
                    guard offset >= 0, length >= 0, let checksum = UInt32(exactly: crc) else { throw ModelCoding.Damaged() }
                    manifest.objects[name] = ObjectLocation(pack: packs[index], offset: offset, length: length, crc: checksum)
                }
                manifest.epub = try reader.optional { reader in
                    let path = try reader.string(), identity = try readIdentity(&reader)
                    var entries: [String: String] = [:]
                    for _ in 0..<(try reader.count()) {
                        let entry = try reader.string()
                        entries[entry] = try reader.string()
                    }
                    return BuildCache.ArchiveRecord(path: path, identity: identity, entries: entries)
                }
                manifest.pdf = try reader.optional { reader in
                    BuildCache.PDFRecord(path: try reader.string(), identity: try readIdentity(&reader),
                                         fingerprint: try reader.string(), warnings: try reader.array { try $0.string() })
                }
                manifest.print = try reader.optional { reader in
                    BuildCache.FileRecord(path: try reader.string(), identity: try readIdentity(&reader), hash: try reader.string())
                }
                guard reader.atEnd else { return nil }
                return manifest
            } catch {
                return nil
            }
        }
    }

    private static func readIdentity(_ reader: inout ModelCoding.Reader) throws -> FileIdentity {
        FileIdentity(size: Int64(try reader.int()), modified: Int64(try reader.int()),
                     inode: UInt64(UInt(bitPattern: try reader.int())))
    }
}
