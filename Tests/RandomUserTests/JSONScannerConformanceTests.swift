import Foundation
import Testing

@testable import RandomUser

@Suite("The page scanner against JSONTestSuite")
struct JSONScannerConformanceTests {
    static func cases(_ prefix: String) -> [String] {
        guard let shared = Fixtures.sharedFolder,
            let names = try? FileManager.default.contentsOfDirectory(
                atPath: shared.appendingPathComponent("fixtures/json-test-suite/test_parsing").path)
        else { return [] }
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func load(_ name: String) throws -> [UInt8] {
        let shared = try #require(Fixtures.sharedFolder)
        return Array(try Data(contentsOf: shared.appendingPathComponent("fixtures/json-test-suite/test_parsing/\(name)")))
    }

    /// Whether the scanner takes `bytes` as one JSON text.
    static func accepts(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            do throws(JSONScanError) {
                try scanner.skipValue()
                scanner.skipWhitespace()
                return scanner.isAtEnd
            } catch {
                return false
            }
        }
    }

    @Test("every y_ text is accepted, and its compact form keeps every byte but white space", arguments: cases("y_"))
    func accepted(name: String) throws {
        let bytes = try Self.load(name)
        #expect(Self.accepts(bytes))
        let compact = JSONMinifier.minify(bytes)
        #expect(Self.accepts(compact))
        #expect(JSONMinifier.minify(compact) == compact)
    }

    @Test("every n_ text is rejected", arguments: cases("n_"))
    func rejected(name: String) throws {
        let bytes = try Self.load(name)
        #expect(!Self.accepts(bytes), "\(name): \(String(decoding: bytes.prefix(60), as: UTF8.self))")
    }

    @Test("i_ texts never crash or hang the scanner", arguments: cases("i_"))
    func implementationDefined(name: String) throws {
        _ = Self.accepts(try Self.load(name))
    }
}
