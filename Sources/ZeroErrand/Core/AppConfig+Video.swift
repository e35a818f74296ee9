import Foundation

/// Settings for live video: the ICE servers browsers use to reach each other, and recordings.
struct VideoConfig: Sendable, Equatable {
    /// `stun:` URLs (`ZE_STUN_URLS`, comma-separated). Without any, browsers on one network still connect.
    var stunURLs: [String] = []
    /// `turn:`/`turns:` URLs (`ZE_TURN_URLS`) of a TURN server sharing `turnSecret` (`ZE_TURN_SECRET`) with the app.
    var turnURLs: [String] = []
    var turnSecret: String?
    /// How long TURN credentials handed to a browser stay valid (`ZE_TURN_TTL_SECONDS`, default 1 hour).
    var turnLifetime: TimeInterval = 3600
    /// Browsers use the TURN relay only, never a direct path (`ZE_ICE_RELAY_ONLY=true`): hides
    /// participants' addresses from each other, and lets tests prove the relay path.
    var relayOnly = false
    /// Largest recording accepted, in bytes (`ZE_RECORDING_LIMIT_MB`, default 1024 MiB).
    var recordingLimit = 1024 * 1024 * 1024
    /// How long the citizen and the official must have been in the room together, from the
    /// appointment's start, before "identity confirmed" can be recorded (`ZE_VIDEO_MIN_TOGETHER_SECONDS`, default 60).
    var minimumTogether: TimeInterval = 60
    /// Largest single uploaded chunk of a recording.
    var chunkLimit = 8 * 1024 * 1024

    static func load(_ get: (String) -> String?) throws -> VideoConfig {
        var config = VideoConfig()
        func urls(_ name: String, schemes: [String]) throws -> [String] {
            let list = (get(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for url in list where !schemes.contains(where: { url.hasPrefix($0 + ":") }) {
                throw AppConfig.Invalid(setting: name, problem: "must list \(schemes.joined(separator: "/")): URLs, not \(url)")
            }
            return list
        }
        config.stunURLs = try urls("ZE_STUN_URLS", schemes: ["stun", "stuns"])
        config.turnURLs = try urls("ZE_TURN_URLS", schemes: ["turn", "turns"])
        config.turnSecret = get("ZE_TURN_SECRET")
        if !config.turnURLs.isEmpty && config.turnSecret == nil {
            throw AppConfig.Invalid(setting: "ZE_TURN_SECRET", problem: "is missing: ZE_TURN_URLS needs the TURN server's shared secret (static-auth-secret)")
        }
        if let text = get("ZE_TURN_TTL_SECONDS") {
            guard let seconds = Int(text), (60...86400).contains(seconds) else {
                throw AppConfig.Invalid(setting: "ZE_TURN_TTL_SECONDS", problem: "must be a number of seconds from 60 to 86400, not \(text)")
            }
            config.turnLifetime = TimeInterval(seconds)
        }
        if let text = get("ZE_ICE_RELAY_ONLY") {
            guard let value = Bool(text) else {
                throw AppConfig.Invalid(setting: "ZE_ICE_RELAY_ONLY", problem: "must be true or false, not \(text)")
            }
            if value && config.turnURLs.isEmpty {
                throw AppConfig.Invalid(setting: "ZE_ICE_RELAY_ONLY", problem: "needs ZE_TURN_URLS: relay-only calls go through a TURN server")
            }
            config.relayOnly = value
        }
        if let text = get("ZE_RECORDING_LIMIT_MB") {
            guard let megabytes = Int(text), (1...16384).contains(megabytes) else {
                throw AppConfig.Invalid(setting: "ZE_RECORDING_LIMIT_MB", problem: "must be a whole number of MiB from 1 to 16384, not \(text)")
            }
            config.recordingLimit = megabytes * 1024 * 1024
        }
        if let text = get("ZE_VIDEO_MIN_TOGETHER_SECONDS") {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw AppConfig.Invalid(setting: "ZE_VIDEO_MIN_TOGETHER_SECONDS", problem: "must be a number of seconds from 1 to 3600, not \(text)")
            }
            config.minimumTogether = TimeInterval(seconds)
        }
        return config
    }
}
