#!/usr/bin/env bash
# Coverage-guided fuzzing of StreamJSON and the UsersContract transformer with libFuzzer + AddressSanitizer.
#
# Usage: scripts/fuzz-json.sh [seconds] [extra libFuzzer flags...]     (default: 60 seconds)
#   FUZZ_DIR=/tmp/x scripts/fuzz-json.sh 600 -jobs=2
#
# Builds StreamJSON and UsersContract with `swiftc -sanitize=fuzzer,address` (no SwiftPM, nothing in .build),
# links an entry point that, for every input:
#   1. parses it with JSONParser and walks every value (strings, numbers, members, elements);
#   2. when accepted, re-emits it with JSONWriter.writeCompact and checks the parser accepts the result with the
#      same number of values;
#   3. does 1 and 2 again with validatesUnicode off and no depth limit (the RandomUser page splitter's mode);
#   4. runs UserTransformer on it and checks every row line and dead letter it emits is valid JSON.
# Any crash, sanitizer report or failed check (a trap) stops the run and leaves a crash-* file in $FUZZ_DIR.
# The corpus starts from the JSON test suite and the RandomUser fixtures (shared folder: ../shared next to the
# repository, or $USERSTREAM_SHARED).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_TO_RUN="${1:-60}"
shift || true
SHARED="${USERSTREAM_SHARED:-$REPO/../shared}"
FUZZ_DIR="${FUZZ_DIR:-${TMPDIR:-/tmp}/userstream-fuzz-json}"
BUILD="$FUZZ_DIR/build"
CORPUS="$FUZZ_DIR/corpus"
mkdir -p "$BUILD" "$CORPUS"

FLAGS=(-O -sanitize=fuzzer,address -parse-as-library -enable-upcoming-feature ExistentialAny -swift-version 6)

echo "building StreamJSON..."
swiftc "${FLAGS[@]}" -module-name StreamJSON -emit-module -emit-module-path "$BUILD/StreamJSON.swiftmodule" \
    -emit-library -static -o "$BUILD/libStreamJSON.a" "$REPO"/Sources/Contract/StreamJSON/*.swift
echo "building UsersContract..."
swiftc "${FLAGS[@]}" -module-name UsersContract -I "$BUILD" -emit-module \
    -emit-module-path "$BUILD/UsersContract.swiftmodule" -emit-library -static -o "$BUILD/libUsersContract.a" \
    "$REPO"/Sources/Contract/UsersContract/*.swift

cat > "$BUILD/FuzzEntry.swift" <<'EOF'
import StreamJSON
import UsersContract

/// Reads every value the way the transformer does (strings unescaped, numbers converted).
func read(_ value: JSONValue) {
    switch value.kind {
    case .object:
        for (key, member) in value.members {
            _ = key.string
            read(member)
        }
    case .array:
        for element in value.elements { read(element) }
    case .string:
        _ = value.string
        _ = value.withStringUTF8 { $0.count }
    case .number:
        _ = value.number?.double
        _ = value.int64
    default:
        break
    }
}

/// When `parser` accepts `input`: reads every value, and checks its compact form parses to as many values.
func check(_ input: UnsafeRawBufferPointer, with parser: inout JSONParser, reparser: inout JSONParser) {
    guard let document = try? parser.parse(input) else { return }
    read(document.root)
    var out: [UInt8] = []
    JSONWriter.writeCompact(document.root, into: &out)
    let count = out.withUnsafeBytes { (try? reparser.parse($0))?.valueCount }
    precondition(count == document.valueCount, "compact re-emission must parse to the same values")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var parser = JSONParser()
    var again = JSONParser()
    check(input, with: &parser, reparser: &again)
    // The structure-only mode of the RandomUser page splitter: ill-formed text is kept, and reading it is safe.
    var lax = JSONParser()
    lax.validatesUnicode = false
    lax.maxDepth = .max
    var laxAgain = lax
    check(input, with: &lax, reparser: &laxAgain)
    var transformer = UserTransformer(options: TransformOptions(maxMessageBytes: 1 << 16, runStartedAt: 0))
    transformer.transform(input, context: RecordContext(receivedAt: 0), processedAt: 0) { outcome in
        let bytes: [UInt8]
        switch outcome {
        case .row(let row): bytes = RowJSON.encode(row)
        case .reject(let letter): bytes = letter.jsonBytes()
        }
        precondition(again.validate(bytes), "every emitted line must be valid JSON")
    }
    return 0
}
EOF
echo "building the fuzzer..."
swiftc "${FLAGS[@]}" -I "$BUILD" -L "$BUILD" -lUsersContract -lStreamJSON "$BUILD/FuzzEntry.swift" \
    -o "$BUILD/fuzz-json" 2> >(grep -v "Cannot export local symbol" >&2)

if [ -z "$(ls -A "$CORPUS")" ] && [ -d "$SHARED/fixtures" ]; then
    cp "$SHARED"/fixtures/json-test-suite/test_parsing/*.json "$CORPUS"/ 2>/dev/null || true
    cp "$SHARED"/fixtures/randomuser/*.json "$CORPUS"/ 2>/dev/null || true
fi

echo "fuzzing for ${SECONDS_TO_RUN}s (corpus: $CORPUS)..."
cd "$FUZZ_DIR"
exec "$BUILD/fuzz-json" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 "$@" "$CORPUS"
