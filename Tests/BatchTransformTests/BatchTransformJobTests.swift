import BatchTransform
import Foundation
import Testing
import UsersContract


/// Batch driver tests on temporary files.
@Suite("BatchTransformJob: streaming NDJSON transform")
struct BatchTransformJobTests {
    static func user(_ n: Int, padding: Int = 0) -> String {
        let uuid = String(format: "%08x-0000-4000-8000-%012x", n, n)
        let pad = padding > 0 ? #", "pad": "\#(String(repeating: "p", count: padding))""# : ""
        return #"{"login": {"uuid": "\#(uuid)", "password": "secret\#(n)"}, "email": "u\#(n)@example.com", "name": {"first": "U\#(n)"}\#(pad)}"#
    }

    static func uuid(_ n: Int) -> String { String(format: "%08x-0000-4000-8000-%012x", n, n) }

    struct Run {
        var result: BatchTransformResult
        var rows: [String]
        var rejects: [String]
    }

    func run(_ input: String, configure: (inout BatchTransformJob.Configuration) -> Void = { _ in }) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputURL = dir.appendingPathComponent("in.ndjson")
        try Data(input.utf8).write(to: inputURL)
        var configuration = BatchTransformJob.Configuration()
        configuration.runStartedAt = 1_767_225_600_000
        configure(&configuration)
        let result = try BatchTransformJob(configuration: configuration).run(
            inputPath: inputURL.path, outputPath: dir.appendingPathComponent("rows.ndjson").path,
            rejectsPath: dir.appendingPathComponent("rejects.ndjson").path)
        func lines(_ name: String) throws -> [String] {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            #expect(text.isEmpty || text.hasSuffix("\n"))
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        return Run(result: result, rows: try lines("rows.ndjson"), rejects: try lines("rejects.ndjson"))
    }

    func userIDs(_ rows: [String]) -> [String] {
        rows.compactMap { row in
            guard let data = row.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            return object["user_id"] as? String
        }
    }

    @Test("rows come out in input order across many chunk boundaries and both threads")
    func orderAcrossChunks() throws {
        let count = 3_000
        let input = (0..<count).map { Self.user($0) }.joined(separator: "\n") + "\n"
        #expect(input.utf8.count > 6 * 64 * 1024)
        let run = try run(input) { $0.chunkBytes = 64 * 1024; $0.threads = 2 }
        #expect(userIDs(run.rows) == (0..<count).map(Self.uuid))
        #expect(run.rejects.isEmpty)
        #expect(run.result.stats.rows == count && run.result.stats.records == count)
        #expect(run.result.bytesRead == input.utf8.count)
    }

    @Test("the same output whatever the chunk size and thread count")
    func deterministic() throws {
        var lines = (0..<1_500).map { Self.user($0, padding: $0 % 7 == 0 ? 3000 : 0) }
        for k in stride(from: 5, to: lines.count, by: 50) { lines[k] = "not json \(k)" }
        let input = lines.joined(separator: "\r\n")
        let a = try run(input) { $0.chunkBytes = 64 * 1024; $0.threads = 3 }
        let b = try run(input) { $0.chunkBytes = 8 << 20; $0.threads = 1 }
        #expect(userIDs(a.rows) == userIDs(b.rows))
        #expect(a.rejects.map { $0.replacingOccurrences(of: #""received_at":"[^"]*""#, with: "", options: .regularExpression) }
            == b.rejects.map { $0.replacingOccurrences(of: #""received_at":"[^"]*""#, with: "", options: .regularExpression) })
        #expect(a.result.stats == b.result.stats)
        #expect(a.result.stats.count(of: .notJSON) == 30)
    }

    @Test("blank and white-space-only lines are skipped; a last line without a newline is read")
    func blankLines() throws {
        let input = "\n   \n\t\r\n" + Self.user(1) + "\n\n \r\n" + Self.user(2)
        let run = try run(input)
        #expect(userIDs(run.rows) == [Self.uuid(1), Self.uuid(2)])
        #expect(run.result.blankLines == 5)
        #expect(run.result.stats.messages == 2)
    }

    @Test("an empty input gives empty outputs")
    func empty() throws {
        let run = try run("")
        #expect(run.rows.isEmpty && run.rejects.isEmpty && run.result.stats.records == 0)
    }

    @Test("the rejects file holds section 4 objects without topic, partition, offset; key is login.uuid as given")
    func rejectsContent() throws {
        let input = [
            "this is not json", #"{"login": {"uuid": " BAD ", "password": "hunter2"}, "email": "a@b.co"}"#, "[1]",
            #"{"login": {"uuid": "\#(Self.uuid(9))"}}"#,
        ].joined(separator: "\n")
        let run = try run(input)
        #expect(run.rows.isEmpty)
        #expect(run.rejects.count == 4)
        let objects = run.rejects.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == 4)
        #expect(objects.map { $0["reason"] as? String } == ["not_json", "invalid_user_id", "not_an_object", "missing_email"])
        #expect(objects.allSatisfy { $0["topic"] == nil && $0["partition"] == nil && $0["offset"] == nil })
        #expect(objects.allSatisfy { ($0["received_at"] as? String)?.hasSuffix("Z") == true })
        #expect(objects.map { $0["key"] as? String } == [nil, " BAD ", nil, Self.uuid(9)])
        #expect(objects[0]["payload"] as? String == "this is not json")
        #expect(run.rejects[1].contains(#""payload":{"login":{"uuid":" BAD "},"email":"a@b.co"}"#))
        #expect(!run.rejects.joined().contains("hunter2"))
    }

    @Test("a line over the limit is too_large with a ≤ 64 KiB scrubbed payload, without buffering it; order is kept")
    func tooLarge() throws {
        let huge = #"{"login": {"password": "topsecret"}, "x": ""# + String(repeating: "é", count: 400_000) + #""}"#
        let nearLimit = Self.user(3, padding: 90_000)  // under the limit but over the chunk size
        let input = [Self.user(1), huge, Self.user(2), nearLimit, huge].joined(separator: "\n")
        let run = try run(input) { $0.chunkBytes = 64 * 1024; $0.maxMessageBytes = 100_000 }
        #expect(userIDs(run.rows) == [Self.uuid(1), Self.uuid(2), Self.uuid(3)])
        #expect(run.rejects.count == 2)
        for line in run.rejects {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["reason"] as? String == "too_large")
            let payload = try #require(object["payload"] as? String)
            #expect(payload.utf8.count <= 65_536 && payload.utf8.count > 60_000)
            #expect(!payload.contains("topsecret"))
            #expect((object["detail"] as? String)?.contains("\(huge.utf8.count) bytes") == true)
        }
        #expect(run.result.stats.count(of: .tooLarge) == 2 && run.result.stats.records == 5)
    }

