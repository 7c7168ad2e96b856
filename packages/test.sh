#!/usr/bin/env bash
# Builds the portone-mock wheel and npm package from the checkout, installs each into a
# throwaway environment, and runs their suites against what was installed, never the
# source tree. Run by .ci/run; runs as well by hand from any directory.
#
# The release binary is built once, by cargo, for both: maturin's own cargo call then finds
# it fresh. The node:test suite needs no registry (the package has no dependencies). The
# rest needs one: maturin, pytest and mypy come from PyPI, TypeScript, Jest and Vitest from
# npm's. Each part that needs a registry is skipped, saying so, only when its registry
# cannot be reached; any other failure fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a step and says how long it took.
step() {
    local name=$1 started
    shift
    echo "-- $name"
    started=$(date +%s)
    "$@"
    echo "-- $name: $(($(date +%s) - started)) s"
}

version=$(node packages/npm/scripts/pack.mjs --check-version)
echo "portone-mock $version"

step "release binary (cargo build --release)" \
    cargo build --release --locked -p portone-mock --bin portone-mock
binary=${CARGO_TARGET_DIR:-$repo/target}/release/portone-mock
[ "$("$binary" --version)" = "portone-mock $version" ]

# ---- npm --------------------------------------------------------------------------------
npm_pack() {
    tarball=$(node packages/npm/scripts/pack.mjs --binary "$binary" --out "$work/npm" | tail -n1)
    echo "$tarball: $(du -h "$tarball" | cut -f1)"
}
step "npm pack" npm_pack

# A project of a Node team, with the package installed from the tarball and nothing else
# (--offline: it must need nothing from a registry).
project=$work/node-project
npm_install() {
    mkdir -p "$project"
    echo '{"name": "node-project", "private": true, "type": "module"}' > "$project/package.json"
    (cd "$project" && npm install --offline --no-audit --no-fund --loglevel=error "$tarball")
    [ "$("$project/node_modules/.bin/portone-mock" --version)" = "portone-mock $version" ]
    cp -r packages/npm/test "$project/test"
}
step "npm install (the tarball, offline)" npm_install
step "node --test" \
    bash -c 'cd "$1" && node --test test/mock.test.mjs test/require.test.cjs' _ "$project"

npm_tools() {
    (cd "$project" && npm install --no-save --no-audit --no-fund --loglevel=error \
        typescript@5 jest@30 vitest@4)
    (cd "$project" && npx --no-install tsc -p test/types/tsconfig.json)
    (cd "$project" && npx --no-install jest --rootDir test/runners --testMatch '**/jest.test.js' \
        --ci)
    (cd "$project" && npx --no-install vitest run --root test/runners vitest.test.mjs)
}
if (cd "$project" && npm ping --fetch-retries=1 --loglevel=error >/dev/null 2>&1); then
    # The type test is an ES module and Jest's default runtime loads CommonJS: the
    # project's test/runners folder is CommonJS, the rest stays a module.
    echo '{"type": "commonjs"}' > "$project/test/runners/package.json"
    step "TypeScript (tsc --noEmit), Jest and Vitest" npm_tools
else
    echo "SKIPPED: the npm registry cannot be reached: the types are not compiled and"
    echo "Jest and Vitest do not run (the node:test suite above did)."
fi

# ---- Python -----------------------------------------------------------------------------
if ! python3 -m pip index versions --retries 1 --timeout 20 pip >/dev/null 2>&1; then
    echo "SKIPPED: PyPI cannot be reached, and maturin and pytest come from it: the wheel"
    echo "is neither built nor tested."
    exit 0
fi

tools=$work/tools
wheel_build() {
    python3 -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.9,<2'
    (cd packages/python && "$tools/bin/maturin" build --release --locked --out "$work/wheels")
    wheel=$(ls "$work"/wheels/portone_mock-*.whl)
    echo "$wheel: $(du -h "$wheel" | cut -f1)"
}
step "maturin build" wheel_build

# A fresh venv; the wheel goes in with a PATH that holds the venv and nothing else, so no
# cargo (nor anything else) could build it, and from the file alone (--no-index).
venv=$work/venv
wheel_install() {
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check pytest mypy
    env PATH="$venv/bin" "$BASH" -c '! command -v cargo' || return 1
    env PATH="$venv/bin" "$venv/bin/pip" install --quiet --disable-pip-version-check \
        --no-index --no-deps "$wheel"
    [ "$("$venv/bin/portone-mock" --version)" = "portone-mock $version" ]
    cp -r packages/python/tests "$work/python-tests"
}
step "pip install (the wheel, no cargo on PATH)" wheel_install

# The venv is not activated and its bin folder is not on PATH: the plugin finds the
# binary beside the interpreter, as it does for `venv/bin/pytest` or an IDE's runner.
cd "$work"
# The installed package, and the tests as a user's typed code that calls it.
typecheck() {
    "$venv/bin/mypy" --strict --cache-dir=/dev/null -p portone_mock
    "$venv/bin/mypy" --strict --cache-dir=/dev/null python-tests
}
step "mypy --strict" typecheck
step "pytest" \
    env PATH=/usr/bin:/bin "$venv/bin/python" -m pytest -p no:cacheprovider python-tests
