//! The SQL every concept shares: one query text for both engines (placeholders renumbered
//! for SQLite), the validity predicate of dated spans, the scope's subtree filter, and pages.

use crate::Result;
use crate::scope::Scope;
use chibo_domain::scope::Reach;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, Value};

/// Builds a statement from SQL written once with PostgreSQL's `$1` placeholders; for SQLite
/// they become `?1`, which SQLite binds by the same index. Keeps one copy of every query.
pub(crate) fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Runs a query and returns all rows.
pub(crate) async fn all<C: ConnectionTrait>(c: &C, sql: &str, values: Vec<Value>) -> Result<Vec<QueryResult>> {
    Ok(c.query_all_raw(stmt(c.get_database_backend(), sql, values)).await?)
}

/// Runs a query and returns the first row, if any.
pub(crate) async fn one<C: ConnectionTrait>(c: &C, sql: &str, values: Vec<Value>) -> Result<Option<QueryResult>> {
    Ok(c.query_one_raw(stmt(c.get_database_backend(), sql, values)).await?)
}

/// Runs a statement and returns the number of rows affected.
pub(crate) async fn exec<C: ConnectionTrait>(c: &C, sql: &str, values: Vec<Value>) -> Result<u64> {
    Ok(c.execute_raw(stmt(c.get_database_backend(), sql, values)).await?.rows_affected())
}

/// Reads one column of a row.
pub(crate) fn get<T: sea_orm::TryGetable>(row: &QueryResult, col: &str) -> Result<T> {
    Ok(row.try_get::<T>("", col)?)
}

/// Builds `$first, $first+1, ...` placeholders for an IN list.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// `valid_from <= D < valid_until` for a table alias.
pub(crate) fn valid_at(alias: &str, param: usize) -> String {
    format!("{alias}.valid_from <= ${param} AND {alias}.valid_until > ${param}")
}

/// `AND {col} >= $n AND {col} < $n+1` when the scope is a subtree, else empty; bind
/// [`scope_values`] at `$n`.
pub(crate) fn scope_filter(scope: &Scope, col: &str, first_param: usize) -> String {
    match scope.reach() {
        Reach::All => String::new(),
        Reach::Subtree { .. } => format!(" AND {col} >= ${first_param} AND {col} < ${}", first_param + 1),
    }
}

/// The scope's path bounds as query values (empty when unrestricted).
pub(crate) fn scope_values(scope: &Scope) -> Vec<Value> {
    match scope.path_range() {
        None => vec![],
        Some((lo, hi)) => vec![lo.into(), hi.into()],
    }
}

/// A query whose conditions are added one at a time, each numbering its own parameter.
pub(crate) struct Where {
    pub(crate) sql: String,
    pub(crate) values: Vec<Value>,
}

impl Where {
    /// Starts from a query that already ends in a WHERE clause.
    pub(crate) fn new(sql: impl Into<String>) -> Self {
        Where { sql: sql.into(), values: Vec::new() }
    }

    /// Adds ` AND ...` with `?` standing for the next parameter.
    pub(crate) fn and(&mut self, cond: &str, v: impl Into<Value>) -> &mut Self {
        self.values.push(v.into());
        self.sql.push_str(&cond.replace('?', &format!("${}", self.values.len())));
        self
    }

    /// Restricts `col` (a materialized path) to the scope's subtree.
    pub(crate) fn within(&mut self, scope: &Scope, col: &str) -> &mut Self {
        if let Some((lo, hi)) = scope.path_range() {
            self.and(&format!(" AND {col} >= ?"), lo);
            self.and(&format!(" AND {col} < ?"), hi);
        }
        self
    }
}

impl crate::Scoped<'_> {
    /// [`scope_filter`] of this handle's scope.
    pub(crate) fn scope_filter(&self, col: &str, first_param: usize) -> String {
        scope_filter(&self.scope, col, first_param)
    }

    /// [`scope_values`] of this handle's scope.
    pub(crate) fn scope_values(&self) -> Vec<Value> {
        scope_values(&self.scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_placeholders_keep_their_index() {
        let s = stmt(DbBackend::Sqlite, "SELECT $1, $2, $1", vec![]);
        assert_eq!(s.sql, "SELECT ?1, ?2, ?1");
    }

    #[test]
    fn conditions_number_their_own_parameters() {
        let mut q = Where::new("SELECT 1 FROM audit WHERE 1=1");
        q.and(" AND entity = ?", "member").and(" AND id < ?", 7i64);
        assert_eq!(q.sql, "SELECT 1 FROM audit WHERE 1=1 AND entity = $1 AND id < $2");
        assert_eq!(q.values.len(), 2);
    }
}
