#!/usr/bin/env bash
# Renders every page, view and dialog of the desktop app under Xvfb into docs/screenshots/.
# Needs a debug build (the KETAPLAN_* preload variables are ignored in release builds).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/debug/ketaplan}
OUT=${OUT:-docs/screenshots}
# A busy case: a bolus over the guideline, a sedative finding, reasons to give.
BUSY=${BUSY:-tests/cases/p24-crps-18-bolus-over-15-min-soft-sedatives.case.json}
# A complete case with the order's identifiers filled in.
FULL=${FULL:-tests/cases/p01-crps-contract-example-lb-positive.case.json}
WAIT_S=${WAIT_S:-4}
mkdir -p "$OUT"
tmp=$(mktemp -d)
chmod 700 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# A private runtime dir and throwaway preferences / restore files.
export XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"

# A small clinic database for the Patients page: one imported course file, three sessions added.
CLINIC_DB="$tmp/clinic.db"
"$BIN" db migrate --db "sqlite:$CLINIC_DB" >/dev/null
"$BIN" course import tests/courses/v4-prolonged-100h.ketaplan --db "sqlite:$CLINIC_DB" >/dev/null
python3 - "$FULL" "$tmp" <<'CASES'
import json, sys
case = json.load(open(sys.argv[1]))
for mrn, name in [("A-1042", "Ana Ferreira"), ("B-2210", "Björn Öberg"), ("C-0007", "Chen Wei")]:
    case["order"]["mrn"], case["order"]["patient_name"] = mrn, name
    json.dump(case, open(f"{sys.argv[2]}/{mrn}.case.json", "w"))
CASES
for mrn in A-1042 B-2210 C-0007; do
    "$BIN" session add "$mrn" "$tmp/$mrn.case.json" --on 2026-10-20 --db "sqlite:$CLINIC_DB" >/dev/null
done
export CLINIC_DB

# One Xvfb for every shot: name, then the environment for that shot.
xvfb-run -a -s '-screen 0 1280x800x24' bash -s "$BIN" "$OUT" "$WAIT_S" "$BUSY" "$FULL" <<'SHOTS'
set -euo pipefail
BIN=$1 OUT=$2 WAIT_S=$3 BUSY=$4 FULL=$5
shoot() {
    local name=$1
    shift
    rm -rf "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
    env "$@" "$BIN" &
    local app=$!
    sleep "$WAIT_S"
    if ! kill -0 "$app" 2>/dev/null; then
        echo "screenshots: the app exited before $name" >&2
        exit 1
    fi
    # The window opens at 0,0 (no window manager) at its default 1200x800.
    import -window root -crop 1200x800+0+0 +repage "$OUT/$name.png"
    kill "$app"
    wait "$app" 2>/dev/null || true
    echo "screenshots: $OUT/$name.png"
}
shoot patient KETAPLAN_OPEN="$FULL" KETAPLAN_PAGE=patient
shoot indication KETAPLAN_OPEN="$FULL" KETAPLAN_PAGE=indication
shoot screening KETAPLAN_OPEN="$BUSY" KETAPLAN_PAGE=screening
shoot regimen KETAPLAN_OPEN="$BUSY" KETAPLAN_PAGE=regimen
shoot review KETAPLAN_OPEN="$BUSY" KETAPLAN_PAGE=review
shoot order KETAPLAN_OPEN="$FULL" KETAPLAN_PAGE=order
shoot review-dark KETAPLAN_OPEN="$BUSY" KETAPLAN_PAGE=review KETAPLAN_THEME=dark
shoot new-case
shoot protocol KETAPLAN_VIEW=protocol
shoot preferences KETAPLAN_VIEW=preferences
shoot patients KETAPLAN_VIEW=patients KETAPLAN_DB="sqlite:$CLINIC_DB"
# A conflict: the course is open here when another workstation adds a session; then Save.
if command -v xdotool >/dev/null; then
    rm -rf "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
    KETAPLAN_DB="sqlite:$CLINIC_DB" KETAPLAN_CLINIC_OPEN=000123 "$BIN" &
    app=$!
    sleep "$WAIT_S"
    "$BIN" session add 000123 "$FULL" --db "sqlite:$CLINIC_DB" --user nurse-b >/dev/null
    xdotool mousemove 290 154 click 1
    sleep 2
    import -window root -crop 1200x800+0+0 +repage "$OUT/course-conflict.png"
    kill "$app"
    wait "$app" 2>/dev/null || true
    echo "screenshots: $OUT/course-conflict.png"
fi
shoot dialog-open KETAPLAN_OPEN="$FULL" KETAPLAN_DIALOG=open
shoot dialog-unsaved KETAPLAN_OPEN="$FULL" KETAPLAN_DIALOG=unsaved
SHOTS
