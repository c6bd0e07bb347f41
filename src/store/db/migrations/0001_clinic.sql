-- ketaplan clinic database, schema 1: patients, their sessions, the course's change log and
-- the append-only audit trail. One schema for SQLite and PostgreSQL: integers and text only.
CREATE TABLE ketaplan_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A patient is its MRN. `version` grows with every change to the course (no lost update).
CREATE TABLE patients (
    mrn TEXT PRIMARY KEY,
    patient_name TEXT NOT NULL,
    -- lower-case name and MRN, for search
    search_text TEXT NOT NULL,
    date_of_birth TEXT,
    version BIGINT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);

-- A session as the course file holds it (`content`, JSON), with the columns that lists and
-- the follow-up rule read without opening it.
CREATE TABLE sessions (
    mrn TEXT NOT NULL REFERENCES patients (mrn),
    session_id BIGINT NOT NULL,
    started_at TEXT NOT NULL,
    course TEXT NOT NULL,
    setting TEXT NOT NULL,
    follow_up_open BIGINT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (mrn, session_id)
);
-- Follow-up calls due: only sessions still waiting for their call, by date.
CREATE INDEX sessions_waiting_for_call ON sessions (started_at) WHERE follow_up_open = 1;

-- The course file's own record of changes to saved sessions (field, old, new).
CREATE TABLE course_changes (
    mrn TEXT NOT NULL REFERENCES patients (mrn),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    session_id BIGINT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    PRIMARY KEY (mrn, seq)
);

-- Who did what to a course, when (UTC). Never updated, never deleted.
CREATE TABLE audit (
    mrn TEXT NOT NULL REFERENCES patients (mrn),
    seq BIGINT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    action TEXT NOT NULL,
    session_id BIGINT,
    PRIMARY KEY (mrn, seq)
);
