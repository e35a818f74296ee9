import CPangoCairo

/// Collects bytes cairo streams out. A class because cairo only hands the
/// callback an opaque pointer, which we get from `Unmanaged`.
final class ByteSink {
    var bytes: [UInt8] = []

    /// Runs `body` with a context pointer suitable for `writeToByteSink`.
    /// The sink is retained for the duration so the pointer cannot dangle.
    func withContext<R, E: Error>(_ body: (UnsafeMutableRawPointer) throws(E) -> R) throws(E) -> R {
        let unmanaged = Unmanaged.passRetained(self)
        defer { unmanaged.release() }
        return try body(unmanaged.toOpaque())
    }
}

/// A non-capturing closure, so it converts to the C function pointer type
/// cairo_write_func_t.
let writeToByteSink: cairo_write_func_t = { closure, data, length in
    guard let closure else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    if let data, length > 0 {
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    }
    return CAIRO_STATUS_SUCCESS
}

func cairoMessage(_ status: cairo_status_t) -> String {
    String(cString: cairo_status_to_string(status))
}

/// cairo objects go into an error state instead of failing loudly; this
/// turns that state into a thrown error at the points we care about.
func check(_ status: cairo_status_t, _ what: String) throws(PrintError) {
    guard status == CAIRO_STATUS_SUCCESS else {
        throw .pdfFailed("\(what): \(cairoMessage(status))")
    }
}
