/// The pure arithmetic of the rate limiter: a budget of users per sliding window.
///
/// Every reservation is recorded at the moment it is allowed; a reservation is allowed at the first moment when the
/// users granted in the window ending then, plus the new ones, fit the budget. So any window of that length
/// holds at most `budget` users, whenever it starts. (A token bucket with burst B and rate B/W would allow up to
/// 2·B in one window, which is why the limiter does not use one.)
struct SlidingWindowBudget: Sendable {
    private struct Grant: Sendable {
        var at: Duration
        var count: Int
    }

    /// Users allowed in any window.
    let budget: Int
    /// The window length.
    let window: Duration

    private var grants: [Grant] = []
    private var head = 0
    private var used = 0

    init(budget: Int, window: Duration) {
        self.budget = max(1, budget)
        self.window = window
    }

    /// Users counted in the window ending at the last reservation (for tests and metrics).
    var usersInWindow: Int { self.used }

    /// Reserves `count` users and returns the moment they may be requested (`now` or later).
    ///
    /// A count above the budget is treated as the whole budget (it waits for an empty window).
    ///
    /// - Parameters:
    ///   - count: Users to request.
    ///   - now: The current monotonic time.
    /// - Returns: When the request may go out.
    mutating func reserve(_ count: Int, now: Duration) -> Duration {
        let count = min(max(count, 0), self.budget)
        while self.head < self.grants.count, self.grants[self.head].at + self.window <= now {
            self.used -= self.grants[self.head].count
            self.head += 1
        }
        if self.head > 64, self.head * 2 > self.grants.count {
            self.grants.removeFirst(self.head)
            self.head = 0
        }
        var at = now
        if self.used + count > self.budget {
            let need = self.used + count - self.budget
            var freed = 0
            var index = self.head
            while index < self.grants.count {
                freed += self.grants[index].count
                if freed >= need {
                    at = self.grants[index].at + self.window
                    break
                }
                index += 1
            }
        }
        if let last = self.grants.last, last.at > at { at = last.at }
        if at < now { at = now }
        if count > 0 {
            self.grants.append(Grant(at: at, count: count))
            self.used += count
        }
        return at
    }
}
