-- PostgreSQL: the audit trail and the sessions are append-only.
CREATE FUNCTION ketaplan_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION ketaplan_refuse_change('the audit trail is append-only');
CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION ketaplan_refuse_change('a session is never deleted');
