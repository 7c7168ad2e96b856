#!/usr/bin/env bash
# Real clients against the portone-mock binary: PortOne's official Python client
# (`iamport-rest-client`, PyPI) and the Node client `iamporter` (npm), each installed into
# a throwaway environment (a venv, a temp npm project) under one temp directory, each
# driving a mock of its own (python/check.py, node/check.js).
#
# Skipped, saying so, only when a package registry cannot be reached; any other failure
# (an install that fails for another reason, a step of a script) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p portone-mock
bin=$PWD/target/debug/portone-mock
work=$(mktemp -d)
mock_pid=
cleanup() {
    if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# What the installers print when the registry is out of reach (no route, no DNS, refused,
# timed out), as opposed to a failure of the package or of this script.
unreachable='NewConnectionError|Failed to establish|Temporary failure in name resolution|Network is unreachable|Max retries exceeded|ReadTimeoutError|No matching distribution found|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|ENETUNREACH'

# Installs with "$@"; returns 0 when installed, 1 when the registry cannot be reached, and
# fails the run otherwise.
install() {
    local log=$1
    shift
    if "$@" >"$log" 2>&1; then
        return 0
    fi
    if grep -qE "$unreachable" "$log"; then
        return 1
    fi
    cat "$log"
    echo "client-check: installing failed for another reason than the network" >&2
    exit 1
}

# Starts the mock with "$@", sets $url, and remembers its pid.
start_mock() {
    "$bin" --port 0 "$@" >"$work/url" 2>"$work/mock.log" &
    mock_pid=$!
    for _ in $(seq 1 300); do
        if [ -s "$work/url" ]; then break; fi
        if ! kill -0 "$mock_pid" 2>/dev/null; then cat "$work/mock.log"; exit 1; fi
        sleep 0.1
    done
    url=$(head -n1 "$work/url")
    [ -n "$url" ] || { cat "$work/mock.log"; exit 1; }
}

stop_mock() {
    kill -TERM "$mock_pid"
    wait "$mock_pid"
    mock_pid=
    : >"$work/url"
}

echo "-- Python: iamport-rest-client"
python3 -m venv "$work/venv"
if install "$work/pip.log" "$work/venv/bin/pip" install --disable-pip-version-check \
    --retries 2 --timeout 20 -q iamport-rest-client; then
    "$work/venv/bin/pip" show iamport-rest-client | grep -E '^(Name|Version):'
    start_mock
    "$work/venv/bin/python" client-check/python/check.py "$url" mock_imp_key \
        mock_imp_secret_0123456789abcdef
    stop_mock
else
    echo "SKIPPED: iamport-rest-client could not be installed: the Python package registry cannot be reached"
fi

echo "-- Node: iamporter"
mkdir "$work/node"
(cd "$work/node" && npm init -y >/dev/null)
if install "$work/npm.log" npm install --prefix "$work/node" --no-audit --no-fund \
    --fetch-retries 1 iamporter; then
    echo "iamporter $(node -p "require('$work/node/node_modules/iamporter/package.json').version")"
    secret=mock_secret_for_the_node_client
    # The key in PortOne's documented case; the client sends its own default, imp_apiKey.
    start_mock --api-key imp_apikey --api-secret "$secret"
    NODE_PATH="$work/node/node_modules" node client-check/node/check.js "$url" "$secret"
    stop_mock
else
    echo "SKIPPED: iamporter could not be installed: the npm registry cannot be reached"
fi
