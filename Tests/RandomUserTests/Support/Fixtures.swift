import Foundation

/// Finds the shared fixtures: `<repo root>/../shared/fixtures`, else `$USERSTREAM_SHARED/fixtures`.
enum Fixtures {
    static let sharedFolder: URL? = {
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                let shared = folder.deletingLastPathComponent().appendingPathComponent("shared")
                if FileManager.default.fileExists(atPath: shared.path) { return shared }
                break
            }
            folder = folder.deletingLastPathComponent()
        }
        if let path = ProcessInfo.processInfo.environment["USERSTREAM_SHARED"] {
            return URL(fileURLWithPath: path)
        }
        return nil
    }()

    /// The bytes of `fixtures/randomuser/<name>`.
    static func randomUser(_ name: String) throws -> [UInt8] {
        guard let shared = self.sharedFolder else { throw FixtureMissing(name: name) }
        let url = shared.appendingPathComponent("fixtures/randomuser").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    /// The names of the RandomUser fixture files (`*.json`).
    static func randomUserFiles() -> [String] {
        guard let shared = self.sharedFolder,
            let names = try? FileManager.default.contentsOfDirectory(
                atPath: shared.appendingPathComponent("fixtures/randomuser").path)
        else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    struct FixtureMissing: Error {
        var name: String
    }
}

/// Parses JSON bytes with Foundation (tests only: an independent check that output is valid JSON).
func foundationJSON(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

extension Array where Element == UInt8 {
    /// The bytes as text (for readable expectations).
    var text: String { String(decoding: self, as: UTF8.self) }
}
