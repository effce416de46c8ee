import AsyncHTTPClient
import Logging

/// Turns the `--source` option (`randomuser`, `synthetic` or a URL) into a ``UserSource``.
public enum SourceSelector {
    /// Makes the source a `--source` value names.
    ///
    /// - `randomuser`: the public API at ``RandomUserAPISource/defaultBaseURL``;
    /// - `synthetic`: the offline ``SyntheticUserSource``;
    /// - an `http://` or `https://` URL: the API at that base URL (for example a local `FakeRandomUserServer`).
    ///
    /// - Parameters:
    ///   - spec: The option's value (names are case-insensitive).
    ///   - seed: The seed for either kind of source. Default: nil (the API picks one; the generator uses a
    ///     fixed default).
    ///   - badFraction: For `synthetic`, the fraction of bad records. Default: 0.
    ///   - configuration: For the HTTP source, its settings; `baseURL` and `seed` are replaced. Default: defaults.
    ///   - httpClient: For the HTTP source, the client. Default: ``RandomUserAPISource/sharedHTTPClient``.
    ///   - logger: For the HTTP source, the logger. Default: a logger labelled `RandomUser`.
    /// - Returns: The source.
    /// - Throws: ``RandomUserError`` with ``RandomUserError/Code/invalidConfiguration`` for anything else.
    public static func make(
        _ spec: String,
        seed: String? = nil,
        badFraction: Double = 0,
        configuration: RandomUserAPISource.Configuration = RandomUserAPISource.Configuration(),
        httpClient: HTTPClient = RandomUserAPISource.sharedHTTPClient,
        logger: Logger = Logger(label: "RandomUser")
    ) throws -> any UserSource {
        let trimmed = spec.trimmingASCIISpaces()
        let lowered = trimmed.lowercased()
        var configuration = configuration
        configuration.seed = seed
        switch lowered {
        case "randomuser":
            configuration.baseURL = RandomUserAPISource.defaultBaseURL
            return RandomUserAPISource(configuration: configuration, httpClient: httpClient, logger: logger)
        case "synthetic":
            var synthetic = SyntheticUserSource.Configuration()
            if let seed { synthetic.seed = seed }
            synthetic.badFraction = badFraction
            return SyntheticUserSource(configuration: synthetic)
        default:
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), trimmed.count > 8 else {
                throw RandomUserError(
                    code: .invalidConfiguration,
                    message: "unknown source '\(spec)': use randomuser, synthetic or an http(s) URL"
                )
            }
            configuration.baseURL = trimmed
            return RandomUserAPISource(configuration: configuration, httpClient: httpClient, logger: logger)
        }
    }
}
