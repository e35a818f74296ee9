import Foundation

/// The ID-card photo rules a machine can check, over a decoded photo: the file (JPEG, size), the
/// pixels (size and ratio of the 26 × 32 mm card photo at 350 dpi, 358 × 441), colour, a plain
/// light background measured at the edges, and the head centred and whole. What a machine cannot
/// judge (expression, glasses, likeness) stays with the assistant and the office.
public enum PhotoRules {
    public static let width = 358
    public static let height = 441
    /// A larger photo of the same shape is accepted (the office scales it); up to this many times.
    public static let largestScale = 4
    public static let ratioTolerance = 0.015
    /// Fewer bytes than this has lost the detail the card's printer needs; more is not a photo.
    public static let smallestFile = 10 * 1024
    public static let largestFile = 2 * 1024 * 1024
    /// Mean luminance (0…255) the background at the edges must reach, and how even it must be.
    public static let lightestDarkBackground = 190.0
    public static let mostUnevenBackground = 22.0
    /// How far the head's centre may sit from the middle, as a share of the width.
    public static let centreTolerance = 0.06

    public struct Facts: Sendable {
        /// "jpeg", "png", or nil for neither.
        public var format: String?
        public var fileSize: Int
        public var width: Int
        public var height: Int
        public var storedInColour: Bool
        /// `width * height * 3` bytes, RGB, from the top row.
        public var rgb: [UInt8]

        public init(format: String?, fileSize: Int, width: Int, height: Int, storedInColour: Bool, rgb: [UInt8]) {
            (self.format, self.fileSize, self.width, self.height, self.storedInColour, self.rgb) =
                (format, fileSize, width, height, storedInColour, rgb)
        }
    }

    public enum Problem: Sendable, Equatable {
        case notJPEG(found: String)
        case tooSmall(width: Int, height: Int)
        case tooLarge(width: Int, height: Int)
        case wrongShape(width: Int, height: Int)
        case fileTooSmall(bytes: Int)
        case fileTooLarge(bytes: Int)
        case notInColour
        case backgroundDark(luminance: Int)
        case backgroundNotPlain
        case noHead
        case headCutOff
        case headOffCentre(percent: Int)

        /// Translation key; the arguments fill it.
        public var key: String {
            switch self {
            case .notJPEG: "photo.problem.not_jpeg"
            case .tooSmall: "photo.problem.too_small"
            case .tooLarge: "photo.problem.too_large"
            case .wrongShape: "photo.problem.wrong_shape"
            case .fileTooSmall: "photo.problem.file_too_small"
            case .fileTooLarge: "photo.problem.file_too_large"
            case .notInColour: "photo.problem.not_in_colour"
            case .backgroundDark: "photo.problem.background_dark"
            case .backgroundNotPlain: "photo.problem.background_not_plain"
            case .noHead: "photo.problem.no_head"
            case .headCutOff: "photo.problem.head_cut_off"
            case .headOffCentre: "photo.problem.head_off_centre"
            }
        }

        public var arguments: [String: String] {
            let standard = ["width": String(PhotoRules.width), "height": String(PhotoRules.height)]
            switch self {
            case .notJPEG(let found): return ["found": found.uppercased()]
            case .tooSmall(let w, let h), .tooLarge(let w, let h), .wrongShape(let w, let h):
                return standard.merging(["found": "\(w) × \(h)"]) { $1 }
            case .fileTooSmall(let bytes), .fileTooLarge(let bytes):
                return ["found": String(bytes / 1024), "min": String(PhotoRules.smallestFile / 1024),
                        "max": String(PhotoRules.largestFile / 1024 / 1024)]
            case .backgroundDark(let luminance): return ["found": String(luminance * 100 / 255)]
            case .headOffCentre(let percent): return ["found": String(percent)]
            case .notInColour, .backgroundNotPlain, .noHead, .headCutOff: return [:]
            }
        }
    }

