//! One connection to either backend with the few operations the clinic store needs:
//! statements with `$1…$n` parameters, rows of integers and text, and transactions that
//! are retried on serialisation failures.

use super::error::{DbError, from_postgres, from_sqlite};
use std::time::Duration;

/// A parameter or a column: the schema uses only integers and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(Some(s.into()))
    }
    pub fn int(i: i64) -> Value {
        Value::Int(Some(i))
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => *i,
            Value::Text(t) => t.as_deref().and_then(|t| t.parse().ok()),
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(t) => t.as_deref(),
            Value::Int(_) => None,
        }
    }
}

pub type Row = Vec<Value>;

pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

/// How long one process waits for another's write on SQLite before retrying.
const SQLITE_BUSY: Duration = Duration::from_secs(10);
/// Attempts of one transaction before a transient failure is reported.
const ATTEMPTS: u32 = 60;

impl Conn {
    pub fn sqlite(conn: rusqlite::Connection) -> Result<Conn, DbError> {
        conn.busy_timeout(SQLITE_BUSY)
            .map_err(|e| from_sqlite("the SQLite database", &e))?;
        let mut conn = Conn::Sqlite(conn);
        conn.batch("PRAGMA foreign_keys = ON")?;
        Ok(conn)
    }

    fn where_(&self) -> &'static str {
        match self {
            Conn::Sqlite(_) => "the SQLite database",
            Conn::Postgres(_) => "the PostgreSQL server",
        }
    }

    /// Several statements without parameters.
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        let where_ = self.where_();
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql).map_err(|e| from_sqlite(where_, &e)),
            Conn::Postgres(c) => c.batch_execute(sql).map_err(|e| from_postgres(where_, &e)),
        }
    }

    /// One statement; the number of rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let where_ = self.where_();
        match self {
            Conn::Sqlite(c) => c
                .execute(&sqlite_sql(sql), rusqlite::params_from_iter(params.iter()))
                .map(|n| n as u64)
                .map_err(|e| from_sqlite(where_, &e)),
            Conn::Postgres(c) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    boxed.iter().map(|b| b.as_ref()).collect();
                c.execute(sql, &refs).map_err(|e| from_postgres(where_, &e))
            }
        }
    }

    /// The rows of a query, each column as a `Value`.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let where_ = self.where_();
        match self {
            Conn::Sqlite(c) => {
                let mut statement = c
                    .prepare(&sqlite_sql(sql))
                    .map_err(|e| from_sqlite(where_, &e))?;
                let columns = statement.column_count();
                let rows = statement
                    .query_map(rusqlite::params_from_iter(params.iter()), |row| {
                        (0..columns).map(|i| sqlite_value(row, i)).collect()
                    })
                    .map_err(|e| from_sqlite(where_, &e))?;
                rows.collect::<Result<Vec<Row>, _>>()
                    .map_err(|e| from_sqlite(where_, &e))
            }
            Conn::Postgres(c) => {
                let boxed = pg_params(params);
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    boxed.iter().map(|b| b.as_ref()).collect();
                let rows = c.query(sql, &refs).map_err(|e| from_postgres(where_, &e))?;
                rows.iter().map(|r| pg_row(where_, r)).collect()
            }
        }
    }

    /// The integer in the first column of the first row (a count, a maximum); 0 when
    /// there is no row or it is NULL.
    pub fn query_int(&mut self, sql: &str, params: &[Value]) -> Result<i64, DbError> {
        let rows = self.query(sql, params)?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .and_then(Value::as_i64)
            .unwrap_or(0))
    }

    /// Run `work` in one transaction, committed only when it succeeds; transient failures
    /// (another writer, a serialisation failure) roll back and run it again.
    pub fn transaction<T>(
        &mut self,
        mut work: impl FnMut(&mut Conn) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let begin = match self {
            // IMMEDIATE takes the write lock first, so readers never upgrade into a deadlock.
            Conn::Sqlite(_) => "BEGIN IMMEDIATE",
            Conn::Postgres(_) => "BEGIN ISOLATION LEVEL SERIALIZABLE",
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self
                .batch(begin)
                .and_then(|()| work(self))
                .and_then(|value| self.batch("COMMIT").map(|()| value));
            match outcome {
                Ok(value) => return Ok(value),
                Err(e) => {
                    // A failed BEGIN leaves no transaction; ROLLBACK then only warns.
                    let _ = self.batch("ROLLBACK");
                    match e {
                        DbError::Retry(reason) if attempt >= ATTEMPTS => {
                            return Err(DbError::Unavailable(format!(
                                "{reason} (still failing after {ATTEMPTS} attempts)"
                            )));
                        }
                        DbError::Retry(_) => std::thread::sleep(backoff(attempt)),
                        other => return Err(other),
                    }
                }
            }
        }
    }

    /// `FOR UPDATE` where the backend has it: locks the patient row a transaction changes.
    pub fn for_update(&self) -> &'static str {
        match self {
            Conn::Sqlite(_) => "",
            Conn::Postgres(_) => " FOR UPDATE",
        }
    }
}

/// A short, spread-out wait so that competing writers do not retry in step.
fn backoff(attempt: u32) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let spread_ms = u64::from(nanos % 20);
    Duration::from_millis(u64::from(attempt.min(10)) * 5 + spread_ms)
}

/// SQLite numbers its parameters `?1`; PostgreSQL writes `$1`. The schema's SQL has no
/// other `$`.
fn sqlite_sql(sql: &str) -> String {
    sql.replace('$', "?")
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V};
        Ok(match self {
            Value::Int(Some(i)) => ToSqlOutput::Owned(V::Integer(*i)),
            Value::Text(Some(t)) => {
                ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(t.as_bytes()))
            }
            Value::Int(None) | Value::Text(None) => ToSqlOutput::Owned(V::Null),
        })
    }
}

fn sqlite_value(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Value> {
    use rusqlite::types::ValueRef;
    Ok(match row.get_ref(i)? {
        ValueRef::Null => Value::Text(None),
        ValueRef::Integer(n) => Value::int(n),
        ValueRef::Real(r) => Value::text(r.to_string()),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            Value::text(String::from_utf8_lossy(t).into_owned())
        }
    })
}

fn pg_params(params: &[Value]) -> Vec<Box<dyn postgres::types::ToSql + Sync>> {
    params
        .iter()
        .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
            match p {
                Value::Int(i) => Box::new(*i),
                Value::Text(t) => Box::new(t.clone()),
            }
        })
        .collect()
}

fn pg_row(where_: &str, row: &postgres::Row) -> Result<Row, DbError> {
    use postgres::types::Type;
    let column_error = |e: postgres::Error| from_postgres(where_, &e);
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            if *ty == Type::INT8 {
                row.try_get::<_, Option<i64>>(i)
                    .map(Value::Int)
                    .map_err(column_error)
            } else if *ty == Type::INT4 {
                row.try_get::<_, Option<i32>>(i)
                    .map(|v| Value::Int(v.map(i64::from)))
                    .map_err(column_error)
            } else {
                row.try_get::<_, Option<String>>(i)
                    .map(Value::Text)
                    .map_err(column_error)
            }
        })
        .collect()
}
