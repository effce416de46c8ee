import CRdKafka

extension KafkaError {
    /// An error from a librdkafka response code.
    init(code: Code, rdKafka err: rd_kafka_resp_err_t, context: String) {
        let name = String(cString: rd_kafka_err2name(err))
        let text = String(cString: rd_kafka_err2str(err))
        self.init(code: code, rdKafkaCode: err.rawValue, errorName: name, message: "\(context): \(text)")
    }

    /// An error from a librdkafka error object; destroys it.
    init(code: Code, consuming error: OpaquePointer, context: String) {
        let err = rd_kafka_error_code(error)
        let name = String(cString: rd_kafka_error_name(error))
        let text = String(cString: rd_kafka_error_string(error))
        rd_kafka_error_destroy(error)
        self.init(code: code, rdKafkaCode: err.rawValue, errorName: name, message: "\(context): \(text)")
    }
}

extension rd_kafka_resp_err_t {
    /// librdkafka's name of this code.
    var name: String { String(cString: rd_kafka_err2name(self)) }
    /// librdkafka's description of this code.
    var text: String { String(cString: rd_kafka_err2str(self)) }
}
