import Kafka
import Testing

@Suite("Secrets in librdkafka properties")
struct SecretPropertyTests {
    @Test("a refused property whose name says secret is named in the error, its value never shown")
    func redacted() throws {
        let secret = "hunter2-\(UInt32.random(in: 0...UInt32.max))"
        var configuration = KafkaProducerConfiguration(
            common: KafkaConfiguration(brokers: "127.0.0.1:1", extra: ["bogus.sasl.password": secret]))
        configuration.compression = "none"
        do {
            _ = try KafkaProducer(configuration: configuration)
            Issue.record("an unknown property was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("bogus.sasl.password=<redacted>"))
            #expect(!text.contains(secret))
        }
        // A property that is not secret still shows its value, which helps fix it.
        let plain = KafkaProducerConfiguration(
            common: KafkaConfiguration(brokers: "127.0.0.1:1", extra: ["bogus.linger": "abc"]))
        #expect { _ = try KafkaProducer(configuration: plain) } throws: { "\($0)".contains("bogus.linger=abc") }
    }
}
