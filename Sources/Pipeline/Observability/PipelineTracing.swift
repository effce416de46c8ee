import Foundation
import Kafka
import Logging
import OTel
import ServiceLifecycle
import Synchronization
import Tracing

/// Traces of the pipeline, off unless an OTLP endpoint is set (`--otlp-endpoint`): a span per source page
/// (`source.page`), per produced batch (`kafka.produce`, the page's child), per consumed batch (`kafka.consume`) and
/// per store write (`store.write`). The produced batch's W3C trace context travels in each message's `traceparent`
/// header, so the consumed batch links to the produced batches it read, and the store write links to the consumed
/// batches it wrote: one user's page leads to the write that stored it.
public enum PipelineTracing {
    /// The header that carries the trace context (W3C Trace Context).
    public static let header = "traceparent"

    private static let bootstrapped = Mutex<Bool>(false)

    /// Sets the process's tracer to export spans to `endpoint` (an OTLP/HTTP base URL such as
    /// `http://127.0.0.1:4318`; `/v1/traces` is added), once per process. Returns the exporter, a service to run
    /// first in the group (so that it stops last and flushes every span); nil when a tracer was already set.
    /// - Parameters:
    ///   - protocol: `http/protobuf` (default) or `http/json`.
    public static func bootstrap(endpoint: String, protocol: String, logger: Logger) throws -> (any Service)? {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "userstream"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.enabled = true
        configuration.traces.sampler = .alwaysOn
        configuration.diagnosticLogger = .custom(logger)
        var url = endpoint
        if !url.hasSuffix("/v1/traces") { url = (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/v1/traces" }
        configuration.traces.otlpExporter.endpoint = url
        configuration.traces.otlpExporter.protocol = `protocol` == "http/json" ? .httpJSON : .httpProtobuf
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }

    /// Starts the span of one source page.
    static func pageSpan(page: Int, users: Int) -> any Span {
        let span = InstrumentationSystem.tracer.startAnySpan("source.page", context: .topLevel, ofKind: .client)
        span.attributes["userstream.page"] = page
        span.attributes["userstream.users"] = users
        return span
    }

    /// Starts the span of one produced batch, the page's child, and returns it with the headers that carry its
    /// context (none when tracing is off).
    static func produceSpan(parent: any Span, topic: String, messages: Int) -> (span: any Span, headers: [KafkaHeader]) {
        let span = InstrumentationSystem.tracer.startAnySpan("kafka.produce", context: parent.context, ofKind: .producer)
        span.attributes["messaging.system"] = "kafka"
        span.attributes["messaging.destination.name"] = topic
        span.attributes["messaging.batch.message_count"] = messages
        var headers: [KafkaHeader] = []
        InstrumentationSystem.tracer.inject(span.context, into: &headers, using: KafkaHeadersInjector())
        return (span, headers)
    }

    /// Starts the span of one consumed batch, linked to the produced batches named by `traceparents`.
    static func consumeSpan(messages: Int, traceparents: Set<String>) -> any Span {
        let span = InstrumentationSystem.tracer.startAnySpan("kafka.consume", context: .topLevel, ofKind: .consumer)
        span.attributes["messaging.system"] = "kafka"
        span.attributes["messaging.batch.message_count"] = messages
        for traceparent in traceparents {
            var context = ServiceContext.topLevel
            InstrumentationSystem.tracer.extract([header: traceparent], into: &context, using: DictionaryExtractor())
            span.addLink(SpanLink(context: context, attributes: [:]))
        }
        return span
    }

    /// Starts the span of one store write, linked to the consumed batches it writes.
    static func storeSpan(rows: Int, consumed: [ServiceContext]) -> any Span {
        let span = InstrumentationSystem.tracer.startAnySpan("store.write", context: .topLevel, ofKind: .client)
        span.attributes["userstream.rows"] = rows
        for context in consumed {
            span.addLink(SpanLink(context: context, attributes: [:]))
        }
        return span
    }
}

/// Writes trace context entries as Kafka headers.
struct KafkaHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [KafkaHeader]) {
        carrier.append(KafkaHeader(name: key, string: value))
    }
}

/// Reads trace context entries from a dictionary.
struct DictionaryExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
