#ifndef USERSTREAM_MALLOC_CONFIGURATION_H
#define USERSTREAM_MALLOC_CONFIGURATION_H

/// The options UserStream's binaries give jemalloc (its `malloc_conf`); the MALLOC_CONF environment variable
/// overrides them one by one.
const char *userstream_malloc_conf(void);

#endif
