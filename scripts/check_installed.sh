#!/usr/bin/env bash
# Check the installed Debian package (after `apt-get install ./target/debian/ketaplan_*.deb`):
# /usr/bin/ketaplan plans a vignette and checks the shipped pack, the desktop entry is valid,
# *.ketaplan and *.case.ron files are ketaplan's MIME types with ketaplan as their default
# application, the smoke test passes on the installed binary, and opening a course file the
# way a file manager does (gio open, through the desktop entry) starts ketaplan with it:
# a screenshot of that window goes to OUT.
#
# usage: scripts/check_installed.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/installed}
mkdir -p "$OUT"
BIN=/usr/bin/ketaplan
test -x "$BIN"
"$BIN" --version
"$BIN" plan tests/cases/p01-crps-contract-example-lb-positive.case.json |
    python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["status"] == "ok" and d["infusion_mg_per_h"] > 0, d; print("installed: plan", d["status"], d["infusion_mg_per_h"], "mg/h")'
"$BIN" protocol check /usr/share/ketaplan/protocols/asra-aapm-asa-2018.ron >/dev/null
test -f /usr/share/doc/ketaplan/README.md
test -f /usr/share/icons/hicolor/scalable/apps/ketaplan.svg
test -f /usr/share/icons/hicolor/256x256/apps/ketaplan.png
desktop-file-validate /usr/share/applications/ketaplan.desktop

files=$(mktemp -d)
cp tests/courses/fhir-flowsheet.ketaplan "$files/Jane Example.ketaplan"
cp tests/cases/p01-crps-contract-example-lb-positive.case.json "$files/jane.case.json"
printf '(schema: "ketaplan.case/1")\n' > "$files/jane.case.ron"
for pair in "Jane Example.ketaplan:application/x-ketaplan-course" \
            "jane.case.json:application/x-ketaplan-case" "jane.case.ron:application/x-ketaplan-case"; do
    file=${pair%%:*}
    want=${pair#*:}
    got=$(gio info -a standard::content-type "$files/$file" | awk '/standard::content-type/ {print $2}')
    [ "$got" = "$want" ] || { echo "installed: $file is $got, not $want" >&2; exit 1; }
    default=$(gio mime "$want" | sed -n 1p)
    case "$default" in
        *ketaplan.desktop*) ;;
        *) echo "installed: ketaplan is not the default application for $want: $default" >&2; exit 1 ;;
    esac
done
echo "installed: MIME types and default application registered"

BIN=$BIN OUT=$OUT bash scripts/smoke.sh

export XDG_RUNTIME_DIR
XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_CONFIG_HOME="$XDG_RUNTIME_DIR/config" XDG_DATA_HOME="$XDG_RUNTIME_DIR/data"
xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
    gio open "$1"
    for _ in $(seq 1 20); do
        pgrep -f "^(/usr/bin/)?ketaplan .*Jane Example.ketaplan" >/dev/null && break
        sleep 0.5
    done
    pid=$(pgrep -f "^(/usr/bin/)?ketaplan .*Jane Example.ketaplan" || true)
    [ -n "$pid" ] || { echo "installed: gio open did not start ketaplan with the file" >&2; exit 1; }
    sleep 5
    import -window root "$2/opened-from-file-manager.png"
    kill "$pid"
    echo "installed: opening the course file started /usr/bin/ketaplan with it"
' _ "$files/Jane Example.ketaplan" "$OUT"
rm -rf "$files"
