#!/usr/bin/env bash
# Compile cost of `#[portone::api]`: a crate declaring 200 endpoints with the macro against
# the same 200 written by hand against the runtime. Prints the build times (median of 3) of
# each crate alone (dependencies already built) and after touching one method, and the
# ratios macro / hand-written.
#
#   benches/compile/run.sh            # from the repository root
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/target/compile-bench"
n=200
rm -rf "$work"
mkdir -p "$work"

write_crate() { # name
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
portone = { path = "$root/portone" }
serde_json = "1"

[workspace]
TOML
  # The workspace's lock file, so the dependencies are the ones already built in target/.
  cp "$root/Cargo.lock" "$work/$1/Cargo.lock"
}

# A caller of every method on the real client, so the futures are compiled too, as in an
# application (a library of generic methods alone would only be type-checked).
calls() {
  echo 'pub async fn call_all(client: &portone::Client) {'
  for i in $(seq 1 $n); do
    echo "    let _ = client.thing_$i(\"id\", None).await;"
  done
  echo '}'
}

gen_macro() { # variant
  {
    echo '#[portone::api]'
    echo 'pub trait Generated {'
    for i in $(seq 1 $n); do
      local seg="n$i"; [ "$i" = 1 ] && seg="n1$1"
      # Not PortOne routes: marked so, the macro still looks each up in its spec table
      # (an `undocumented` route must not be a documented one).
      echo "    #[get(\"/things/<id>/$seg\", undocumented)]"
      echo "    async fn thing_$i(&self, id: &str, #[query] page: Option<u32>) -> portone::Result<serde_json::Value>;"
    done
    echo '}'
    calls
  } > "$work/with_macro/src/lib.rs"
}

gen_manual() { # variant
  {
    echo 'use std::future::Future;'
    echo 'use portone::{Execute, Method, Request};'
    echo 'pub trait Manual {'
    for i in $(seq 1 $n); do
      echo "    fn thing_$i(&self, id: &str, page: Option<u32>) -> impl Future<Output = portone::Result<serde_json::Value>> + Send + use<Self>;"
    done
    echo '}'
    echo 'impl<C: Execute + ?Sized> Manual for C {'
    for i in $(seq 1 $n); do
      local seg="n$i"; [ "$i" = 1 ] && seg="n1$1"
      echo "    fn thing_$i(&self, id: &str, page: Option<u32>) -> impl Future<Output = portone::Result<serde_json::Value>> + Send + use<C> {"
      echo "        let request = Request::builder(Method::GET, \"/things/<id>/$seg\").path(\"/things\").segment(id).path(\"/$seg\").query(\"page\", &page).build();"
      echo "        let call = request.map(|request| self.call(request));"
      echo "        async move { call?.await }"
      echo "    }"
    done
    echo '}'
    calls
  } > "$work/by_hand/src/lib.rs"
}

seconds() { # dir
  local start end
  start=$(date +%s.%N)
  (cd "$work/$1" && CARGO_TARGET_DIR="$root/target" cargo build -q)
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }' 
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

write_crate with_macro
write_crate by_hand
gen_macro a
gen_manual a
# Build the dependencies once (and both crates), so the timings below are the crates alone.
seconds with_macro >/dev/null
seconds by_hand >/dev/null

declare -A clean incr
for crate in with_macro by_hand; do
  c=(); i=()
  for run in 1 2 3; do
    touch "$work/$crate/src/lib.rs"
    rm -rf "$root/target/debug/.fingerprint/$crate-"* "$root/target/debug/incremental/$crate-"*
    c+=("$(seconds "$crate")")
    if [ "$crate" = with_macro ]; then gen_macro "v$run"; else gen_manual "v$run"; fi
    i+=("$(seconds "$crate")")
  done
  clean[$crate]=$(median3 "${c[@]}")
  incr[$crate]=$(median3 "${i[@]}")
done

printf 'endpoints: %d\n' "$n"
printf 'clean build of the crate:  macro %6.2f s  by hand %6.2f s  ratio %.2f\n' \
  "${clean[with_macro]}" "${clean[by_hand]}" "$(ratio "${clean[with_macro]}" "${clean[by_hand]}")"
printf 'after touching one method: macro %6.2f s  by hand %6.2f s  ratio %.2f\n' \
  "${incr[with_macro]}" "${incr[by_hand]}" "$(ratio "${incr[with_macro]}" "${incr[by_hand]}")"
