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
        progress("Building \(slug): EPUB\(options.pdf ? ", print edition and PDF" : "")")
        build.pdf = options.pdf
        // The pipeline's cache (in the edition's build folder) makes again only what changed,
        // the PDF included.
        build.cache = true
        let report = try Pipeline.build(build)
        var files: [SiteFile] = []

        let epubData = try Data(contentsOf: cache.appendingPathComponent("\(slug).epub"))
        let epub = Download(path: "\(slug)/\(slug).epub", mediaType: "application/epub+zip", length: epubData.count)
        files.append(SiteFile(path: epub.path, data: epubData))

        var pdf: Download?
        if options.pdf {
            let pdfData = try Data(contentsOf: cache.appendingPathComponent("\(slug).pdf"))
            pdf = Download(path: "\(slug)/\(slug).pdf", mediaType: "application/pdf", length: pdfData.count)
            files.append(SiteFile(path: "\(slug)/\(slug).pdf", data: pdfData))
        }
        let context = EditionContext(book: book)
        for image in WebRenderer.imagePaths(context, folder: slug) {
            files.append(SiteFile(path: image.path, data: try Data(contentsOf: image.file)))
        }

        let (cover, thumbnail, coverFiles) = try covers(drawn: report.cover)
        files += coverFiles
        let edition = PublishedEdition(context: context, folder: slug, epub: epub, pdf: pdf, cover: cover, thumbnail: thumbnail,
                                       updated: try updated())
        // The check's diagnostics were reported with the library's; WeasyPrint's are new.
        return (edition, files, report.diagnostics.filter { $0.code == .pdfWarning })
    }

    /// The cover and its thumbnail as raster images (what reading apps show): the book's own
    /// cover image, else the generated one drawn as a PNG — the one the EPUB's build drew
    /// (`drawn`), not drawn a second time.
    func covers(drawn: Data? = nil) throws -> (Download, Download, [SiteFile]) {
        var image = try CoverImage(book: book)
        if let drawn, let coverSVG = image.svg {
            image.memo = { svg, height, draw in
                svg == coverSVG && height == CoverImage.rasterHeight ? drawn : try draw()
            }
        }
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
        sources += EditionContext(book: book).images.map(\.file.path)
        var newest = published.epoch
        for source in sources {
            let path = source.hasPrefix("/") ? source : book.root.appendingPathComponent(source).path
            if let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
                newest = max(newest, Int(date.timeIntervalSince1970))
            }
        }
        return BuildDate(epoch: newest).iso8601
    }
}
