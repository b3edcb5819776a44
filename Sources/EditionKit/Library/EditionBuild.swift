import Foundation

/// One edition of a publish: its EPUB, print HTML and PDF built by the pipeline into the
/// cache folder (the PDF only when the print edition changed), and the files of the site that
/// come from them (the downloads, the cover and its thumbnail).
struct EditionBuild {
    let book: Book
    let options: PublishOptions
    let styles: URL

    var slug: String { book.metadata.slug }

    func run(progress: (String) -> Void) throws -> (PublishedEdition, [SiteFile], [Diagnostic]) {
        let cache = options.cacheFolder.appendingPathComponent(slug, isDirectory: true)
        var build = BuildOptions(book: book.root.path, output: cache.path)
        build.styles = styles.path
        build.environment = options.environment
        build.print = options.pdf
        progress("Building \(slug): EPUB\(options.pdf ? " and print edition" : "")")
        var report = try Pipeline.build(build) { progress("  \($0)") }
        var files: [SiteFile] = []

        let epubData = try Data(contentsOf: cache.appendingPathComponent("\(slug).epub"))
        let epub = Download(path: "\(slug)/\(slug).epub", mediaType: "application/epub+zip", length: epubData.count)
        files.append(SiteFile(path: epub.path, data: epubData))

        var pdf: Download?
        if options.pdf {
            let pdfURL = cache.appendingPathComponent("\(slug).pdf")
            let stamp = cache.appendingPathComponent("\(slug).pdf.source")
            let fingerprint = try Self.fingerprint(of: cache.appendingPathComponent("print", isDirectory: true))
            let previous = try? String(contentsOf: stamp, encoding: .utf8)
            if previous != fingerprint || !FileManager.default.fileExists(atPath: pdfURL.path) {
                progress("Making the PDF of \(slug) with WeasyPrint")
                let html = cache.appendingPathComponent("print/\(slug).html")
                report.diagnostics += try PDFWriter(environment: options.environment).write(html: html, to: pdfURL)
                try AtomicFile.write(Data(fingerprint.utf8), to: stamp)
            }
            let pdfData = try Data(contentsOf: pdfURL)
            pdf = Download(path: "\(slug)/\(slug).pdf", mediaType: "application/pdf", length: pdfData.count)
            files.append(SiteFile(path: pdf!.path, data: pdfData))
        }

        let (cover, thumbnail, coverFiles) = try covers()
        files += coverFiles
        let edition = PublishedEdition(book: book, folder: slug, epub: epub, pdf: pdf, cover: cover, thumbnail: thumbnail,
                                       updated: try updated())
        return (edition, files, report.diagnostics.filter { $0.severity == .warning && !Self.isCheckWarning($0) })
    }

    /// The check's warnings were reported with the library's; the build's own (WeasyPrint's) are new.
    static func isCheckWarning(_ diagnostic: Diagnostic) -> Bool { diagnostic.code != .pdfWarning }

    /// The cover and its thumbnail as raster images (what reading apps show): the book's own
    /// cover image, else the generated one drawn as a PNG.
    func covers() throws -> (Download, Download, [SiteFile]) {
        let image = try CoverImage(book: book, environment: options.environment)
        let cover = try image.raster(), thumbnail = try image.thumbnail()
        let coverDownload = Download(path: "\(slug)/cover.\(cover.fileExtension)", mediaType: cover.mediaType, length: cover.data.count)
        let thumbnailDownload = Download(path: "\(slug)/cover-thumbnail.\(thumbnail.fileExtension)", mediaType: thumbnail.mediaType,
                                         length: thumbnail.data.count)
        return (coverDownload, thumbnailDownload,
                [SiteFile(path: coverDownload.path, data: cover.data), SiteFile(path: thumbnailDownload.path, data: thumbnail.data)])
    }

    /// The edition's latest revision: the newest modification of its sources (book.yaml, the
    /// articles, the cover and images), never before its publication date; SOURCE_DATE_EPOCH
    /// when it is set, for reproducible builds.
    func updated() throws -> String {
        let published = BuildDate(isoDate: book.metadata.date, environment: [:])
        if let text = options.environment["SOURCE_DATE_EPOCH"], let epoch = Int(text.trimmingCharacters(in: .whitespaces)), epoch >= 0 {
            return BuildDate(epoch: epoch).iso8601
        }
        var sources = [BookLoader.manifestName] + book.articles.map(\.file)
        if let cover = book.metadata.cover { sources.append(cover) }
        sources += book.images.compactMap { book.localFile(forImage: $0.source)?.path }
        var newest = published.epoch
        for source in sources {
            let path = source.hasPrefix("/") ? source : book.root.appendingPathComponent(source).path
            if let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
                newest = max(newest, Int(date.timeIntervalSince1970))
            }
        }
        return BuildDate(epoch: newest).iso8601
    }

    /// A fingerprint of a folder's files (names and bytes, FNV-1a 64): the PDF is made again
    /// only when the print edition it comes from changed.
    static func fingerprint(of folder: URL) throws -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        let names = (FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []).sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue,
                  !name.hasPrefix(".") else { continue }
            mix(Array(name.utf8) + [0])
            mix(try Data(contentsOf: url))
        }
        return String(hash, radix: 16)
    }
}
