-- SQLite: only an active user whose role may sign does (an order: a physician; the pharmacy
-- check: a pharmacist; the double check: a nurse or a physician), whatever program writes;
-- signatures and the clinic audit trail are never changed or removed.
CREATE TRIGGER order_signatures_signer BEFORE INSERT ON order_signatures
WHEN NOT EXISTS (
    SELECT 1 FROM users u
    WHERE u.login = NEW.login AND u.active = 1 AND u.role = NEW.role
      AND ((NEW.kind = 'order' AND u.role = 'physician')
        OR (NEW.kind = 'pharmacy_check' AND u.role = 'pharmacist')
        OR (NEW.kind = 'double_check' AND u.role IN ('nurse', 'physician'))))
BEGIN SELECT RAISE(ABORT, 'this user''s role may not give this signature'); END;
CREATE TRIGGER order_signatures_no_update BEFORE UPDATE ON order_signatures
BEGIN SELECT RAISE(ABORT, 'a signature is never changed'); END;
CREATE TRIGGER order_signatures_no_delete BEFORE DELETE ON order_signatures
BEGIN SELECT RAISE(ABORT, 'a signature is never changed'); END;
CREATE TRIGGER clinic_audit_no_update BEFORE UPDATE ON clinic_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER clinic_audit_no_delete BEFORE DELETE ON clinic_audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
