#!/usr/bin/env bash
# The OpenAPI documents through the tools around OpenAPI (docs/openapi-interop.md):
#   xtask/openapi-tools.sh install   Redocly CLI (npm) and openapi-spec-validator and
#                                    openapi-python-client (pip, in a virtual environment) under
#                                    target/openapi-tools, and cargo-progenitor (cargo) if missing
#   xtask/openapi-tools.sh check     exports the documents and runs every tool on them; fails on
#                                    the first tool that refuses one
set -euo pipefail
cd "$(dirname "$0")/.."

tools="target/openapi-tools"
REDOCLY_VERSION="2.77.0"
SPEC_VALIDATOR_VERSION="0.9.0"
PYTHON_CLIENT_VERSION="0.29.1"

install() {
    mkdir -p "$tools"
    npm install --prefix "$tools/npm" --no-fund --no-audit "@redocly/cli@$REDOCLY_VERSION"
    python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install --quiet "openapi-spec-validator==$SPEC_VALIDATOR_VERSION" \
        "openapi-python-client==$PYTHON_CLIENT_VERSION"
    command -v cargo-progenitor >/dev/null || cargo install cargo-progenitor --locked
}

check() {
    local out="$tools/out"
    rm -rf "$out"
    mkdir -p "$out"
    cp generated/openapi.json "$out/openapi-3.1.json"
    cargo xtask openapi --dialect 3.0 --out "$out/openapi-3.0.json"
    cargo xtask openapi --dialect 3.0 --for generators --out "$out/openapi-3.0-generators.json"

    for document in openapi-3.1.json openapi-3.0.json; do
        echo "== redocly lint $document"
        "$tools/npm/node_modules/.bin/redocly" lint "$out/$document" --format=summary
        echo "== openapi-spec-validator $document"
        "$tools/venv/bin/openapi-spec-validator" "$out/$document"
    done

    echo "== cargo progenitor, then cargo check of its crate"
    cargo progenitor --input "$out/openapi-3.0-generators.json" --output "$out/progenitor" \
        --name nexudus-progenitor --version 0.0.0 >/dev/null
    # Its own workspace: the crate is not a member of this one. Its own target folder, kept
    # between runs: its dependencies (reqwest 0.13, ...) are not this workspace's.
    printf '\n[workspace]\n' >>"$out/progenitor/Cargo.toml"
    (cd "$out/progenitor" && CARGO_TARGET_DIR="$PWD/../../progenitor-target" cargo check --quiet)

    echo "== openapi-python-client generate, then a get-many against a local server"
    (cd "$out" && "../venv/bin/openapi-python-client" generate --path openapi-3.0-generators.json \
        --meta none --output-path python_client >/dev/null)
    "$tools/venv/bin/python" xtask/openapi_tools_get_many.py "$out"
}

case "${1:-}" in
    install) install ;;
    check) check ;;
    *)
        echo "usage: xtask/openapi-tools.sh install|check" >&2
        exit 2
        ;;
esac
