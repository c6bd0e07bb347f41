-- PostgreSQL: a printed order is never changed or removed.
CREATE TRIGGER printed_orders_append_only BEFORE UPDATE OR DELETE ON printed_orders
    FOR EACH ROW EXECUTE FUNCTION ketaplan_refuse_change('the order ledger is append-only');
