#!/usr/bin/env bash
# Interleaved pairs for A/B work on the hot path: N runs of 2M canonical records, subfeed then
# the batched feeder written as a pipeline-driven Writable, alternated. Prints the median of
# the per-pair ratios (writable feeder seconds / subfeed seconds; higher is better for subfeed).
# Usage: bench/pairs.sh [pairs=8]
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsx -e 'require("./bench/compile.ts").compileForContenders()' >/dev/null
child=node_modules/.cache/subfeed-bench/bench/child.js
seconds() {
  node "$child" "{\"contender\":\"$1\",\"workload\":{\"kind\":\"canonical\",\"records\":2000000,\"workers\":2},\"settings\":{}}" |
    sed 's/.*"seconds":\([0-9.]*\).*/\1/'
}
for _ in $(seq "${1:-8}"); do
  subfeed=$(seconds subfeed)
  feeder=$(seconds writable-feeder)
  node -e "console.log(($feeder / $subfeed).toFixed(3))"
done | sort -n | awk '{ r[NR] = $1 } END { printf "median %s (min %s, max %s, %d pairs)\n", r[int((NR + 1) / 2)], r[1], r[NR], NR }'
