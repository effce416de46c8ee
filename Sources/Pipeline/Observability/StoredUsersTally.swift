import Foundation
import NIOConcurrencyHelpers
import Serving
import UsersContract

/// Counts the users this process stored by country and by gender, and keeps the latest few, for `/api/stats` and
/// the dashboard: figures from the pipeline itself, so no request scans the store. Updated once per written batch.
///
/// A replayed batch is counted again (these are users *written by this process*, not distinct users in the
/// store). Countries are bounded: past ``maximumCountries`` distinct values the rest count under `other`.
public final class StoredUsersTally: Sendable {
    /// The most distinct countries kept (the RandomUser API has about twenty).
    public let maximumCountries = 500
    /// How many recent users are kept.
    public let recentLimit = 10

    private struct State {
        var countries: [String: Int] = [:]
        var genders: [String: Int] = [:]
        var recent: [PipelineStats.RecentUser] = []
    }

    private let state = NIOLockedValueBox(State())

    /// An empty tally.
    public init() {}

    /// Counts `rows`, just written.
    public func note(_ rows: [UserRow]) {
        guard !rows.isEmpty else { return }
        state.withLockedValue { state in
            for row in rows {
                let country = row.country ?? "unknown"
                if state.countries[country] != nil || state.countries.count < maximumCountries {
                    state.countries[country, default: 0] += 1
                } else {
                    state.countries["other", default: 0] += 1
                }
                state.genders[row.gender, default: 0] += 1
            }
            let newest = rows.suffix(recentLimit).reversed().map { row in
                PipelineStats.RecentUser(
                    userId: row.userID, name: "\(row.firstName) \(row.lastName)", gender: row.gender, country: row.country,
                    age: row.age.map(Int.init), processedAt: row.processedAt)
            }
            state.recent = Array((newest + state.recent).prefix(recentLimit))
        }
    }

    /// Countries by users: the `top` largest, the rest summed under `other`.
    public func countries(top: Int = 20) -> [String: Int] {
        let all = state.withLockedValue { $0.countries }
        let sorted = all.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var result = Dictionary(uniqueKeysWithValues: sorted.prefix(top).map { ($0.key, $0.value) })
        let rest = sorted.dropFirst(top).reduce(0) { $0 + $1.value }
        if rest > 0 { result["other", default: 0] += rest }
        return result
    }

    /// Users by gender.
    public var genders: [String: Int] { state.withLockedValue { $0.genders } }

    /// The latest users written, newest first.
    public var recent: [PipelineStats.RecentUser] { state.withLockedValue { $0.recent } }
}
