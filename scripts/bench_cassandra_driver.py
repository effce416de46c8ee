#!/usr/bin/env python3
"""The Python side of `userstream bench cassandra`: writes the same synthetic rows as the Swift benchmark
(UserStore/Cassandra/CassandraBenchmark.swift, syntheticRow) with the DataStax `cassandra-driver`'s
execute_concurrent_with_args, a prepared INSERT ... USING TIMESTAMP ?, into its own table of the same schema.

The table's columns are not written down here: they come from the `userstream` binary (`userstream schema`, the
CQL of contract section 2, made from UserRow.columns), so this table is always the Swift store's table. The
binary is --userstream, else $USERSTREAM_BIN, else .build/release/userstream or .build/debug/userstream of this
repository, else `userstream` on PATH.

Prints one JSON line: {"rows": N, "seconds": S, "rows_per_second": R}.
Exit status 3 when cassandra-driver is not installed (pip install cassandra-driver).
Credentials, when needed, come from USERSTREAM_CASSANDRA_USERNAME / USERSTREAM_CASSANDRA_PASSWORD.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
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


def userstream_binary(explicit):
    """The userstream binary to ask for the schema (see the module's doc), or exit 2 when there is none."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    candidates = [explicit, os.environ.get("USERSTREAM_BIN"),
                  os.path.join(root, ".build", "release", "userstream"),
                  os.path.join(root, ".build", "debug", "userstream"), shutil.which("userstream")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    print("no userstream binary: build it (swift build) or pass --userstream PATH", file=sys.stderr)
    sys.exit(2)


def table_columns(schema_cql):
    """The column definitions ("name type [PRIMARY KEY]") of the CREATE TABLE in `userstream schema` output."""
    match = re.search(r"CREATE TABLE IF NOT EXISTS \S+ \((.*?)\)", schema_cql, re.S)
    if not match:
        raise ValueError("no CREATE TABLE in the schema output")
    return [" ".join(part.split()) for part in match.group(1).split(",") if part.strip()]


def synthetic_row(index, seed=0x5EED):
    """The row CassandraBenchmark.syntheticRow(index:) makes, by column name; times as milliseconds since the epoch."""
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
    return {
        "user_id": user_id, "title": "Mx", "first_name": f"Bench{index}", "last_name": "User",
        "gender": "unspecified", "email": f"bench{index}@example.com", "username": f"bench{index}",
        "address": f"{index} Main Street, Springfield", "city": "Springfield", "state": "State", "country": "Country",
        "postcode": str(10000 + index % 90000), "latitude": float(index % 180) - 89.5,
        "longitude": float(index % 360) - 179.5, "date_of_birth": -315_619_200_000, "age": 56,
        "registration_date": 1_262_304_000_000, "phone": "555-0100", "cell": "555-0101", "nationality": "US",
        "picture_url": f"https://example.com/p/{index}.jpg", "fetched_at": now, "processed_at": now,
        "source_partition": index % 8, "source_offset": index,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9042)
    parser.add_argument("--keyspace", default="userstream_bench")
    parser.add_argument("--table", default="users_python")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--userstream", help="the userstream binary whose schema to use")
    args = parser.parse_args()

    schema = subprocess.run([userstream_binary(args.userstream), "schema"], check=True, capture_output=True,
                            text=True).stdout
    definitions = table_columns(schema)
    columns = [definition.split()[0] for definition in definitions]

    auth = None
    if os.environ.get("USERSTREAM_CASSANDRA_USERNAME"):
        auth = PlainTextAuthProvider(os.environ["USERSTREAM_CASSANDRA_USERNAME"],
                                     os.environ.get("USERSTREAM_CASSANDRA_PASSWORD", ""))
    cluster = Cluster([args.host], port=args.port, auth_provider=auth)
    session = cluster.connect()
    session.execute(
        f"CREATE KEYSPACE IF NOT EXISTS {args.keyspace} "
        "WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
    session.execute(f"CREATE TABLE IF NOT EXISTS {args.keyspace}.{args.table} ({', '.join(definitions)})")
    insert = session.prepare(
        f"INSERT INTO {args.keyspace}.{args.table} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)}) USING TIMESTAMP ?")
    insert.consistency_level = ConsistencyLevel.ONE
    rows = []
    for i in range(args.count):
        row = synthetic_row(i)
        # The values in the binary's column order, then USING TIMESTAMP: fetched_at in microseconds.
        rows.append(tuple(row[column] for column in columns) + (row["fetched_at"] * 1000,))
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
