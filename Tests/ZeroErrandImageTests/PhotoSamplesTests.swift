import Foundation
import Testing
import ZeroErrandCore
@testable import ZeroErrandImage

/// The ID-photo rules on real sample files (Tests/Fixtures/photos), decoded by libjpeg-turbo and libpng.
@Suite struct PhotoSamplesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/photos")

    static func sample(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static func problems(_ name: String) throws -> [PhotoRules.Problem] {
        let bytes = try sample(name)
        let image = try DecodedImage.decode(bytes)
        return PhotoRules.problems(PhotoRules.Facts(format: image.format.rawValue, fileSize: bytes.count, width: image.width,
                                                    height: image.height, storedInColour: image.storedInColour, rgb: image.rgb))
    }

    @Test func aGoodPhotoPasses() throws {
        let image = try DecodedImage.decode(try Self.sample("good.jpg"))
        #expect(image.format == .jpeg && image.width == 358 && image.height == 441 && image.storedInColour)
        #expect(try Self.problems("good.jpg") == [])
    }

    @Test func eachBadPhotoIsRefusedForItsOwnReason() throws {
        #expect(try Self.problems("dark-background.jpg").contains { if case .backgroundDark = $0 { true } else { false } })
        #expect(try Self.problems("off-centre.jpg").contains { if case .headOffCentre = $0 { true } else { false } })
        #expect(try Self.problems("grey.jpg") == [.notInColour])
        #expect(try Self.problems("too-small.jpg") == [.tooSmall(width: 200, height: 246)])
        // Named .jpg, but the bytes are a PNG: refused as PNG, and still read for the other rules.
        let disguised = try Self.sample("png-disguised-as-jpeg.jpg")
        #expect(DecodedImage.format(of: disguised) == .png)
        #expect(try Self.problems("png-disguised-as-jpeg.jpg").first == .notJPEG(found: "png"))
    }

    @Test func damagedOrForeignFilesAreRefusedNotCrashedOn() throws {
        let good = try Self.sample("good.jpg")
        #expect(throws: DecodedImage.DecodeError.self) { try DecodedImage.decode(Array(good.prefix(600))) }
        #expect(throws: DecodedImage.DecodeError.notAnImage) { try DecodedImage.decode(Array("%PDF-1.7 not a photo".utf8)) }
        #expect(throws: DecodedImage.DecodeError.notAnImage) { try DecodedImage.decode([]) }
        let png = try Self.sample("png-disguised-as-jpeg.jpg")
        #expect(throws: DecodedImage.DecodeError.self) { try DecodedImage.decode(Array(png.prefix(100))) }
    }
}
