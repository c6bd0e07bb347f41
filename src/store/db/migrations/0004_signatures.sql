-- ketaplan clinic database, schema 4 (step 12): electronic signatures of printed orders, and
-- the clinic's own audit trail of acts that belong to no patient's course (users, sign-ins,
-- lockouts, signatures).
CREATE TABLE order_signatures (
    order_number TEXT NOT NULL REFERENCES printed_orders (order_number),
    kind TEXT NOT NULL CHECK (kind IN ('order', 'pharmacy_check', 'double_check')),
    content_sha256 TEXT NOT NULL,
    login TEXT NOT NULL REFERENCES users (login),
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- clinic time, YYYY-MM-DDTHH:MM:SS
    signed_at TEXT NOT NULL,
    PRIMARY KEY (order_number, kind)
);

CREATE TABLE clinic_audit (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL
);

-- A change to a saved session names who made it (the signed-in user; empty before step 12).
ALTER TABLE course_changes ADD COLUMN by_user TEXT;
