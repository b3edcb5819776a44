// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "edition",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "edition", targets: ["edition"]),
        .library(name: "EditionKit", targets: ["EditionKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // `edition serve`: a maintained HTTP server on SwiftNIO (see README, "edition serve").
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CLibZip", pkgConfig: "libzip",
                       providers: [.apt(["libzip-dev"])]),
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // libdeflate: the EPUB's entries, deflated on every core (Packaging/Deflate.swift).
        .systemLibrary(name: "CLibDeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"])]),
        // librsvg, cairo and libpng, behind one small C wrapper (CSVGRaster): the raster cover.
        // libpng is linked; librsvg (with cairo) is opened at the first drawing, so that the
        // libraries it brings cost nothing to the runs that draw no cover (svg_raster.c).
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .target(name: "CSVGRaster", dependencies: ["CLibPNG"]),
        .target(
            name: "EditionKit",
            dependencies: ["CLibXML2", "CLibZip", "CCmarkGFM", "CLibDeflate", "CSVGRaster", "Yams",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "edition",
            dependencies: ["EditionKit", "EditionImport", "EditionServe",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "EditionServe",
            dependencies: ["EditionKit", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .target(name: "EditionImport"),
        // The libFuzzer harness (scripts/fuzz); a do-nothing executable in a normal build.
        .executableTarget(name: "EditionFuzz", dependencies: ["EditionKit"]),
        .testTarget(name: "EditionImportTests", dependencies: ["EditionImport"]),
        .testTarget(
            name: "EditionKitTests",
            dependencies: ["EditionKit", "EditionServe", "CLibPNG"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
