import Fluent
import Foundation
import ZeroErrandCore

/// A row that holds the wrapped data key of one file in the document store.
protocol HasWrappedKey: AnyObject {
    var wrappedKey: WrappedKey { get set }
}

/// A file kept encrypted in the document store, as the row that records it describes it: enough to
/// send it back (`DocumentUpload.send`) and to check its bytes on the way.
protocol StoredFile: HasWrappedKey {
    var storageName: String { get set }
    /// Hex SHA-256 of the plaintext.
    var sha256: String { get set }
    var size: Int64 { get set }
    var kind: FileKind { get set }
    /// The name on the uploader's device, kept only as data, never as a path.
    var originalName: String { get set }
}

extension StoredFile {
    /// Describes the file just streamed into the store under the uploader's `name`.
    func describe(_ stored: DocumentStore.Stored, name: String) {
        originalName = name
        kind = stored.kind
        size = stored.size
        sha256 = stored.sha256
        storageName = stored.storageName
        wrappedKey = stored.wrappedKey
    }
}

/// A table whose rows hold wrapped data keys. Every such table is listed in
/// `DocumentKeyRotation.tables`, so a new master key reaches every file before the old one is retired.
protocol KeyWrappedRow: Model where IDValue == UUID {
    /// The wrapped key, nil where the row has no file (yet, or any more).
    var dataKey: WrappedKey? { get set }
}

extension KeyWrappedRow where Self: HasWrappedKey {
    var dataKey: WrappedKey? {
        get { wrappedKey }
        set { if let newValue { wrappedKey = newValue } }
    }
}

extension CaseDocument: StoredFile, KeyWrappedRow {}
extension VideoRecordingChunk: HasWrappedKey, KeyWrappedRow {}
extension SignatureDrawing: HasWrappedKey, KeyWrappedRow {}

/// A recording has its key only once its chunks are joined into one file.
extension VideoRecording: KeyWrappedRow {
    var dataKey: WrappedKey? {
        get { wrappedKey }
        set { wrappedKey = newValue }
    }
}
