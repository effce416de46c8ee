import ServiceLifecycle
import Stores
import Synchronization

/// Counts the store's rows for the summary once everything that writes to it has stopped, before the store closes.
/// In the service list it stands right after the store, so a graceful stop reaches it after the processor and
/// before the store.
final class StoreTally: Service {
    private let store: any UserStore
    private let result = Mutex<Int?>(nil)

    init(store: any UserStore) {
        self.store = store
    }

    /// The rows counted, or nil when the count failed or did not run (the group was cancelled).
    var count: Int? { result.withLock { $0 } }

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        let counted = try? await store.count()
        result.withLock { $0 = counted }
    }
}
