import StreamJSON
import UsersContract

/// Helpers shared by the contract tests.
enum Harness {
    /// 2026-01-01T00:00:00Z: the run start of every test.
    static let runStartedAt: Int64 = 1_767_225_600_000
    static let processedAt: Int64 = 1_767_225_601_000
    static let receivedAt: Int64 = 1_767_225_600_500

    static var batchContext: RecordContext { RecordContext(receivedAt: receivedAt) }

    static func transform(
        _ bytes: [UInt8], context: RecordContext = batchContext, maxMessageBytes: Int = 1 << 20
    ) -> (outcomes: [TransformOutcome], stats: TransformStats) {
        var transformer = UserTransformer(
            options: TransformOptions(maxMessageBytes: maxMessageBytes, runStartedAt: runStartedAt))
        let outcomes = transformer.transform(bytes, context: context, processedAt: processedAt)
        return (outcomes, transformer.stats)
    }

    static func transform(_ text: String, context: RecordContext = batchContext) -> (
        outcomes: [TransformOutcome], stats: TransformStats
    ) {
        transform(Array(text.utf8), context: context)
    }

    /// The single row of a record, or nil.
    static func row(_ text: String) -> UserRow? {
        let (outcomes, _) = transform(text)
        guard outcomes.count == 1, case .row(let row) = outcomes[0] else { return nil }
        return row
    }

    /// The single dead letter of a message, or nil.
    static func reject(_ text: String, context: RecordContext = batchContext) -> DeadLetter? {
        reject(Array(text.utf8), context: context)
    }

    static func reject(_ bytes: [UInt8], context: RecordContext = batchContext) -> DeadLetter? {
        let (outcomes, _) = transform(bytes, context: context)
        guard outcomes.count == 1, case .reject(let letter) = outcomes[0] else { return nil }
        return letter
    }

    /// A valid minimal user with `fields` (JSON member text) added to it; later members override earlier ones.
    static func user(_ fields: String = "") -> String {
        let base = #""login": {"uuid": "7d73a1f5-d89d-4c14-bb9e-45763f72ca22", "username": "purplewolf374"}, "email": "jetze@example.com""#
        return fields.isEmpty ? "{\(base)}" : "{\(base), \(fields)}"
    }

    /// The quality violations of one record.
    static func violations(_ text: String) -> [QualityViolation: Int] {
        transform(text).stats.violationsByCode
    }
}

extension DeadLetter {
    /// The payload as a string (JSON text or raw text).
    var payloadText: String {
        switch payload {
        case .json(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .text(let text): return text
        }
    }
}
