#!/usr/bin/env bash
# Fuzzes every target for SECONDS (default 60) each with AFL++ on the stable toolchain.
# Needs `cargo install cargo-afl` once (it builds AFL++ and its runtime). Findings land in
# out/<target>/default/crashes; replay one with `target/release/<target> < file`.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
cargo afl build --release
mkdir -p out
for target in segment query envelope template webhook; do
    AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        cargo afl fuzz -i "in/$target" -o "out/$target" -V "$seconds" "target/release/$target" \
        > "out/$target.log" 2>&1
    stats="out/$target/default/fuzzer_stats"
    echo "$target: $(grep -E '^(execs_done|corpus_count|saved_crashes|saved_hangs)' "$stats" | tr -s ' ' | tr '\n' ' ')"
    crashes=$(grep -E '^saved_crashes' "$stats" | awk '{print $3}')
    hangs=$(grep -E '^saved_hangs' "$stats" | awk '{print $3}')
    if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
        echo "$target: findings in out/$target/default/" >&2
        exit 1
    fi
done
