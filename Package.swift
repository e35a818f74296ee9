// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "zeroerrand",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zeroerrand", targets: ["zeroerrand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.14.3"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // QR codes and PDFs from Debian's libqrencode, cairo and pango (scripts/serve and
        // scripts/test install the -dev packages).
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .target(name: "ZeroErrandPrint", dependencies: ["CQRencode", "CPangoCairo"]),
        // ID photos decoded by Debian's libjpeg-turbo and libpng, checked in ZeroErrandCore.
        .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "ZeroErrandImage", dependencies: ["CTurboJPEG", "CPNG"]),
        // Notarial seals: an office's X.509 certificate under the platform root, and PDF
        // signatures (incremental update + detached CMS) that ordinary PDF readers verify.
        .target(
            name: "ZeroErrandSeal",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "ZeroErrandCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ZeroErrand",
            dependencies: [
                "ZeroErrandCore",
                "ZeroErrandPrint",
                "ZeroErrandSeal",
                "ZeroErrandImage",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "zeroerrand",
            dependencies: ["ZeroErrand"]
        ),
        .testTarget(name: "ZeroErrandPrintTests", dependencies: ["ZeroErrandPrint"]),
        .testTarget(name: "ZeroErrandImageTests", dependencies: ["ZeroErrandImage", "ZeroErrandCore"]),
        .testTarget(name: "ZeroErrandSealTests", dependencies: ["ZeroErrandSeal", "ZeroErrandPrint"]),
        .testTarget(
            name: "ZeroErrandCoreTests",
            dependencies: ["ZeroErrandCore"]
        ),
        .testTarget(
            name: "ZeroErrandTests",
            dependencies: [
                "ZeroErrand",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "LeafKit", package: "leaf-kit"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
