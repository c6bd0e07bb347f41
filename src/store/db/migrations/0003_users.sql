-- ketaplan clinic database, schema 3: the clinic's users (step 12). A password is stored only
-- as its argon2id hash (PHC string); five wrong passwords lock the login for a while.
CREATE TABLE users (
    login TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('nurse', 'physician', 'pharmacist', 'admin')),
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until TEXT
);
