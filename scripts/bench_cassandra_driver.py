#!/usr/bin/env python3
"""The Python side of `userstream bench cassandra`: writes the same synthetic rows as the Swift benchmark
(UserStore/Cassandra/CassandraBenchmark.swift, syntheticRow) with the DataStax `cassandra-driver`'s
execute_concurrent_with_args, a prepared INSERT ... USING TIMESTAMP ?, into its own table of the same schema.

Prints one JSON line: {"rows": N, "seconds": S, "rows_per_second": R}.
Exit status 3 when cassandra-driver is not installed (pip install cassandra-driver).
Credentials, when needed, come from USERSTREAM_CASSANDRA_USERNAME / USERSTREAM_CASSANDRA_PASSWORD.
"""
import argparse
import json
import os
import sys
import time

try:
    from cassandra import ConsistencyLevel
    from cassandra.auth import PlainTextAuthProvider
    from cassandra.cluster import Cluster
    from cassandra.concurrent import execute_concurrent_with_args
except ImportError:
    print("cassandra-driver is not installed: pip install cassandra-driver", file=sys.stderr)
    sys.exit(3)

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
COLUMNS = [
    "user_id", "title", "first_name", "last_name", "gender", "email", "username",
    "address", "city", "state", "country", "postcode", "latitude", "longitude",
    "date_of_birth", "age", "registration_date", "phone", "cell", "nationality", "picture_url",
    "fetched_at", "processed_at", "source_partition", "source_offset",
]


def synthetic_row(index, seed=0x5EED):
    """The row CassandraBenchmark.syntheticRow(index:) makes; times as milliseconds since the epoch."""
    state = (seed + index * GOLDEN) & MASK

    def nxt():
        nonlocal state
        state = (state + GOLDEN) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def hx(value, digits):
        text = format(value, "x")
        return "0" * max(0, digits - len(text)) + text[-digits:]

    a, b = nxt(), nxt()
    user_id = f"{hx(a >> 32, 8)}-{hx((a >> 16) & 0xFFFF, 4)}-4{hx(a & 0xFFF, 3)}-a{hx(b >> 52, 3)}-{hx(b & 0xFFFFFFFFFFFF, 12)}"
    now = 1_764_000_000_000 + index
    return (
        user_id, "Mx", f"Bench{index}", "User", "unspecified", f"bench{index}@example.com", f"bench{index}",
        f"{index} Main Street, Springfield", "Springfield", "State", "Country", str(10000 + index % 90000),
        float(index % 180) - 89.5, float(index % 360) - 179.5,
        -315_619_200_000, 56, 1_262_304_000_000, "555-0100", "555-0101", "US", f"https://example.com/p/{index}.jpg",
        now, now, index % 8, index,
        now * 1000,  # USING TIMESTAMP: fetched_at in microseconds
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9042)
    parser.add_argument("--keyspace", default="userstream_bench")
    parser.add_argument("--table", default="users_python")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=256)
    args = parser.parse_args()

    auth = None
    if os.environ.get("USERSTREAM_CASSANDRA_USERNAME"):
        auth = PlainTextAuthProvider(os.environ["USERSTREAM_CASSANDRA_USERNAME"],
                                     os.environ.get("USERSTREAM_CASSANDRA_PASSWORD", ""))
    cluster = Cluster([args.host], port=args.port, auth_provider=auth)
    session = cluster.connect()
    session.execute(
        f"CREATE KEYSPACE IF NOT EXISTS {args.keyspace} "
        "WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
    session.execute(f"""
        CREATE TABLE IF NOT EXISTS {args.keyspace}.{args.table} (
          user_id text PRIMARY KEY,
          title text, first_name text, last_name text, gender text,
          email text, username text,
          address text, city text, state text, country text, postcode text,
          latitude double, longitude double,
          date_of_birth timestamp, age int,
          registration_date timestamp,
          phone text, cell text, nationality text, picture_url text,
          fetched_at timestamp, processed_at timestamp, source_partition int, source_offset bigint
        )""")
    insert = session.prepare(
        f"INSERT INTO {args.keyspace}.{args.table} ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in COLUMNS)}) USING TIMESTAMP ?")
    insert.consistency_level = ConsistencyLevel.ONE
    rows = [synthetic_row(i) for i in range(args.count)]
    started = time.perf_counter()
    results = execute_concurrent_with_args(session, insert, rows, concurrency=args.concurrency,
                                           raise_on_first_error=True)
    seconds = time.perf_counter() - started
    failed = sum(1 for ok, _ in results if not ok)
    cluster.shutdown()
    if failed:
        print(f"{failed} writes failed", file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"rows": args.count, "seconds": seconds, "rows_per_second": args.count / seconds}))


if __name__ == "__main__":
    main()
