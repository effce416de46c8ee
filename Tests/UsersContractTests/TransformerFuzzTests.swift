import Foundation
import Testing
import StreamJSON
import UsersContract

@Suite("Fuzz: the transformer never crashes and only emits valid JSON without secrets")
struct TransformerFuzzTests {
    @Test("5,000 mutated users: every outcome encodes to valid JSON and leaks no secret")
    func mutatedUsers() {
        var generator = SyntheticUsers(seed: 99)
        var random = SyntheticUsers.Random(state: 1234)
        var transformer = UserTransformer(options: TransformOptions(maxMessageBytes: 4096, runStartedAt: Harness.runStartedAt))
        var parser = JSONParser()
        var invalidOutputs = 0
        var leaks = 0
        var outcomes = 0
        for _ in 0..<5_000 {
            let user = generator.user()
            var bytes = Array(user.json.utf8)
            for _ in 0...random.int(0...3) {
                switch random.int(0...4) {
                case 0: bytes[random.int(0...(bytes.count - 1))] ^= UInt8(1 << random.int(0...7))
                case 1: bytes.removeSubrange(random.int(0...(bytes.count - 1))...)
                case 2: bytes.insert(contentsOf: Array(random.pick(["\"", "{", "]", ",", "\\u", "é", "\u{0}"]).utf8),
                                     at: random.int(0...bytes.count))
                case 3: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.int(0...bytes.count))
                default: bytes += bytes.prefix(random.int(0...bytes.count))
                }
                if bytes.isEmpty { bytes = [0x7B] }
            }
            let mutated = String(decoding: bytes, as: UTF8.self)
            let keys = ["password", "salt", "md5", "sha1", "sha256", "value"]
            func occurrences(_ needle: String) -> Int { mutated.components(separatedBy: needle).count - 1 }
            // …and whose parent key (`"login": {"uuid"`, `"id": {"name"`) survived too.
            let parents = occurrences(#""login": {"uuid""#) > 0 ? 5 : 0
            let idParent = occurrences(#""id": {"name""#) > 0
            let intact = zip(keys, user.secrets).enumerated().filter { index, pair in
                (index < 5 ? index < parents : idParent)
                    && occurrences(pair.1) == occurrences("\"\(pair.0)\": \"\(pair.1)\"")
            }.map(\.element.1)
            bytes.withUnsafeBytes { buffer in
                transformer.transform(buffer, context: Harness.batchContext, processedAt: Harness.processedAt) { outcome in
                    outcomes += 1
                    let json: [UInt8]
                    switch outcome {
                    case .row(let row): json = RowJSON.encode(row)
                    case .reject(let letter): json = letter.jsonBytes() + Array(letter.detail.utf8)
                    }
                    let text = String(decoding: json, as: UTF8.self)
                    // A mutation may rename a key ("passwort"): then its value is no secret under the contract.
                    // Count a leak only for secrets whose every occurrence is still inside an intact `"key": "value"`.
                    if intact.contains(where: { text.contains($0) }) {
                        leaks += 1
                    }
                    if case .reject(let letter) = outcome, !parser.validate(letter.jsonBytes()) { invalidOutputs += 1 }
                    if case .row(let row) = outcome, !parser.validate(RowJSON.encode(row)) { invalidOutputs += 1 }
                }
            }
        }
        #expect(outcomes >= 5_000)
        #expect(invalidOutputs == 0)
        #expect(leaks == 0)
        #expect(transformer.stats.records == transformer.stats.rows + transformer.stats.rejects)
    }
}
