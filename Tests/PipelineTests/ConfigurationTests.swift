import Foundation
import Pipeline
import Testing

@Suite("The pipeline configuration: layers, pipeline file, validation")
struct ConfigurationTests {
    /// Writes `text` to a temporary pipeline file and returns its path.
    private func file(_ text: String, suffix: String = "yaml") throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("userstream-\(UUID().uuidString).\(suffix)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func load(
        flags: [String: SettingValue] = [:], environment: [String: String] = [:], file: String? = nil
    ) throws(ConfigurationError) -> PipelineConfiguration {
        try ConfigurationLoader(flags: flags, environment: environment, filePath: file).load()
    }

    /// The problems a load reports, or none.
    private func problems(
        flags: [String: SettingValue] = [:], environment: [String: String] = [:], file: String? = nil
    ) -> [String] {
        do {
            _ = try load(flags: flags, environment: environment, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    @Test("no layer: the defaults of PipelineConfiguration()")
    func defaults() throws {
        #expect(try load() == PipelineConfiguration())
    }

    @Test("precedence for several settings: flag over environment over file over default")
    func precedence() throws {
        let path = try file(
            """
            kafka:
              topic: from_file
              group: file-group
              dlq-topic: file_dlq
            processing:
              batch-size: 300
              batch-interval: 1s
            store:
              url: sqlite:file.sqlite
            """)
        let environment = [
            "USERSTREAM_TOPIC": "from_env", "USERSTREAM_GROUP": "env-group", "USERSTREAM_BATCH_SIZE": "200",
        ]
        let flags: [String: SettingValue] = [
            PipelineSetting.topic.key: .one("from_flag"), PipelineSetting.batchSize.key: .one("100"),
        ]
        let configuration = try load(flags: flags, environment: environment, file: path)
        #expect(configuration.kafka.topic == "from_flag")  // flag > env > file
        #expect(configuration.processing.batchSize == 100)  // flag > env > file
        #expect(configuration.kafka.group == "env-group")  // env > file
        #expect(configuration.kafka.deadLetterTopic == "file_dlq")  // file > default
        #expect(configuration.processing.batchInterval == .seconds(1))
        #expect(configuration.store.url == "sqlite:file.sqlite")
        #expect(configuration.processing.batchLinger == nil)  // default
        #expect(configuration.source == PipelineConfiguration.Source())
    }

    @Test("the names users know keep working: --store, USERSTREAM_STORE, --brokers, USERSTREAM_BROKERS")
    func knownNames() throws {
        #expect(PipelineSetting.store.flag == "--store")
        #expect(PipelineSetting.store.environmentVariable == "USERSTREAM_STORE")
        #expect(PipelineSetting.brokers.environmentVariable == "USERSTREAM_BROKERS")
        #expect(PipelineSetting.deadLetterTopic.environmentVariable == "USERSTREAM_DLQ_TOPIC")
        let configuration = try load(environment: [
            "USERSTREAM_STORE": "sqlite:env.sqlite", "USERSTREAM_BROKERS": "k1:9092,k2:9093",
        ])
        #expect(configuration.store.url == "sqlite:env.sqlite")
        #expect(configuration.kafka.brokers == "k1:9092,k2:9093")
    }

    @Test("${VAR} references in the file are expanded; ${VAR:-fallback} and $$ too")
    func references() throws {
        let path = try file(
            """
            kafka:
              brokers: ${KAFKA_HOST}:9092
              group: ${GROUP:-fallback-group}
            source:
              seed: cost$$5
            """)
        let configuration = try load(environment: ["KAFKA_HOST": "kafka.internal"], file: path)
        #expect(configuration.kafka.brokers == "kafka.internal:9092")
        #expect(configuration.kafka.group == "fallback-group")
        #expect(configuration.source.seed == "cost$5")
        let unset = problems(environment: [:], file: path)
        #expect(unset == ["kafka.brokers in \(path): ${KAFKA_HOST} is not set; set it or write ${KAFKA_HOST:-default}"])
    }

    @Test("a secret comes from a file or the environment, and is never shown")
    func secrets() throws {
        let secretPath = try file("s3cr3t-value\nsecond line ignored\n", suffix: "secret")
        let path = try file(
            """
            store:
              url: cassandra://127.0.0.1:9042/user_data
              username: app
              password-file: \(secretPath)
            """)
        let configuration = try load(file: path)
        #expect(configuration.store.password?.value == "s3cr3t-value")
        #expect("\(configuration)".contains("s3cr3t") == false)
        #expect(PipelineSetting.storePassword.text(in: configuration) == "<redacted>")
        let fromEnvironment = try load(environment: [
            "USERSTREAM_CASSANDRA_USERNAME": "app", "USERSTREAM_CASSANDRA_PASSWORD": "env-secret",
        ])
        #expect(fromEnvironment.store.password?.value == "env-secret")
        #expect(PipelineSetting.storePassword.hasFlag == false)
        // A secret in a bad property is not repeated in the error.
        let bad = problems(flags: [PipelineSetting.producerProperties.key: .many(["sasl.password"])])
        #expect(bad.count == 1)
        let unreadable = problems(environment: ["USERSTREAM_CASSANDRA_PASSWORD_FILE": "/nonexistent/secret"])
        #expect(unreadable.first?.hasPrefix("USERSTREAM_CASSANDRA_PASSWORD_FILE: cannot read the file") == true)
    }

    @Test("every kind of problem is one line naming the setting; all are listed at once")
    func validation() throws {
        let path = try file(
            """
            kafka:
              topik: random_users
              partitions: many
            processing:
              batch-size: [1, 2]
            colour: blue
            """)
        let lines = problems(
            flags: [
                PipelineSetting.pageSize.key: .one("6000"),  // out of range
                PipelineSetting.sourceURL.key: .one("ftp://example.com"),  // bad URL
                PipelineSetting.batchInterval.key: .one("soon"),  // wrong type
            ],
            environment: ["USERSTREAM_BROKERS": "no-port"],
            file: path
        )
        #expect(lines.contains("kafka.topik in \(path): unknown key (known keys there: " + knownKafkaKeys() + ")"))
        #expect(lines.contains { $0.hasPrefix("colour in \(path): unknown key (sections are ") })
        #expect(lines.contains("processing.batch-size in \(path): takes one value, not a list"))
        // The unknown keys stop the file's values; the other layers are still checked and listed.
        #expect(lines.contains("--page-size: '6000' must be an integer from 1 to 5000 or auto"))
        #expect(lines.contains("--source-url: 'ftp://example.com' must be an http:// or https:// URL"))
        #expect(lines.contains("--batch-interval: 'soon' must be a duration such as 250ms, 5s, 2m or 1h"))
        #expect(lines.contains("USERSTREAM_BROKERS: 'no-port' must be embedded or host:port[,host:port...]"))
        #expect(lines.allSatisfy { !$0.contains("\n") })

        let typed = try file("kafka:\n  partitions: many\n")
        #expect(problems(file: typed) == ["kafka.partitions in \(typed): 'many' must be an integer from 1 to 10000"])
        #expect(problems(flags: [PipelineSetting.partitions.key: .one("0")])
            == ["--partitions: '0' must be an integer from 1 to 10000"])
        #expect(problems(flags: [PipelineSetting.batchSize.key: .one("-5")])
            == ["--batch-size: '-5' must be an integer from 1 to 1000000"])
    }

    @Test("the HTTP address: HOST:PORT (port 0: a free one) or off; anything else names the setting and the form")
    func httpAddress() throws {
        #expect(try load(flags: [PipelineSetting.http.key: .one("127.0.0.1:0")]).http.address == "127.0.0.1:0")
        #expect(try load(flags: [PipelineSetting.http.key: .one("OFF")]).http.address == "OFF")
        #expect(try load().http.address == "127.0.0.1:8080")
        #expect(problems(flags: [PipelineSetting.http.key: .one("8080")])
            == ["--http: '8080' must be HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one) or off"])
        #expect(problems(environment: ["USERSTREAM_HTTP": "0.0.0.0:99999"])
            == ["USERSTREAM_HTTP: '0.0.0.0:99999' must be HOST:PORT (e.g. 127.0.0.1:8080; port 0 picks a free one) or off"])
    }

    private func knownKafkaKeys() -> String {
        PipelineSetting.all.map(\.key).filter { $0.hasPrefix("kafka.") && $0.split(separator: ".").count == 2 }
            .joined(separator: ", ")
    }

    @Test("a JSON pipeline file works the same, and null leaves a default")
    func json() throws {
        let path = try file(#"{"processing": {"batch-size": 750, "max-lag": null}, "kafka": {"compression": "zstd"}}"#,
            suffix: "json")
        let configuration = try load(file: path)
        #expect(configuration.processing.batchSize == 750)
        #expect(configuration.processing.maxLag == nil)
        #expect(configuration.kafka.compression == .zstd)
    }

    @Test("librdkafka properties: a repeated flag, a YAML mapping, or a comma-separated variable")
    func properties() throws {
        let path = try file("kafka:\n  producer-properties:\n    linger.ms: 20\n    batch.num.messages: 1000\n")
        #expect(try load(file: path).kafka.producerProperties == ["linger.ms": "20", "batch.num.messages": "1000"])
        let fromEnvironment = try load(environment: ["USERSTREAM_CONSUMER_PROPERTY": "fetch.wait.max.ms=1,a=b"])
        #expect(fromEnvironment.kafka.consumerProperties == ["fetch.wait.max.ms": "1", "a": "b"])
    }

    @Test("deploy/userstream.yaml is the generated example, and loads to exactly the defaults")
    func shippedExample() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = repository.appendingPathComponent("deploy/userstream.yaml").path
        let shipped = try String(contentsOfFile: path, encoding: .utf8)
        #expect(shipped == PipelineSetting.exampleFile())
        #expect(try load(file: path) == PipelineConfiguration())
        for setting in PipelineSetting.all {
            #expect(shipped.contains(setting.environmentVariable), "\(setting.key) is not documented in the example")
        }
    }

    @Test("--help shows each default from the configuration type")
    func help() {
        #expect(PipelineSetting.batchSize.help.contains("Default: 5000."))
        #expect(PipelineSetting.sessionTimeout.help.contains("Default: 10s."))
        #expect(PipelineSetting.store.help.contains("Default: sqlite:users.sqlite."))
        var changed = PipelineConfiguration()
        changed.processing.batchSize = 42
        #expect(PipelineSetting.batchSize.text(in: changed) == "42")
    }
}
