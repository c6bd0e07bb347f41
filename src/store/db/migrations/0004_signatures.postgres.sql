-- PostgreSQL: only an active user whose role may sign does (an order: a physician; the
-- pharmacy check: a pharmacist; the double check: a nurse or a physician), whatever program
-- writes; signatures and the clinic audit trail are never changed or removed.
CREATE OR REPLACE FUNCTION ketaplan_check_signer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM users u
        WHERE u.login = NEW.login AND u.active = 1 AND u.role = NEW.role
          AND ((NEW.kind = 'order' AND u.role = 'physician')
            OR (NEW.kind = 'pharmacy_check' AND u.role = 'pharmacist')
            OR (NEW.kind = 'double_check' AND u.role IN ('nurse', 'physician')))
    ) THEN
        RAISE EXCEPTION 'this user''s role may not give this signature';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER order_signatures_signer BEFORE INSERT ON order_signatures
    FOR EACH ROW EXECUTE FUNCTION ketaplan_check_signer();
CREATE TRIGGER order_signatures_append_only BEFORE UPDATE OR DELETE ON order_signatures
    FOR EACH ROW EXECUTE FUNCTION ketaplan_refuse_change('a signature is never changed');
CREATE TRIGGER clinic_audit_append_only BEFORE UPDATE OR DELETE ON clinic_audit
    FOR EACH ROW EXECUTE FUNCTION ketaplan_refuse_change('the audit trail is append-only');
