#!/usr/bin/env python3
"""Validate ketaplan's FHIR R4 bundles with an independent implementation (fhir.resources,
its R4B models) and check what those models do not: the codes (Bundle type, statuses,
intent, UCUM units, LOINC codes) and that every number equals the plan's.

usage: check_fhir.py BINARY CASE_FOLDER... --courses COURSE_FOLDER
Every vignette in the case folders is made printable (ci_cases.complete); `fhir order`
must write a bundle exactly when `order` prints the sheet (else both refuse, exit 3).
Every course file in the course folder whose name does not say "invalid" is exported
with `fhir course` and validated.
"""
import json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ci_cases
from fhir.resources.R4B.bundle import Bundle

UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
args = sys.argv[1:]
courses_dir = args[args.index("--courses") + 1] if "--courses" in args else None
if courses_dir:
    i = args.index("--courses")
    args = args[:i] + args[i + 2:]
binary, case_dirs = args[0], args[1:]
tmp = tempfile.mkdtemp()
fails = []
env = dict(os.environ, KETAPLAN_TODAY=ci_cases.ORDER_DATE, TZ="Europe/Berlin")


runs = [0]


def run(*a):
    # Each run keeps its own order ledger: the vignettes share one patient and date, and a
    # second original for them would be refused as superseding nothing.
    runs[0] += 1
    env["KETAPLAN_LEDGER"] = os.path.join(tmp, f"ledger-{runs[0]}.ron")
    return subprocess.run([binary, *a], capture_output=True, text=True, env=env)


def write(case, name):
    p = os.path.join(tmp, name)
    json.dump(case, open(p, "w"))
    return p


def plan_of(case):
    return json.loads(run("plan", write(case, "probe.json")).stdout)


def validated(text, what):
    """The bundle, validated by the R4B models (unknown elements, types, cardinality)."""
    doc = json.loads(text)
    Bundle.model_validate(doc)
    if doc["type"] != "collection":
        fails.append(f"{what}: Bundle.type {doc['type']}")
    urls = [e["fullUrl"] for e in doc["entry"]]
    if len(set(urls)) != len(urls) or not all(u.startswith("urn:uuid:") for u in urls):
        fails.append(f"{what}: entry fullUrls are not unique urn:uuids")
    for e in doc["entry"]:
        for ref in references(e["resource"]):
            if ref.startswith("urn:uuid:") and ref not in urls:
                fails.append(f"{what}: {ref} is not an entry")
    return doc


