import Logging
import Vapor
import ZeroErrand

var environment = try Environment.detect()
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
do {
    try await configure(app)
    try await app.execute()
} catch {
    // Start-up problems (a missing setting, a broken catalogue file) are printed plainly.
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
