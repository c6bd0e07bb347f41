-- SQLite: a printed order is never changed or removed.
CREATE TRIGGER printed_orders_no_update BEFORE UPDATE ON printed_orders
BEGIN SELECT RAISE(ABORT, 'the order ledger is append-only'); END;
CREATE TRIGGER printed_orders_no_delete BEFORE DELETE ON printed_orders
BEGIN SELECT RAISE(ABORT, 'the order ledger is append-only'); END;
