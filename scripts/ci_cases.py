"""Shared by the CI checks (check_pdf.sh, check_fhir.py): a vignette made printable."""
import json

ORDER_DATE = "2026-11-20"


def complete(path, plan_of, extra=None):
    """The case at `path` with every unanswered screening question answered No and an order
    block (identifiers consistent with the age on ORDER_DATE, weighed 3 days before it, every
    attestation given). `plan_of(case)` returns the plan JSON of a case; `extra(case)` edits
    the case first."""
    case = json.load(open(path))
    if extra:
        extra(case)
    plan = plan_of(case)
    case["screening_no"] = case.get("screening_no", []) + plan.get("unanswered_screening", [])
    age = case["patient"]["age_years"]
    case["order"] = {
        "patient_name": "Jane Example", "mrn": "000123",
        "date_of_birth": f"{2026 - age}-01-15", "weighed_on": "2026-11-17",
        "allergies": "no known allergies", "prescriber": "Dr A. Example",
        "clinic": "Pain Clinic", "clinic_phone": "555 0100",
        "supervising_physician_name": "Dr A. Example",
        "administering_clinician_name": "R. Nurse RN", "airway_clinician_name": "Dr B. Airway",
        "attest": {"supervising_physician": True, "administering_clinician": True,
                   "resuscitation_ready": True, "airway_clinician_available": True},
    }
    return case
