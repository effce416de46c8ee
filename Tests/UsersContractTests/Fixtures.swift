import Foundation

/// Finds the shared fixtures (UsersContractTests copy): `<repo>/../shared/fixtures`, else `$USERSTREAM_SHARED/fixtures`.
enum Fixtures {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                let shared = url.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
                if FileManager.default.fileExists(atPath: shared.path) { return shared }
                break
            }
            url = url.deletingLastPathComponent()
        }
        let env = ProcessInfo.processInfo.environment["USERSTREAM_SHARED"] ?? "/work/shared"
        return URL(fileURLWithPath: env).appendingPathComponent("fixtures")
    }()

    /// The files of `test_parsing` of the JSON test suite.
    static var jsonTestSuiteFiles: [String] {
        let dir = directory.appendingPathComponent("json-test-suite/test_parsing")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    static func jsonTestSuite(_ name: String) throws -> [UInt8] {
        let url = directory.appendingPathComponent("json-test-suite/test_parsing").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    static func randomUser(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent("randomuser").appendingPathComponent(name)))
    }
}
