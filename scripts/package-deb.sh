#!/usr/bin/env bash
# Build the Debian package target/debian/ketaplan_VERSION_amd64.deb with cargo-deb (installed
# from crates.io when missing): the release binary (lto, one codegen unit, stripped), the
# desktop entry, icons, MIME types for *.ketaplan and *.case.ron / *.case.json, the built-in
# protocol pack, the README and licences. Extra arguments go to cargo deb.
#
# usage: scripts/package-deb.sh [cargo-deb options]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo deb --version >/dev/null 2>&1; then
    echo "package-deb: installing cargo-deb from crates.io"
    cargo install cargo-deb --locked --version "^3"
fi
cargo deb --locked "$@"
ls -l target/debian/ketaplan_*_amd64.deb
