-- ketaplan clinic database, schema 2: the order ledger shared by every workstation, so a
-- second original of an order is refused and a reprint is a COPY wherever it is printed.
CREATE TABLE printed_orders (
    order_number TEXT PRIMARY KEY,
    mrn TEXT NOT NULL,
    valid_on TEXT NOT NULL,
    printed_at TEXT NOT NULL,
    supersedes TEXT,
    printed_by TEXT NOT NULL
);
-- "supersedes": the patient's last other order for the same day.
CREATE INDEX printed_orders_patient_day ON printed_orders (mrn, valid_on);
