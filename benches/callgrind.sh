#!/usr/bin/env bash
# Instructions per call, generated client against hand-written reqwest, counted by
# callgrind (deterministic: the same binary and inputs give the same count whatever the
# machine is doing). Each variant runs twice, with 20 and 60 calls per task (64 tasks);
# the difference divided by the extra calls is the cost of one call, set-up excluded.
#
#   benches/callgrind.sh        # needs valgrind
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p portone-benches --bin per_call
count() { # variant calls
  valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/per_call "$1" "$2" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
declare -A per
for variant in generated handwritten; do
  low=$(count "$variant" 20)
  high=$(count "$variant" 60)
  per[$variant]=$(( (high - low) / (64 * 40) ))
  printf '%-12s %8d instructions per call\n' "$variant" "${per[$variant]}"
done
awk -v g="${per[generated]}" -v h="${per[handwritten]}" \
  'BEGIN { printf "ratio generated / hand-written: %.4f (throughput-equivalent %.4f)\n", g / h, h / g }'