    @Test("a line over the limit at the very end of the input, without a newline")
    func tooLargeAtEnd() throws {
        let huge = String(repeating: "x", count: 300_000)
        let run = try run(Self.user(1) + "\n" + huge) { $0.chunkBytes = 64 * 1024; $0.maxMessageBytes = 100_000 }
        #expect(run.rows.count == 1 && run.rejects.count == 1)
        #expect(run.result.stats.count(of: .tooLarge) == 1)
    }

    @Test("an envelope line yields one row per element; results: [] yields nothing")
    func envelopes() throws {
        let input = #"{"results": [\#(Self.user(1)), \#(Self.user(2))], "info": {}}"# + "\n" + #"{"results": [], "info": {}}"#
        let run = try run(input)
        #expect(userIDs(run.rows) == [Self.uuid(1), Self.uuid(2)])
        #expect(run.result.stats.emptyEnvelopes == 1 && run.result.stats.records == 2)
    }

    @Test("the summary names counts by outcome, every reject reason and every violation")
    func summary() throws {
        let run = try run("nope\n" + Self.user(1) + "\n")
        let text = run.result.summaryText
        #expect(text.contains("rows") && text.contains("rejected"))
        for reason in RejectReason.allCases { #expect(text.contains(reason.code)) }
        for violation in QualityViolation.allCases { #expect(text.contains(violation.code)) }
        #expect(text.contains("records/s"))
    }

    @Test("a failing output (a full disk) is a write_failed error, not a crash or a hang")
    func writeFailure() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputURL = dir.appendingPathComponent("in.ndjson")
        try Data(((0..<3_000).map { Self.user($0) }.joined(separator: "\n")).utf8).write(to: inputURL)
        var configuration = BatchTransformJob.Configuration()
        configuration.chunkBytes = 64 * 1024
        do {
            _ = try BatchTransformJob(configuration: configuration).run(
                inputPath: inputURL.path, outputPath: "/dev/full", rejectsPath: "/dev/null")
            Issue.record("writing to /dev/full must fail")
        } catch {
            #expect(error.code == .writeFailed && error.path == "/dev/full")
        }
    }

    @Test("an input that cannot be read (a directory) is a read_failed error")
    func readFailure() {
        do {
            _ = try BatchTransformJob().run(
                inputPath: FileManager.default.temporaryDirectory.path, outputPath: "/dev/null", rejectsPath: "/dev/null")
            Issue.record("reading a directory must fail")
        } catch {
            #expect(error.code == .readFailed)
        }
    }

    @Test("a missing input file is an open_failed error")
    func missingFile() {
        #expect(throws: BatchTransformError.self) {
            try BatchTransformJob().run(inputPath: "/nonexistent/in", outputPath: "/dev/null", rejectsPath: "/dev/null")
        }
    }
}

@Suite("BatchTransformJob: file descriptors and pipes")
struct BatchTransformPipeTests {
    @Test("reads a pipe that delivers the input in small pieces, as stdin would")
    func pipeInput() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let lines = (0..<2_000).map { BatchTransformJobTests.user($0) }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let writerFD = fds[1]
        let feeder = Thread {
            var offset = 0
            while offset < input.count {
                let n = input[offset..<min(input.count, offset + 4093)].withUnsafeBytes { write(writerFD, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                offset += n
            }
            close(writerFD)
        }
        feeder.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rowsPath = dir.appendingPathComponent("rows").path
        let rejectsPath = dir.appendingPathComponent("rejects").path
        let rowsFD = open(rowsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let rejectsFD = open(rejectsPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var configuration = BatchTransformJob.Configuration()
        configuration.chunkBytes = 64 * 1024
        let result = try BatchTransformJob(configuration: configuration).run(
            inputDescriptor: fds[0], outputDescriptor: rowsFD, rejectsDescriptor: rejectsFD)
        close(fds[0])
        close(rowsFD)
        close(rejectsFD)
        #expect(result.stats.rows == 2_000 && result.bytesRead == input.count)
        let rows = try String(contentsOfFile: rowsPath, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 2_000)
        #expect(rows.first?.contains(BatchTransformJobTests.uuid(0)) == true)
        #expect(rows.last?.contains(BatchTransformJobTests.uuid(1_999)) == true)
    }
}
