//! The order ledger in the clinic database: every workstation sees every original printed,
//! so a second original is refused and a reprint is a COPY wherever it is printed.

use super::ClinicDb;
use super::conn::{Conn, Value};
use super::courses::text;
use super::error::DbError;
use crate::domain::order_identity::{OrderLedger, PrintedOrder};

const TIME: &str = "%Y-%m-%dT%H:%M:%S";

impl ClinicDb {
    /// Every original printed at the clinic, in the order printed.
    pub fn read_ledger(&mut self) -> Result<OrderLedger, DbError> {
        let rows = self.conn.query(
            "SELECT order_number, mrn, valid_on, printed_at, supersedes FROM printed_orders \
             ORDER BY printed_at, order_number",
            &[],
        )?;
        let printed = rows
            .iter()
            .map(|r| {
                let bad = |what: &str| {
                    DbError::Unavailable(format!(
                        "order {} in the clinic database has an unreadable {what}",
                        text(r, 0)
                    ))
                };
                Ok(PrintedOrder {
                    order_number: text(r, 0),
                    mrn: text(r, 1),
                    valid_on: chrono::NaiveDate::parse_from_str(&text(r, 2), "%Y-%m-%d")
                        .map_err(|_| bad("date"))?,
                    printed_at: chrono::NaiveDateTime::parse_from_str(&text(r, 3), TIME)
                        .map_err(|_| bad("print time"))?,
                    supersedes: r.get(4).and_then(Value::as_str).map(str::to_string),
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        Ok(OrderLedger { printed })
    }

    /// Record an original print. Another workstation that printed the same original first
    /// wins: this one is refused (a conflict), naming when and who.
    pub fn record_print(&mut self, order: &PrintedOrder, by: &str) -> Result<(), DbError> {
        self.conn.transaction(|conn| insert_print(conn, order, by))
    }
}

/// Insert an original print, refused (a conflict) when another workstation printed it first.
pub(super) fn insert_print(conn: &mut Conn, order: &PrintedOrder, by: &str) -> Result<(), DbError> {
    let earlier = conn.query(
        "SELECT printed_at, printed_by FROM printed_orders WHERE order_number = $1",
        &[Value::text(&order.order_number)],
    )?;
    if let Some(r) = earlier.first() {
        return Err(DbError::Conflict(format!(
            "order {} was printed as an original at {} by {} meanwhile: a second original is never printed",
            order.order_number,
            text(r, 0).replace('T', " "),
            text(r, 1)
        )));
    }
    conn.execute(
        "INSERT INTO printed_orders (order_number, mrn, valid_on, printed_at, supersedes, printed_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            Value::text(&order.order_number),
            Value::text(&order.mrn),
            Value::text(order.valid_on.format("%Y-%m-%d").to_string()),
            Value::text(order.printed_at.format(TIME).to_string()),
            Value::Text(order.supersedes.clone()),
            Value::text(by),
        ],
    )
    .map(drop)
}
