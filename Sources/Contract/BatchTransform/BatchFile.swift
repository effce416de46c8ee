#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file descriptor with the blocking read/write loops the batch job needs.
struct BatchFile {
    let fd: Int32
    let name: String
    let owned: Bool

    static func openInput(_ path: String) throws(BatchTransformError) -> BatchFile {
        if path == "-" { return BatchFile(fd: 0, name: "-", owned: false) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BatchTransformError(code: .openFailed, path: path, errno: errno) }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)  // a hint for a larger read-ahead; failure is harmless
        #endif
        return BatchFile(fd: fd, name: path, owned: true)
    }

    static func openOutput(_ path: String) throws(BatchTransformError) -> BatchFile {
        if path == "-" { return BatchFile(fd: 1, name: "-", owned: false) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BatchTransformError(code: .openFailed, path: path, errno: errno) }
        return BatchFile(fd: fd, name: path, owned: true)
    }

    func close() {
        if owned { _ = systemClose(fd) }
    }

    /// Reads up to `count` bytes at `pointer`; 0 at the end of the input.
    func read(into pointer: UnsafeMutableRawPointer, count: Int) throws(BatchTransformError) -> Int {
        while true {
            let n = systemRead(fd, pointer, count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw BatchTransformError(code: .readFailed, path: name, errno: errno)
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(BatchTransformError) {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let n = systemWrite(fd, pointer, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                throw BatchTransformError(code: .writeFailed, path: name, errno: errno)
            }
            pointer += n
            remaining -= n
        }
    }

    func write(_ bytes: [UInt8]) throws(BatchTransformError) {
        let result: Result<Void, BatchTransformError> = bytes.withUnsafeBytes { buffer in
            do throws(BatchTransformError) {
                try write(buffer)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}

// The C calls under names the struct's own methods do not shadow.
private func systemRead(_ fd: Int32, _ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, pointer, count) }
private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, pointer, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
