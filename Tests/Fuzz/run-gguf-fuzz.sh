#!/usr/bin/env bash
# Fuzzes the GGUF reader with libFuzzer and AddressSanitizer for a bounded time.
#
# Usage: Tests/Fuzz/run-gguf-fuzz.sh [seconds=60] [extra libFuzzer flags...]
#
# Builds into .build-fuzz/ (gitignored): make-seeds writes the seed corpus (crafted files and reduced
# headers of ../shared/fixtures/vocab/*.gguf) to .build-fuzz/seeds; new inputs found are kept in
# .build-fuzz/corpus across runs; crashes, timeouts and out-of-memory inputs go to
# .build-fuzz/artifacts/. Reproduce one with: .build-fuzz/gguf-fuzz <artifact>.
# Exits non-zero when libFuzzer finds a problem.
set -euo pipefail
shopt -s nullglob

seconds="${1:-60}"
shift || true
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/.build-fuzz"
support="$root/Tests/StrataGGUFTests/Support"
sources=("$root"/Sources/StrataGGUF/*.swift)
mkdir -p "$out/corpus" "$out/artifacts"

linker=()
if command -v ld.lld > /dev/null; then linker=(-use-ld=lld); fi

echo "building seed writer and fuzzer in $out"
swiftc -O -parse-as-library -module-name GGUFSeeds "${linker[@]}" \
    "${sources[@]}" "$support/GGUFBuilder.swift" "$support/GGUFSeedFiles.swift" "$root/Tests/Fuzz/MakeSeeds.swift" \
    -o "$out/make-seeds"
swiftc -O -g -sanitize=fuzzer,address -parse-as-library -module-name GGUFFuzz "${linker[@]}" \
    "${sources[@]}" "$support/GGUFInvariants.swift" "$root/Tests/Fuzz/GGUFFuzz.swift" \
    -o "$out/gguf-fuzz"

rm -rf "$out/seeds"
"$out/make-seeds" "$out/seeds" "$root"/../shared/fixtures/vocab/*.gguf

# The Swift runtime's backtracer would hold the crash for up to 30 s; libFuzzer reports it instead.
export SWIFT_BACKTRACE=enable=no
exec "$out/gguf-fuzz" "$out/corpus" "$out/seeds" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -dict="$root/Tests/Fuzz/gguf.dict" -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$@"
