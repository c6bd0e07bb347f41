#!/usr/bin/env bash
# Check the printed order sheet with poppler: for completed vignettes on A4 and US Letter,
# `ketaplan order` writes a PDF whose text (pdftotext) holds the patient, the mg/h and mL/h
# figures, the protocol hash and every finding's message, never "µg" nor a trailing ".0 mg",
# "Page i of n" on every page; every page renders (pdftoppm). The discharge handout is one
# page without sources; a reprint (--copy) says COPY and every page the valid-for date. Also: a refusal exits 3 and
# writes nothing; a write failure exits 4 and leaves nothing. Patient names in Latin, Greek,
# Cyrillic, Hebrew, Arabic and Persian read back exactly; a name the fonts cannot draw is refused (exit 2).
#
# usage: scripts/check_pdf.sh [path/to/ketaplan] [out-dir-for-PNGs]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/ketaplan}
PNG_DIR=${2:-}
for tool in pdftotext pdftoppm pdfinfo python3; do
    command -v "$tool" >/dev/null || { echo "check_pdf: $tool is missing (poppler-utils)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$BIN" "$tmp" "$PNG_DIR" <<'PY'
import json, os, re, subprocess, sys
sys.path.insert(0, "scripts")
import ci_cases
bin_, tmp, png_dir = sys.argv[1], sys.argv[2], sys.argv[3]
fails = []

runs = [0]

def run(*args, ledger=None):
    # The print date is the order date (debug builds honour KETAPLAN_TODAY), and each run
    # keeps its own order ledger unless one is shared (an original, then its COPY).
    runs[0] += 1
    env = dict(os.environ, KETAPLAN_TODAY="2026-11-20",
               KETAPLAN_LEDGER=ledger or os.path.join(tmp, f"ledger-{runs[0]}.ron"))
    return subprocess.run([bin_, *args], capture_output=True, text=True, env=env)

def complete(path, extra=None):
    return ci_cases.complete(path, lambda c: json.loads(run("plan", write(c, "probe.json")).stdout), extra)

def write(case, name):
    p = os.path.join(tmp, name)
    json.dump(case, open(p, "w"))
    return p

def fmt_num(x, places=1):
    s = f"{round(x + 0.0, places):,.{places}f}".rstrip("0").rstrip(".")
    return s

def monitored(c):
    c["screening"] = ["concurrent_sedatives", "hyperthyroidism"]
    c["regimen"]["max_infusion"] = {"value": 0.8, "unit": "mg/kg/h"}
    c["justifications"] = {
        "bolus_above_guideline": "Two earlier sessions at 0.4 mg/kg were tolerated without sedation.",
        "hyperthyroidism": "Endocrinology reviewed: thyroid function normal on treatment on 2026-11-10.",
    }

cases = {
    "standard": complete("tests/cases/p01-crps-contract-example-lb-positive.case.json"),
    "monitored": complete("tests/cases/p24-crps-18-bolus-over-15-min-soft-sedatives.case.json", monitored),
}
sha = json.loads(run("protocol", "check", "protocols/asra-aapm-asa-2018.ron").stdout)["sha256"]
for name, case in cases.items():
    path = write(case, name + ".json")
    plan = json.loads(run("plan", path).stdout)
    for paper in ("a4", "letter"):
        pdf = os.path.join(tmp, f"{name}-{paper}.pdf")
        r = run("order", path, "--out", pdf, "--on", "2026-11-20", "--paper", paper)
        if r.returncode != 0:
            fails.append(f"{name} {paper}: exit {r.returncode}: {r.stderr.strip()}")
            continue
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        want = (595, 842) if paper == "a4" else (612, 792)
        if (round(float(size.group(1))), round(float(size.group(2)))) != want:
            fails.append(f"{name} {paper}: page size {size.group(0)}")
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        flat = " ".join(text.split())
        needles = ["Jane Example", "000123", sha, sha[:12], "Not valid without signature",
                   "HIGH-ALERT medication",
                   fmt_num(plan["infusion_mg_per_h"]) + " mg/h",
                   fmt_num(plan["pump_ml_per_h"]) + " mL/h",
                   fmt_num(plan["max_pump_ml_per_h"]) + " mL/h"]
        needles += [" ".join(f["message"].split()) for f in plan["findings"]]
        needles += [" ".join(a["message"].split()) for a in plan["limit_alerts"]]
        for n in needles:
            if n not in flat:
                fails.append(f"{name} {paper}: missing {n[:70]!r}")
        for bad in ("µg", "μg", ".0 mg", ".0 mL"):
            if bad in flat:
                fails.append(f"{name} {paper}: contains {bad!r}")
        per_page = text.split("\f")
        for i in range(pages):
            if f"Page {i + 1} of {pages}" not in per_page[i]:
                fails.append(f"{name} {paper}: page {i + 1} lacks 'Page {i + 1} of {pages}'")
        prefix = os.path.join(png_dir or tmp, f"{name}-{paper}")
        if png_dir:
            os.makedirs(png_dir, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", pdf, prefix], check=True)
        pngs = [f for f in os.listdir(png_dir or tmp) if f.startswith(f"{name}-{paper}-") and f.endswith(".png")]
        if len(pngs) != pages:
            fails.append(f"{name} {paper}: {len(pngs)} PNGs for {pages} pages")
        print(f"ok {name} {paper}: {pages} pages")

# The handout: one page, plain language; a reprint says COPY on every page; every page says
# the date the order is valid for.
std = write(cases["standard"], "std.json")
order_pdf, hand_pdf = os.path.join(tmp, "o.pdf"), os.path.join(tmp, "handout.pdf")
shared = os.path.join(tmp, "ledger-copy.ron")
first = run("order", std, "--out", os.path.join(tmp, "original.pdf"), "--on", "2026-11-20", ledger=shared)
if first.returncode != 0:
    fails.append(f"original before the copy: exit {first.returncode}: {first.stderr.strip()}")
r = run("order", std, "--out", order_pdf, "--on", "2026-11-20", "--handout", hand_pdf, "--copy", ledger=shared)
if r.returncode != 0:
    fails.append(f"handout: exit {r.returncode}: {r.stderr.strip()}")
else:
    info = subprocess.run(["pdfinfo", hand_pdf], capture_output=True, text=True).stdout
    if int(re.search(r"Pages:\s+(\d+)", info).group(1)) != 1:
        fails.append("handout: not one page")
    flat = " ".join(subprocess.run(["pdftotext", hand_pdf, "-"], capture_output=True, text=True).stdout.split())
    for n in ("Jane Example", "An adult must take you home.", "until the next day", "Call us if", "Pain Clinic"):
        if n not in flat:
            fails.append(f"handout: missing {n!r}")
    for bad in ("Source", "L324", "Table 4", " IV "):
        if bad in flat:
            fails.append(f"handout: contains {bad!r}")
    per_page = subprocess.run(["pdftotext", order_pdf, "-"], capture_output=True, text=True).stdout.split("\f")
    for i, page in enumerate(p for p in per_page if p.strip()):
        flat = " ".join(page.split())
        for n in ("COPY", "COPY. Not valid without signature", "Valid for 2026-11-20 only"):
            if n not in flat:
                fails.append(f"copy: page {i + 1} lacks {n!r}")
    if png_dir:
        subprocess.run(["pdftoppm", "-png", "-r", "60", hand_pdf, os.path.join(png_dir, "handout")], check=True)
    print("ok handout and COPY")

# A refusal writes nothing; a write failure leaves nothing.
bad = dict(cases["standard"]); bad["order"] = dict(bad["order"]); del bad["order"]["mrn"]
out = os.path.join(tmp, "refused.pdf")
r = run("order", write(bad, "bad.json"), "--out", out, "--on", "2026-11-20")
if r.returncode != 3 or os.path.exists(out) or "mrn" not in r.stderr:
    fails.append(f"refusal: exit {r.returncode}, file {os.path.exists(out)}")
r = run("order", write(cases["standard"], "s.json"), "--out", "/nonexistent-dir/x.pdf", "--on", "2026-11-20")
if r.returncode != 4 or os.path.exists("/nonexistent-dir/x.pdf"):
    fails.append(f"write failure: exit {r.returncode}")

# Names print exactly as written (read back with pdftotext, which puts right-to-left text
# back in logical order), or are refused at entry naming the character: never empty boxes.
BIDI_MARKS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
for i, name in enumerate(["Zoë Ñúñez-Øster", "Γιώργος Παπαδόπουλος", "Анна Иванова", "דוד כהן",
                          "محمد رضا", "پریسا ژاله", "عبدالله سلامی"]):
    case = dict(cases["standard"]); case["order"] = dict(case["order"]); case["order"]["patient_name"] = name
    pdf = os.path.join(tmp, f"name-{i}.pdf")
    r = run("order", write(case, f"name-{i}.json"), "--out", pdf, "--on", "2026-11-20")
    if r.returncode != 0:
        fails.append(f"name {name!r}: exit {r.returncode}: {r.stderr.strip()}")
        continue
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    if name not in text.translate(BIDI_MARKS):
        fails.append(f"name {name!r} does not read back from the PDF")
for name, code in [("Zoë Ñúñez-Øster 李", "U+674E"), ("देवी", "U+0926")]:
    case = dict(cases["standard"]); case["order"] = dict(case["order"]); case["order"]["patient_name"] = name
    out = os.path.join(tmp, "refused-name.pdf")
    r = run("order", write(case, "refused-name.json"), "--out", out, "--on", "2026-11-20")
    if r.returncode != 2 or os.path.exists(out) or code not in r.stdout + r.stderr:
        fails.append(f"name {name!r}: exit {r.returncode}, expected 2 naming {code}")
print("ok names: printed exactly or refused")

for f in fails:
    print("FAIL", f)
sys.exit(1 if fails else 0)
PY
echo "check_pdf: all checks passed"
