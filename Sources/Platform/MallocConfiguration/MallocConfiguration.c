#include "MallocConfiguration.h"

// jemalloc reads this symbol once, when it starts (before main), and the MALLOC_CONF environment variable after
// it. Why these values: docs/performance.md, "the allocator".
// - narenas:2: two arenas instead of jemalloc's four per core. A handful of the pipeline's threads do nearly all
//   the allocating, and each keeps a cache of its own in front of the arenas; fewer arenas hold fewer
//   half-empty pages.
// - background_thread:true: unused pages go back to the system from jemalloc's own thread, not from the
//   pipeline's threads in the middle of a batch.
// - dirty_decay_ms:250, muzzy_decay_ms:0: freed pages are returned within a quarter of a second (default 10 s), so the
//   resident size follows the memory in use instead of its peak.
const char *malloc_conf = "narenas:2,background_thread:true,dirty_decay_ms:250,muzzy_decay_ms:0";

const char *userstream_malloc_conf(void) {
    return malloc_conf;
}
