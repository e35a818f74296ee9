import Vapor

struct AdminHomePage: Encodable {
    let departmentCount: Int
    let staffCount: Int
    let servicePointCount: Int
    let matterCount: Int
    let auditEventCount: Int64
    /// Mail given up on after two days of failures, newest first.
    let deadMail: [DeadMailRow]
}

struct DeadMailRow: Encodable {
    let to: String
    let subject: String
    let written: String
    let attempts: Int
    let lastError: String
}

struct DepartmentRow: Encodable {
    let path: String
    let code: String
    let name: String
    let kind: String
    let parent: String
    let timeZone: String
}

struct DepartmentFormValues: Encodable {
    var isNew: Bool
    var action: String
    var code = ""
    var kind = ""
    var parent = ""
    var nameZh = ""
    var nameEn = ""
    var cityZh = ""
    var cityEn = ""
    var timeZone = "Asia/Shanghai"
    var bookingNoticeHours = "2"
    var changeNoticeHours = "12"
    var kinds: [Choice] = []
    var parents: [Choice] = []
    var timeZones: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()
}

struct StaffRow: Encodable {
    let path: String
    let name: String
    let email: String
    let kind: String
    let place: String
    let roles: String
    let status: String
    let secondFactor: Bool
}

struct StaffFormValues: Encodable {
    var isNew: Bool
    var action: String
    var email = ""
    var displayName = ""
    var kind = "staff"
    var kinds: [Choice] = []
    var departments: [Choice] = []
    var servicePoints: [Choice] = []
    var roles: [Choice] = []
    var suspended = false
    var suspensionPath = ""
}

struct ServicePointRow: Encodable {
    let path: String
    let code: String
    let name: String
    let city: String
    let country: String
    let timeZone: String
    let localTime: String
}

struct ServicePointFormValues: Encodable {
    var isNew: Bool
    var action: String
    var code = ""
    var nameZh = ""
    var nameEn = ""
    var cityZh = ""
    var cityEn = ""
    var country = ""
    var timeZone = ""
    var address = ""
    var contactEmail = ""
    var contactPhone = ""
    var timeZones: [String] = TimeZone.knownTimeZoneIdentifiers.sorted()
}

struct AuditRow: Encodable {
    let sequence: Int64
    let time: String
    let actor: String
    let action: String
    let object: String
    let clientAddress: String
    let details: String
}

struct AuditPage: Encodable {
    let rows: [AuditRow]
    /// Nil until verification is asked for.
    let chainStatus: String?
    let chainIntact: Bool
    let verifyPath: String
    let olderPath: String?
}
