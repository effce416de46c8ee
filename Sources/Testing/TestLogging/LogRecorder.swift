import Logging
import NIOConcurrencyHelpers

/// Keeps every log line of the loggers made with ``logger(label:)``, for tests that count lines.
public final class LogRecorder: Sendable {
    /// One log line.
    public struct Line: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
    }

    private let box = NIOLockedValueBox<[Line]>([])

    /// An empty recorder.
    public init() {}

    /// Every line so far, oldest first.
    public var lines: [Line] { self.box.withLockedValue { $0 } }

    /// The lines at `level` that contain `text` (every line at that level when `text` is nil).
    public func lines(_ level: Logger.Level, containing text: String? = nil) -> [Line] {
        self.lines.filter { $0.level == level && text.map($0.message.contains) ?? true }
    }

    /// How many lines at `level` contain `text` (every line at that level when `text` is nil).
    public func count(_ level: Logger.Level, containing text: String? = nil) -> Int {
        self.lines(level, containing: text).count
    }

    /// A logger at trace level whose lines this recorder keeps.
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { _ in Handler(recorder: self) }
    }

    fileprivate func append(_ line: Line) { self.box.withLockedValue { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let metadata = self.metadata.merging(event.metadata ?? [:]) { _, new in new }
            self.recorder.append(Line(level: event.level, message: event.message.description, metadata: metadata))
        }
    }
}