    /// Every problem found, in the order a person would fix them; empty when the photo passes.
    public static func problems(_ photo: Facts) -> [Problem] {
        var problems: [Problem] = []
        if photo.format != "jpeg" { problems.append(.notJPEG(found: photo.format ?? "?")) }
        if photo.fileSize < smallestFile { problems.append(.fileTooSmall(bytes: photo.fileSize)) }
        if photo.fileSize > largestFile { problems.append(.fileTooLarge(bytes: photo.fileSize)) }
        let (w, h) = (photo.width, photo.height)
        if w < width || h < height {
            problems.append(.tooSmall(width: w, height: h))
        } else if w > width * largestScale || h > height * largestScale {
            problems.append(.tooLarge(width: w, height: h))
        }
        if abs(Double(w) / Double(h) / (Double(width) / Double(height)) - 1) > ratioTolerance {
            problems.append(.wrongShape(width: w, height: h))
        }
        guard w > 20, h > 20, photo.rgb.count == w * h * 3 else { return problems }
        if !photo.storedInColour || !hasColour(photo) { problems.append(.notInColour) }
        let background = edgeBackground(photo)
        if background.luminance < lightestDarkBackground {
            problems.append(.backgroundDark(luminance: Int(background.luminance)))
        } else if background.spread > mostUnevenBackground {
            problems.append(.backgroundNotPlain)
        }
        problems += headProblems(photo, background: background.colour)
        return problems
    }

    private static func pixel(_ photo: Facts, _ x: Int, _ y: Int) -> (Double, Double, Double) {
        let i = (y * photo.width + x) * 3
        return (Double(photo.rgb[i]), Double(photo.rgb[i + 1]), Double(photo.rgb[i + 2]))
    }

    private static func luminance(_ p: (Double, Double, Double)) -> Double { 0.299 * p.0 + 0.587 * p.1 + 0.114 * p.2 }

    /// A JPEG stored in colour may still carry a grey picture: some pixels must differ between channels.
    private static func hasColour(_ photo: Facts) -> Bool {
        var coloured = 0, sampled = 0
        for y in stride(from: 0, to: photo.height, by: 4) {
            for x in stride(from: 0, to: photo.width, by: 4) {
                let p = pixel(photo, x, y)
                sampled += 1
                if max(abs(p.0 - p.1), abs(p.1 - p.2), abs(p.0 - p.2)) > 12 { coloured += 1 }
            }
        }
        return coloured * 100 >= sampled
    }

    /// The strips along the top and down both sides (not the bottom, where the shoulders are).
    private static func edgeBackground(_ photo: Facts) -> (luminance: Double, spread: Double, colour: (Double, Double, Double)) {
        let band = max(2, photo.width / 20), top = max(2, photo.height / 25), sideDepth = photo.height * 3 / 5
        var values: [Double] = []
        var sum = (0.0, 0.0, 0.0)
        func take(_ x: Int, _ y: Int) {
            let p = pixel(photo, x, y)
            values.append(luminance(p))
            sum = (sum.0 + p.0, sum.1 + p.1, sum.2 + p.2)
        }
        for y in stride(from: 0, to: top, by: 2) { for x in stride(from: 0, to: photo.width, by: 2) { take(x, y) } }
        for y in stride(from: top, to: sideDepth, by: 2) {
            for x in stride(from: 0, to: band, by: 2) { take(x, y); take(photo.width - 1 - x, y) }
        }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let spread = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count).squareRoot()
        return (mean, spread, (sum.0 / count, sum.1 / count, sum.2 / count))
    }

    /// The head: pixels clearly unlike the background, in the upper part of the photo. Its top must
    /// not touch the edge, and its middle must be near the photo's.
    private static func headProblems(_ photo: Facts, background: (Double, Double, Double)) -> [Problem] {
        let (w, h) = (photo.width, photo.height)
        func isSubject(_ x: Int, _ y: Int) -> Bool {
            let p = pixel(photo, x, y)
            return abs(p.0 - background.0) + abs(p.1 - background.1) + abs(p.2 - background.2) > 90
        }
        let step = max(1, w / 180)
        var headTop: Int?
        for y in stride(from: 0, to: h * 3 / 5, by: step) {
            var count = 0
            for x in stride(from: 0, to: w, by: step) where isSubject(x, y) { count += 1 }
            if count * step * 50 >= w { headTop = y; break }   // 2% of the row
        }
        guard let headTop else { return [.noHead] }
        if headTop < h / 50 { return [.headCutOff] }
        var total = 0.0, count = 0.0
        for y in stride(from: headTop, to: min(h, headTop + h * 7 / 20), by: step) {
            for x in stride(from: 0, to: w, by: step) where isSubject(x, y) {
                total += Double(x)
                count += 1
            }
        }
        let offset = (total / count - Double(w) / 2) / Double(w)
        return abs(offset) > centreTolerance ? [.headOffCentre(percent: Int((abs(offset) * 100).rounded()))] : []
    }
}