def references(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "reference" and isinstance(v, str):
                yield v
            else:
                yield from references(v)
    elif isinstance(node, list):
        for v in node:
            yield from references(v)


def quantity(q, value, code, what):
    if q.get("system") != UCUM or q.get("code") != code or q.get("value") != value:
        fails.append(f"{what}: {q} is not {value} {code} (UCUM)")


def resources(doc, kind):
    return [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == kind]


def check_order(doc, plan, what):
    [req] = resources(doc, "MedicationRequest")
    if (req["status"], req["intent"]) != ("active", "order"):
        fails.append(f"{what}: status {req['status']} intent {req['intent']}")
    dosage = req["dosageInstruction"]
    if plan.get("bolus_mg") is not None:
        bolus = dosage.pop(0)
        quantity(bolus["doseAndRate"][0]["doseQuantity"], plan["bolus_mg"], "mg", what + " bolus")
    [infusion] = dosage
    rates = [d["rateQuantity"] for d in infusion["doseAndRate"]]
    quantity(rates[0], plan["infusion_mg_per_h"], "mg/h", what + " infusion")
    quantity(rates[1], plan["pump_ml_per_h"], "mL/h", what + " pump")
    ceiling = plan["max_infusion_mg_per_h"] if plan.get("titration") else plan["infusion_mg_per_h"]
    quantity(infusion["maxDosePerPeriod"]["numerator"], ceiling, "mg", what + " ceiling")
    quantity(infusion["maxDosePerPeriod"]["denominator"], 1.0, "h", what + " ceiling period")
    if not infusion["text"].strip():
        fails.append(f"{what}: the infusion has no printed wording")
    [weight] = resources(doc, "Observation")
    if weight["code"]["coding"][0] != {"system": LOINC, "code": "29463-7", "display": "Body weight"}:
        fails.append(f"{what}: weight coding {weight['code']}")
    quantity(weight["valueQuantity"], plan["weight_kg"], "kg", what + " weight")
    [med] = resources(doc, "Medication")
    quantity(med["ingredient"][0]["strength"]["numerator"], plan["concentration_mg_per_ml"], "mg", what + " strength")


names = sorted(os.path.join(d, n) for d in case_dirs for n in os.listdir(d) if n.endswith(".case.json"))
printed = refused = rejected = 0
for path in names:
    what = os.path.basename(path)
    if run("plan", path).returncode == 2:
        # A case the engine rejects (bad JSON, a duplicate key, a value out of range) is
        # rejected by fhir order too, naming the field.
        r = run("fhir", "order", path)
        if r.returncode != 2 or "ketaplan:" not in r.stderr:
            fails.append(f"{what}: plan rejects it, fhir order exits {r.returncode}")
        rejected += 1
        continue
    case = ci_cases.complete(path, plan_of)
    case_path = write(case, "case.json")
    fhir = run("fhir", "order", case_path, "--on", ci_cases.ORDER_DATE)
    sheet = run("order", case_path, "--out", os.path.join(tmp, "sheet.txt"), "--text", "--on", ci_cases.ORDER_DATE)
    if (fhir.returncode == 0) != (sheet.returncode == 0):
        fails.append(f"{what}: fhir order exit {fhir.returncode}, order exit {sheet.returncode}")
        continue
    if fhir.returncode == 3:
        refused += 1
        continue
    if fhir.returncode != 0:
        fails.append(f"{what}: fhir order exit {fhir.returncode}: {fhir.stderr}")
        continue
    try:
        check_order(validated(fhir.stdout, what), plan_of(case), what)
        printed += 1
    except Exception as e:  # a validation error names the element
        fails.append(f"{what}: {e}")

def signed_order():
    """An order signed electronically on a clinic database: its requester is a Practitioner
    entry of the bundle (the signing physician)."""
    db = "sqlite:" + os.path.join(tmp, "clinic.db")
    case = ci_cases.complete("tests/cases/p01-crps-contract-example-lb-positive.case.json", plan_of)
    path = write(case, "signed.json")
    steps = [
        (["db", "migrate"], ""),
        (["user", "add", "ada", "--name", "Ada Admin", "--role", "admin"], "admin pass 1\n"),
        (["user", "add", "dora", "--name", "Dr A. Example", "--role", "physician", "--as", "ada"],
         "admin pass 1\ndoctor pass 2\n"),
        (["order", path, "--out", os.path.join(tmp, "signed.txt"), "--text", "--on",
          ci_cases.ORDER_DATE, "--sign-as", "dora"], "doctor pass 2\n"),
    ]
    for a, stdin in steps:
        r = subprocess.run([binary, *a, "--db", db], capture_output=True, text=True, env=env, input=stdin)
        if r.returncode != 0:
            fails.append(f"signed order: {a[0]} exit {r.returncode}: {r.stderr}")
            return
    r = subprocess.run([binary, "fhir", "order", path, "--on", ci_cases.ORDER_DATE, "--db", db],
                       capture_output=True, text=True, env=env)
    try:
        doc = validated(r.stdout, "signed order")
        check_order(doc, plan_of(case), "signed order")
        [req] = resources(doc, "MedicationRequest")
        [doctor] = resources(doc, "Practitioner")
        if req["requester"]["display"] != "Dr A. Example (physician)" or doctor["name"][0]["text"] != "Dr A. Example":
            fails.append(f"signed order: requester {req['requester']}, practitioner {doctor}")
        return True
    except Exception as e:
        fails.append(f"signed order: {e} {r.stderr}")


signed = signed_order()

courses = 0
for name in sorted(os.listdir(courses_dir)) if courses_dir else []:
    if not name.endswith(".ketaplan") or "invalid" in name:
        continue
    r = run("fhir", "course", os.path.join(courses_dir, name))
    if r.returncode != 0:
        fails.append(f"{name}: fhir course exit {r.returncode}: {r.stderr}")
        continue
    try:
        doc = validated(r.stdout, name)
        courses += 1
        for o in resources(doc, "Observation"):
            coding = o["code"]["coding"][0]
            if coding["system"] != LOINC:
                fails.append(f"{name}: observation not LOINC: {coding}")
            for q in [o.get("valueQuantity")] + [c["valueQuantity"] for c in o.get("component", [])]:
                if q and q.get("system") != UCUM:
                    fails.append(f"{name}: {q} is not UCUM")
        for a in resources(doc, "MedicationAdministration"):
            if a["status"] != "completed" or a["dosage"]["dose"]["code"] != "mg":
                fails.append(f"{name}: administration {a['status']} {a['dosage']['dose']}")
    except Exception as e:
        fails.append(f"{name}: {e}")

print(f"check_fhir: {printed} order bundles valid, {refused} vignettes refused by order and fhir order, "
      f"{rejected} rejected by plan and fhir order, {courses} course bundles valid, "
      f"signed order bundle {'valid' if signed else 'NOT valid'}")
if printed == 0 or (courses_dir and courses == 0):
    fails.append("nothing was validated")
for f in fails:
    print("FAIL", f)
sys.exit(1 if fails else 0)
