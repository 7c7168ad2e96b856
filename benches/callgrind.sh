#!/usr/bin/env bash
# Instructions per call, generated client against hand-written and naive reqwest, on both
# answer sizes, counted by callgrind (deterministic: the same binary and inputs give nearly
# the same count whatever the machine is doing). Each side runs twice, with LOW and HIGH
# calls per task (20 and 60 with 64 tasks, 500 and 1500 with one); the difference divided
# by the extra calls is the cost of one call, set-up excluded.
#
#   benches/callgrind.sh [tasks] [sizes]    # default: 64 tasks, "full small"; needs valgrind
#   benches/callgrind.sh 1 small            # sequential, small answer only
#
# With KEEP=dir, the profiles of the HIGH runs are kept there for callgrind_annotate.
set -euo pipefail
cd "$(dirname "$0")/.."
width="${1:-64}"
sizes="${2:-full small}"
if (( width == 1 )); then low="${LOW:-500}" high="${HIGH:-1500}"; else low="${LOW:-20}" high="${HIGH:-60}"; fi
cargo build --release -q -p portone-benches --bin per_call
count() { # side size calls
  local out=/dev/null
  if [[ -n "${KEEP:-}" && "$3" == "$high" ]]; then
    mkdir -p "$KEEP"
    out="$KEEP/callgrind.$1.$2.$width"
  fi
  valgrind --tool=callgrind --callgrind-out-file="$out" target/release/per_call "$1" "$2" "$3" "$width" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for size in $sizes; do
  declare -A per=()
  for side in generated handwritten naive; do
    a=$(count "$side" "$size" "$low")
    b=$(count "$side" "$size" "$high")
    per[$side]=$(( (b - a) / (width * (high - low)) ))
    printf '%-6s %-12s %8d instructions per call (%s tasks)\n' "$size" "$side" "${per[$side]}" "$width"
  done
  awk -v g="${per[generated]}" -v h="${per[handwritten]}" -v n="${per[naive]}" -v s="$size" \
    'BEGIN { printf "%-6s generated / hand-written %.4f (throughput-equivalent %.4f), generated / naive %.4f (throughput-equivalent %.4f)\n", s, g / h, h / g, g / n, n / g }'
done
