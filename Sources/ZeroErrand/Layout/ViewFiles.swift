import Leaf
import LeafKit
import NIOCore
import NIOPosix

/// The templates in `Resources/Views/`, wherever that folder sits. Leaf's default limits refuse any
/// path with a folder starting with a dot, so a checkout under `~/.cache` failed on every page;
/// here the sandbox keeps reads inside the views folder, and only the template's own name (the
/// part under that folder) may not name a hidden file or folder.
struct ViewFiles: LeafSource, Sendable {
    let files: NIOLeafFiles

    init(directory: String, fileio: NonBlockingFileIO) {
        files = NIOLeafFiles(fileio: fileio, limits: [.toSandbox, .requireExtensions],
                             sandboxDirectory: directory, viewDirectory: directory)
    }

    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        if let hidden = template.split(separator: "/").first(where: { $0.hasPrefix(".") }) {
            throw LeafError(.illegalAccess("Attempted to access \(hidden)"))
        }
        return try files.file(template: template, escape: escape, on: eventLoop)
    }
}
