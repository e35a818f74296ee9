import Foundation
import NIOConcurrencyHelpers
import Vapor
import ZeroErrandCore

/// The clock, randomness and other outside effects, injected so tests pin them.
struct AppDependencies: Sendable {
    var config: AppConfig
    var clock: AppClock
    var random: RandomSource
    var translator: Translator
    var passwordPolicy: PasswordPolicy
    var passwordHasher: PasswordHasher
    var secrets: Secrets
    /// Chinese public holidays and working weekends, for legal time limits.
    var workingCalendar: WorkingDayCalendar
    var documents: DocumentStore
    var recordingRetention: RecordingRetention
    /// Which matters end in a notarial certificate, and how each office numbers them.
    var notarial: NotarialCatalogue
    /// The courts that mediate, and their case-number codes.
    var mediationCourts: MediationCourts
    /// The requests done by several offices as one (一件事).
    var bundles: BundleCatalogue
    /// Cities a visitor may type to find the nearest service point.
    var cities: Gazetteer
    /// The statutory time limits of letters and visits.
    var petitionLimits: PetitionTimeLimits
    /// The certificate verification pages' texts, in five languages.
    var verificationTexts: VerificationTexts
}

/// Wall-clock time; tests replace it with a `ManualClock`.
struct AppClock: Sendable {
    let now: @Sendable () -> Date
    static let system = AppClock { Date() }
}

/// Cryptographically secure random bytes; tests may replace it to pin identifiers.
struct RandomSource: Sendable {
    let bytes: @Sendable (Int) -> [UInt8]
    static let system = RandomSource { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// URL-safe base64 without padding: fits cookies, form fields and link fragments.
    func token(bytes count: Int = 32) -> String {
        Data(bytes(count)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension Application {
    private struct DependenciesKey: StorageKey { typealias Value = AppDependencies }

    var dependencies: AppDependencies {
        get {
            guard let value = storage[DependenciesKey.self] else { fatalError("configure(_:) has not run") }
            return value
        }
        set {
            storage[DependenciesKey.self] = newValue
            storage[HotDependenciesKey.self] = HotDependencies(clock: newValue.clock, translator: newValue.translator)
        }
    }

    /// The two dependencies nearly every line of a page asks for, kept apart: reading the whole
    /// `dependencies` copies every field out of storage, which a profile of the queue page showed
    /// as a few percent of its time when done per translated text.
    fileprivate var hot: HotDependencies {
        guard let value = storage[HotDependenciesKey.self] else { fatalError("configure(_:) has not run") }
        return value
    }

    private struct HotDependenciesKey: StorageKey { typealias Value = HotDependencies }
}

private struct HotDependencies: Sendable {
    let clock: AppClock
    let translator: Translator
}

extension Request {
    var dependencies: AppDependencies { application.dependencies }
    var now: Date { application.hot.clock.now() }
    var translator: Translator { application.hot.translator }
}
