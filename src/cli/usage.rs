//! The command line's usage text, printed with `--help` and after a usage error.

pub(super) const USAGE: &str = "usage:
  ketaplan                                   open the desktop app
  ketaplan plan CASE [--protocol FILE.ron [--trust KEY.pub]...]   the plan for a case (.json, .ron) as JSON
  ketaplan order CASE --out FILE [--justification TEXT] [--text] [--on YYYY-MM-DD]
                 [--paper a4|letter] [--protocol FILE.ron [--trust KEY.pub]...]
                 [--handout FILE] [--copy] [--supersedes ORDER-NUMBER] [--ledger FILE]
                                             write the printable infusion order (PDF, or text with --text);
                                             --handout also writes the patient's discharge handout;
                                             --copy marks a reprint COPY; --supersedes names the order replaced;
                                             --ledger is the order ledger (default: the app's)
  ketaplan protocol check FILE.ron [--defaults]
                                             validate a protocol pack (--defaults lists its institution defaults)
  ketaplan protocol keygen --out KEY [--comment TEXT]   an approval key pair: KEY (secret, 0600), KEY.pub
  ketaplan protocol sign FILE.ron --key KEY  approve a valid pack: writes FILE.ron.minisig
  ketaplan protocol verify FILE.ron --trust KEY.pub...   check it: id, version, sha256, the key's comment
                                             (passphrases on stdin, asked without echo at a terminal;
                                             --trust with --protocol: only a pack one of these keys signed)
  ketaplan course summary FILE.ketaplan [--on YYYY-MM-DD]
                                             summary of a treatment course on a date (default today)
  ketaplan course chart FILE.ketaplan --session N --out FILE [--text] [--paper a4|letter]
                                             the bedside monitoring chart of one session
  ketaplan fhir order CASE [--on YYYY-MM-DD] [--justification TEXT] [--out FILE.json]
                                             the printable order as a FHIR R4 Bundle (JSON on stdout
                                             or --out; refused when the order would be)
  ketaplan fhir course FILE.ketaplan [--out FILE.json]
                                             a course's sessions as given and charted, as a FHIR R4 Bundle
  ketaplan FILE.ketaplan | FILE.case.ron | FILE.case.json
                                             open the desktop app with that file (a double-click)
clinic database (--db sqlite:PATH | postgres://USER@HOST:PORT/DB, else KETAPLAN_DB, else the app's clinic.db;
                 --user NAME is who the audit trail names, else the login name; once the database
                 has users, --as LOGIN with the password on stdin):
  ketaplan db migrate [--time-zone ZONE]     create or upgrade the schema
  ketaplan db status                         backend, schema version, patients and sessions
  ketaplan course import FILE.ketaplan       add a course file's patient and sessions
  ketaplan course export MRN --out FILE.ketaplan
  ketaplan course summary --mrn MRN [--on YYYY-MM-DD]
  ketaplan fhir course --mrn MRN [--out FILE.json]
                                             (fhir order with a database: its signatures name the requester)
  ketaplan session add MRN CASE [--on YYYY-MM-DD]
                                             record a session planned from CASE
  ketaplan followups [--on YYYY-MM-DD]       follow-up calls due across the clinic
  ketaplan audit MRN                         the trail of changes to that course
  ketaplan audit --clinic                    the clinic's trail: users, lockouts, signatures
  ketaplan user add LOGIN --name \"FULL NAME\" --role nurse|physician|pharmacist|admin [--as ADMIN]
  ketaplan user list
  ketaplan user disable LOGIN --as ADMIN     users; passwords on stdin, one per line (the --as
                                             admin's first), asked without echo at a terminal
  ketaplan order CASE --out FILE --sign-as LOGIN …
                                             sign the order electronically (a physician; password on stdin)
  ketaplan order-check ORDER-NUMBER --check pharmacy|double-check --as LOGIN
                                             record the pharmacist's check or the nurse's double check";
