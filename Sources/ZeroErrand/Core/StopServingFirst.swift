import Vapor

/// Registered last, so it stops first: the rooms close their sockets, the HTTP server stops
/// taking requests, and the socket handlers finish their last writes, all before the workers and
/// the database shut down. Vapor stops the server only after every handler, while a request could
/// still reach a database already closed (and crash).
struct StopServingFirst: LifecycleHandler {
    func shutdownAsync(_ application: Application) async {
        await application.videoRooms.closeAll()
        await application.server.shutdown()
        await application.videoRooms.drained()
    }
}
