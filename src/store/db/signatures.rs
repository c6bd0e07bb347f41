//! Electronic signatures of printed orders (step 12): the signer's password is checked, the
//! role must allow the act (here and by the database's trigger), and the signature is kept
//! with the order in the ledger and in the clinic's audit trail, never changed.

use super::ClinicDb;
use super::clinic_audit::clinic_audit;
use super::conn::{Conn, Value};
use super::courses::text;
use super::error::DbError;
use super::ledger::insert_print;
use super::users::Credentials;
use crate::domain::order_identity::PrintedOrder;
use crate::domain::roles::{Role, may};
use crate::domain::signature::{OrderSignature, SignatureKind, refusal};
use chrono::{NaiveDateTime, Timelike};

const TIME: &str = "%Y-%m-%dT%H:%M:%S";

/// What is to be signed: an order's number and content, and when (clinic time).
pub struct ToSign<'a> {
    pub kind: SignatureKind,
    pub order_number: &'a str,
    pub content_sha256: &'a str,
    pub signed_at: NaiveDateTime,
}

impl ClinicDb {
    /// The signatures an order holds, in the order given.
    pub fn read_signatures(&mut self, order_number: &str) -> Result<Vec<OrderSignature>, DbError> {
        self.query_signatures("WHERE order_number = $1", &[Value::text(order_number)])
    }

    /// Every signature at the clinic (the app reads them with the ledger, for its COPYs).
    pub fn read_all_signatures(&mut self) -> Result<Vec<OrderSignature>, DbError> {
        self.query_signatures("", &[])
    }

    fn query_signatures(
        &mut self,
        filter: &str,
        params: &[Value],
    ) -> Result<Vec<OrderSignature>, DbError> {
        let rows = self.conn.query(
            &format!(
                "SELECT kind, order_number, content_sha256, login, full_name, role, signed_at \
                 FROM order_signatures {filter} ORDER BY signed_at, kind"
            ),
            params,
        )?;
        rows.iter()
            .map(|r| {
                let bad = |what: &str| {
                    DbError::Unavailable(format!(
                        "a signature of order {} has an unreadable {what}",
                        text(r, 1)
                    ))
                };
                Ok(OrderSignature {
                    kind: SignatureKind::parse(&text(r, 0)).ok_or_else(|| bad("kind"))?,
                    order_number: text(r, 1),
                    content_sha256: text(r, 2),
                    login: text(r, 3),
                    full_name: text(r, 4),
                    role: Role::parse(&text(r, 5)).map_err(|_| bad("role"))?,
                    signed_at: NaiveDateTime::parse_from_str(&text(r, 6), TIME)
                        .map_err(|_| bad("time"))?,
                })
            })
            .collect()
    }

    /// Check who signs: the password, then whether the role may give this signature
    /// (exit 7 when not). Nothing is written but the count of wrong passwords.
    pub fn signer(
        &mut self,
        who: &Credentials<'_>,
        sign: &ToSign<'_>,
    ) -> Result<OrderSignature, DbError> {
        let user = self.authenticate(who)?;
        may(user.role, sign.kind.act())
            .map_err(|why| DbError::Denied(format!("{} is {}", user.login, why)))?;
        Ok(OrderSignature {
            kind: sign.kind,
            order_number: sign.order_number.to_string(),
            content_sha256: sign.content_sha256.to_string(),
            login: user.login,
            full_name: user.full_name,
            role: user.role,
            // Stored to the second: what is read back equals what was recorded.
            signed_at: sign.signed_at.with_nanosecond(0).unwrap_or(sign.signed_at),
        })
    }

    /// Record an original print and its prescriber's signature in one transaction: both or
    /// neither. `signature` comes from `signer`.
    pub fn record_signed_print(
        &mut self,
        order: &PrintedOrder,
        signature: &OrderSignature,
    ) -> Result<(), DbError> {
        self.conn.transaction(|conn| {
            insert_print(conn, order, &signature.login)?;
            insert_signature(conn, signature, &[])
        })
    }

    /// Add a check (pharmacy, double check) to an order printed before.
    pub fn record_signature(&mut self, signature: &OrderSignature) -> Result<(), DbError> {
        let existing = self.read_signatures(&signature.order_number)?;
        self.conn.transaction(|conn| {
            let printed = conn.query_int(
                "SELECT count(*) FROM printed_orders WHERE order_number = $1",
                &[Value::text(&signature.order_number)],
            )?;
            if printed == 0 {
                return Err(DbError::Rejected(format!(
                    "order {} is not in the clinic's order ledger: only a printed order is checked",
                    signature.order_number
                )));
            }
            insert_signature(conn, signature, &existing)
        })
    }
}

fn insert_signature(
    conn: &mut Conn,
    s: &OrderSignature,
    existing: &[OrderSignature],
) -> Result<(), DbError> {
    if let Some(why) = refusal(s, existing) {
        return Err(DbError::Refused(why));
    }
    conn.execute(
        "INSERT INTO order_signatures \
         (order_number, kind, content_sha256, login, full_name, role, signed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            Value::text(&s.order_number),
            Value::text(s.kind.as_str()),
            Value::text(&s.content_sha256),
            Value::text(&s.login),
            Value::text(&s.full_name),
            Value::text(s.role.as_str()),
            Value::text(s.signed_at.format(TIME).to_string()),
        ],
    )?;
    clinic_audit(
        conn,
        &s.login,
        &format!("signed: {}", s.kind.as_str()),
        &format!("order {} sha256 {}", s.order_number, s.content_sha256),
    )
}
