import Crypto
import Foundation

/// Content-addressed files `sha256-<digest>` in one directory.
///
/// A file enters under a temporary name (`.tmp-<pid>-<uuid>`): hard-linked to the source when
/// the file system allows, else copied while hashing. It is hashed, synced, and renamed to its
/// digest name only by `publish`, which the catalog calls inside its write transaction. So a
/// name `sha256-<digest>` always holds complete bytes with that digest; an interrupted import
/// leaves at worst an unreferenced blob or a temporary file, which `gc` removes.
struct BlobStore: Sendable {
    /// The blobs directory.
    let directory: String
    /// Read and write chunk size.
    static let chunkSize = 4 << 20
    /// Prefix of temporary files.
    static let temporaryPrefix = ".tmp-"

    /// A file staged under a temporary name, hashed.
    struct Staged {
        let temporaryPath: String
        let digest: String
        let size: Int64
        let linked: Bool
    }

    /// The path of the blob with `digest`.
    func path(for digest: String) -> String { directory + "/sha256-" + digest }

    /// Whether the blob with `digest` is stored.
    func contains(_ digest: String) -> Bool { FileManager.default.fileExists(atPath: path(for: digest)) }

    /// Stages `source`: hard link (when `mayLink` and the file system allows) or copy under a
    /// temporary name, hashed and synced. `progress` is called with (bytes hashed, total) after every chunk.
    func stage(_ source: String, mayLink: Bool, progress: ((Int64, Int64) -> Void)?) throws(CatalogError) -> Staged {
        let temporary = directory + "/" + Self.temporaryPrefix + "\(getpid())-" + UUID().uuidString
        // AT_SYMLINK_FOLLOW: link the file a symlink names, never the symlink itself.
        let linked = mayLink && linkat(AT_FDCWD, source, AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0
        do {
            let (digest, size) = linked
                ? try Self.hash(path: temporary, copyTo: nil, progress: progress)
                : try Self.hash(path: source, copyTo: temporary, progress: progress)
            return Staged(temporaryPath: temporary, digest: digest, size: size, linked: linked)
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Moves a staged file to its digest name (or drops it when that blob exists) and syncs the
    /// directory, so the name survives a crash.
    func publish(_ staged: Staged) throws(CatalogError) {
        let destination = path(for: staged.digest)
        if FileManager.default.fileExists(atPath: destination) {
            unlink(staged.temporaryPath)
            return
        }
        guard rename(staged.temporaryPath, destination) == 0 else {
            throw Self.ioError(destination, "cannot rename the staged blob")
        }
        try syncDirectory()
    }

    /// Removes the staged file of an import that did not go through.
    func discard(_ staged: Staged) { unlink(staged.temporaryPath) }

    /// Removes the blob with `digest`.
    func remove(_ digest: String) throws(CatalogError) {
        guard unlink(path(for: digest)) == 0 else { throw Self.ioError(path(for: digest), "cannot remove the blob") }
        try syncDirectory()
    }

    /// Digests of the stored blobs and the names of temporary files.
    func listing() throws(CatalogError) -> (digests: [String], temporaries: [String]) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw .io(path: directory, reason: "cannot list the blob store (\(error.localizedDescription))")
        }
        let digests = names.filter { $0.hasPrefix("sha256-") }.map { String($0.dropFirst("sha256-".count)) }
        let temporaries = names.filter { $0.hasPrefix(Self.temporaryPrefix) }
        return (digests.sorted(), temporaries.sorted())
    }

    /// The sha256 (lowercase hex) and size of the file at `path`, read in chunks; with `copyTo`,
    /// the bytes are also written (and synced) there. The file at `path` is synced as well.
    static func hash(
        path: String, copyTo destination: String?, progress: ((Int64, Int64) -> Void)?
    ) throws(CatalogError) -> (String, Int64) {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ioError(path, "cannot open") }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw ioError(path, "cannot stat") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .io(path: path, reason: "not a regular file") }
        let total = Int64(info.st_size)
        var output: Int32 = -1
        if let destination {
            output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
            guard output >= 0 else { throw ioError(destination, "cannot create") }
        }
        defer { if output >= 0 { close(output) } }
        var hasher = SHA256()
        var done: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "read failed")
            }
            if count == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0 ..< count])
            hasher.update(bufferPointer: chunk)
            if output >= 0 { try writeAll(chunk, to: output, path: destination ?? "") }
            done += Int64(count)
            progress?(done, total)
        }
        if output >= 0, fsync(output) != 0 { throw ioError(destination ?? "", "fsync failed") }
        if output < 0, fsync(input) != 0, errno != EINVAL, errno != EBADF { throw ioError(path, "fsync failed") }
        return (hex(hasher.finalize()), done)
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws(CatalogError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw ioError(path, "write failed")
            }
            offset += written
        }
    }

    private func syncDirectory() throws(CatalogError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.ioError(directory, "cannot open") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Self.ioError(directory, "fsync failed") }
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func ioError(_ path: String, _ what: String) -> CatalogError {
        .io(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
