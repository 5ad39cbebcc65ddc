//! Every migration upgrades the rows of the schema before it: for each migration N (taken
//! from `Migrator::migrations()`, so a new one is covered without editing this file) a fully
//! migrated database goes down to N-1, gets a row in every table that exists there, and goes
//! up again; the rows must still be there and the store must work. The rows are written by a
//! filler driven by the database's own catalogue (tables, column types, primary and foreign
//! keys), so a new table or column is covered too.

use super::{admin, admitted, d, new_org, tree};
use chibo_domain::member::Gender;
use chibo_domain::org::OrgKind;
use chibo_store::db_test;
use chibo_store::migration::Migrator;
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement, TransactionTrait, Value};
use sea_orm_migration::MigratorTrait;
use std::collections::{BTreeMap, BTreeSet};

/// Today in Vietnam by the system clock (the stores these tests open keep it).
fn today() -> chrono::NaiveDate {
    chibo_domain::calendar::Clock::system().today()
}

/// Rows of a catalogue query; `$n` placeholders become `?n` on SQLite.
async fn query(c: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Vec<QueryResult> {
    let b = c.get_database_backend();
    let sql = if b == DbBackend::Sqlite { sql.replace('$', "?") } else { sql.to_owned() };
    c.query_all_raw(Statement::from_sql_and_values(b, sql.as_str(), values)).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn text(r: &QueryResult, col: &str) -> String {
    r.try_get::<String>("", col).unwrap()
}

#[derive(Debug)]
struct Column {
    name: String,
    ty: String,
    nullable: bool,
}

#[derive(Debug)]
struct ForeignKey {
    col: String,
    table: String,
    to: Option<String>,
}

#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<Column>,
    pk: Vec<String>,
    fks: Vec<ForeignKey>,
}

/// The tables of the current schema (sea-orm's own `seaql_migrations` left out), read from
/// the catalogue of each engine.
async fn catalogue(c: &impl ConnectionTrait) -> Vec<Table> {
    let sqlite = c.get_database_backend() == DbBackend::Sqlite;
    let names = if sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite/_%' ESCAPE '/' AND name <> 'seaql_migrations' ORDER BY name"
    } else {
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'seaql_migrations' ORDER BY 1"
    };
    let mut tables = Vec::new();
    for t in query(c, names, vec![]).await {
        let name = text(&t, "name");
        let (columns, pk, fks) = if sqlite {
            (
                "SELECT name, type AS ty, 1 - \"notnull\" AS nullable FROM pragma_table_info($1) ORDER BY cid",
                "SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
                "SELECT \"from\" AS col, \"table\" AS ref_table, \"to\" AS ref_col FROM pragma_foreign_key_list($1)",
            )
        } else {
            (
                "SELECT column_name::text AS name, data_type::text AS ty, (CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END)::bigint AS nullable \
                 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                "SELECT k.column_name::text AS name FROM information_schema.table_constraints c \
                 JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name \
                 WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() AND c.table_name = $1 ORDER BY k.ordinal_position",
                "SELECT a.attname::text AS col, r.relname::text AS ref_table, ra.attname::text AS ref_col FROM pg_constraint c \
                 JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace JOIN pg_class r ON r.oid = c.confrelid \
                 CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(a, f) \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.a \
                 JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.f \
                 WHERE c.contype = 'f' AND ns.nspname = current_schema() AND t.relname = $1",
            )
        };
        let columns = query(c, columns, vec![name.clone().into()])
            .await
            .iter()
            .map(|r| Column { name: text(r, "name"), ty: text(r, "ty").to_lowercase(), nullable: r.try_get::<i64>("", "nullable").unwrap() == 1 })
            .collect();
        let pk = query(c, pk, vec![name.clone().into()]).await.iter().map(|r| text(r, "name")).collect();
        let fks = query(c, fks, vec![name.clone().into()])
            .await
            .iter()
            .map(|r| ForeignKey { col: text(r, "col"), table: text(r, "ref_table"), to: r.try_get::<Option<String>>("", "ref_col").unwrap() })
            .collect();
        tables.push(Table { name, columns, pk, fks });
    }
    tables
}

/// Parents before children (a table's reference to itself is not an edge); a cycle between
/// tables fails the test naming them, since no order of single inserts could fill them.
fn in_dependency_order(tables: Vec<Table>) -> Vec<Table> {
    let mut left: BTreeMap<String, Table> = tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut order = Vec::new();
    while !left.is_empty() {
        let ready: Vec<String> = left.values().filter(|t| t.fks.iter().all(|f| f.table == t.name || done.contains(&f.table))).map(|t| t.name.clone()).collect();
        assert!(!ready.is_empty(), "foreign keys in a cycle between {:?}: no order of inserts fills them", left.keys().collect::<Vec<_>>());
        for name in ready {
            done.insert(name.clone());
            order.push(left.remove(&name).unwrap());
        }
    }
    order
}

/// A value of a column's declared type (as each engine reports it), distinct for every `n`
/// so that unique indexes hold; `null` gives the NULL of that type.
fn value_of(table: &str, c: &Column, n: i64, null: bool) -> Value {
    let ty = c.ty.as_str();
    let day = d(2001, 1, 1) + chrono::Days::new(u64::try_from(n % 20_000).unwrap());
    if ty.contains("bool") {
        if null { Value::Bool(None) } else { true.into() }
    } else if ty.contains("timestamp") || ty.contains("datetime") {
        if null { Option::<chrono::DateTime<chrono::Utc>>::None.into() } else { day.and_hms_opt(12, 0, 0).unwrap().and_utc().into() }
    } else if ty.contains("date") {
        if null { Option::<chrono::NaiveDate>::None.into() } else { day.into() }
    } else if ty == "integer" || ty == "int" || ty == "int4" || ty == "smallint" {
        if null { Value::Int(None) } else { i32::try_from(n).unwrap().into() }
    } else if ty.contains("int") {
        if null { Value::BigInt(None) } else { n.into() }
    } else if ty.contains("blob") || ty.contains("bytea") {
        if null { Value::Bytes(None) } else { format!("v{n}").into_bytes().into() }
    } else if ty.contains("text") || ty.contains("char") || ty.contains("clob") {
        if null { Value::String(None) } else { format!("v{n}").into() }
    } else if ty.contains("real") || ty.contains("double") || ty.contains("float") || ty.contains("numeric") {
        if null { Value::Double(None) } else { (n as f64 + 0.5).into() }
    } else {
        panic!("no filler for the type of {table}.{} ({}): add one here", c.name, c.ty)
    }
}

/// A row written by the filler: its table, the columns it set and the values of its key.
struct Written {
    table: String,
    key: Vec<(String, Value)>,
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn where_key(key: &[(String, Value)]) -> (String, Vec<Value>) {
    let cond = key.iter().enumerate().map(|(i, (c, _))| format!("\"{c}\" = ${}", i + 1)).collect::<Vec<_>>().join(" AND ");
    (cond, key.iter().map(|(_, v)| v.clone()).collect())
}

/// Writes one row into every table, parents first: every column gets a value of its type
/// (nullable ones too), a foreign key the value of the row written in the table it names
/// (a nullable reference to its own table stays NULL, a required one points at the row
/// itself). `next` numbers the values, so successive calls never collide.
async fn fill(c: &impl ConnectionTrait, tables: &[Table], next: &mut i64) -> Vec<Written> {
    let mut written: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    let mut out = Vec::new();
    for t in tables {
        let mut row: BTreeMap<String, Value> = BTreeMap::new();
        // Large numbers: an explicit id must not meet the ids a sequence hands out later.
        *next += 1;
        let n = 900_000 + *next;
        for col in &t.columns {
            if t.fks.iter().any(|f| f.col == col.name) {
                continue;
            }
            row.insert(col.name.clone(), value_of(&t.name, col, n, false));
        }
        for f in &t.fks {
            let col = t.columns.iter().find(|c| c.name == f.col).unwrap();
            let parent_key = |p: &str| tables.iter().find(|x| x.name == p).and_then(|x| x.pk.first().cloned());
            let to = f.to.clone().or_else(|| parent_key(&f.table)).unwrap_or_else(|| panic!("{}.{}: the referenced column is unknown", t.name, f.col));
            let v = if f.table == t.name {
                if col.nullable { value_of(&t.name, col, n, true) } else { row.get(&to).cloned().unwrap() }
            } else {
                let parent = written.get(&f.table).unwrap_or_else(|| panic!("{}.{} references {}, which has no row", t.name, f.col, f.table));
                parent.get(&to).cloned().unwrap_or_else(|| panic!("{}.{} references {}.{}, not written", t.name, f.col, f.table, to))
            };
            row.insert(col.name.clone(), v);
        }
        let cols: Vec<&String> = row.keys().collect();
        let sql = format!(
            "INSERT INTO \"{}\" ({}) VALUES ({})",
            t.name,
            cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "),
            placeholders(1, cols.len())
        );
        let b = c.get_database_backend();
        let sql = if b == DbBackend::Sqlite { sql.replace('$', "?") } else { sql };
        c.execute_raw(Statement::from_sql_and_values(b, sql.as_str(), row.values().cloned().collect::<Vec<_>>()))
            .await
            .unwrap_or_else(|e| panic!("the filler's row of {} was refused: {e}\n{sql}\n{row:?}", t.name));
        let key_cols: Vec<String> = if t.pk.is_empty() { row.keys().cloned().collect() } else { t.pk.clone() };
        out.push(Written { table: t.name.clone(), key: key_cols.iter().map(|k| (k.clone(), row[k].clone())).collect() });
        written.insert(t.name.clone(), row);
    }
    out
}

async fn count(c: &impl ConnectionTrait, table: &str, key: Option<&[(String, Value)]>) -> i64 {
    let (cond, values) = key.map(where_key).unwrap_or_else(|| ("1 = 1".into(), vec![]));
    let rows = query(c, &format!("SELECT COUNT(*) AS n FROM \"{table}\" WHERE {cond}"), values).await;
    rows[0].try_get::<i64>("", "n").unwrap()
}

/// Tables a migration drops, and which one.
const DROPPED: &[(&str, &str)] = &[("api_rate", "m0019_api_rate_in_memory")];

/// A migration's place in the list, from 1.
fn position(name: &str) -> usize {
    Migrator::migrations().iter().position(|m| m.name() == name).map_or(usize::MAX, |i| i + 1)
}

/// Tables whose rows the database itself refuses to delete (m0003): the filler's rows stay.
const APPEND_ONLY: &[&str] = &["audit"];

db_test!(every_migration_upgrades_a_row_in_every_table_of_the_schema_before_it, |store| {
    // Real data first, written by the store: it goes down and up with every migration and
    // must read the same at the end of each round.
    let t = tree(store).await;
    admitted(store, "Nguyễn Văn Thành", Gender::Male, t.cell_a1, d(2010, 1, 1)).await;
    let last = Migrator::migrations().len();
    assert!(last >= 2);
    let mut next = 0i64;
    for n in 2..=last {
        // One connection (a transaction) for down, rows and up: SQLite checks `ALTER TABLE`
        // against the schema a connection cached, and the pool's other connections cached the
        // schema from before the downgrade (see the first-schema upgrade test).
        let txn = chibo_store::testing::connection(store).begin().await.unwrap();
        Migrator::down(&txn, Some(u32::try_from(last - (n - 1)).unwrap())).await.unwrap_or_else(|e| panic!("down to {}: {e}", n - 1));
        let applied = Migrator::get_applied_migrations(&txn).await.unwrap().len();
        assert_eq!(applied, n - 1, "down to migration {}", n - 1);
        let tables = in_dependency_order(catalogue(&txn).await);
        assert!(tables.iter().any(|t| t.name == "org"), "{:?}", tables.iter().map(|t| &t.name).collect::<Vec<_>>());
        // m0011's down removes the import jobs' table, its up brings it back.
        assert_eq!(tables.iter().any(|t| t.name == "import_job"), n > 11, "import_job at migration {}", n - 1);
        let rows = fill(&txn, &tables, &mut next).await;
        let mut before = BTreeMap::new();
        for t in &tables {
            before.insert(t.name.clone(), count(&txn, &t.name, None).await);
        }
        Migrator::up(&txn, None).await.unwrap_or_else(|e| panic!("up from {}: {e}", n - 1));
        assert_eq!(Migrator::get_pending_migrations(&txn).await.unwrap().len(), 0);
        // A table a later migration drops (`DROPPED`) is gone, with its rows.
        let dropped = |table: &str| DROPPED.iter().any(|(t, by)| *t == table && position(by) >= n);
        for (table, rows_before) in before.iter().filter(|(t, _)| !dropped(t)) {
            assert_eq!(count(&txn, table, None).await, *rows_before, "rows of {table} after going up from migration {}", n - 1);
        }
        for w in rows.iter().filter(|w| !dropped(&w.table)) {
            assert_eq!(count(&txn, &w.table, Some(&w.key)).await, 1, "the row written in {} at migration {} after going up", w.table, n - 1);
        }
        // The filler's values mean nothing to the domain (an organization of kind "v5"):
        // they go before the store reads, children first.
        for w in rows.iter().rev().filter(|w| !APPEND_ONLY.contains(&w.table.as_str()) && !dropped(&w.table)) {
            let (cond, values) = where_key(&w.key);
            let sql = format!("DELETE FROM \"{}\" WHERE {cond}", w.table);
            let b = txn.get_database_backend();
            let sql = if b == DbBackend::Sqlite { sql.replace('$', "?") } else { sql };
            assert_eq!(txn.execute_raw(Statement::from_sql_and_values(b, sql.as_str(), values)).await.unwrap().rows_affected(), 1, "{sql}");
        }
        txn.commit().await.unwrap();
        // The store works on the upgraded schema: a start (which derives missing facts), reads
        // and a write.
        store.migrate().await.unwrap_or_else(|e| panic!("migrate after going up from {}: {e}", n - 1));
        let s = store.within(&admin());
        assert_eq!(s.org_stats(t.province, today()).await.unwrap().members, 1, "after going up from migration {}", n - 1);
        assert_eq!(s.org_stats(t.cell_a1, today()).await.unwrap().members, 1);
        store.rule_book().await.unwrap();
        let cell = s.create_org(new_org(&format!("QN.CP.CO.M{n}"), &format!("Chi bộ {n}"), OrgKind::Cell, Some(t.ward_a), today())).await.unwrap();
        assert_eq!(s.org(cell.id).await.unwrap().name, format!("Chi bộ {n}"));
    }
    // The newest schema takes a row in every table too (the latest migration's tables, such
    // as the import jobs' with its files, are filled by the round of the next migration).
    let txn = chibo_store::testing::connection(store).begin().await.unwrap();
    let tables = in_dependency_order(catalogue(&txn).await);
    let rows = fill(&txn, &tables, &mut next).await;
    let job = rows.iter().find(|w| w.table == "import_job").expect("a row in import_job");
    assert_eq!(count(&txn, "import_job", Some(&job.key)).await, 1);
    txn.rollback().await.unwrap();
    store.migrate().await.unwrap();
});

/// What an index definition says, in the form both the source and the catalogues agree on:
/// unique or not, its name, its columns and what follows them.
fn shape(def: &str) -> (bool, String, Vec<String>, String) {
    let words: Vec<&str> = def.split_whitespace().collect();
    let at = words.iter().position(|w| w.eq_ignore_ascii_case("index")).unwrap_or_else(|| panic!("{def}"));
    let unique = words[..at].iter().any(|w| w.eq_ignore_ascii_case("unique"));
    let name = words[at + 1].trim_matches('"').to_owned();
    let open = def.find('(').unwrap_or_else(|| panic!("{def}"));
    let mut depth = 0;
    let close = def[open..]
        .char_indices()
        .find(|&(_, ch)| {
            depth += match ch {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            depth == 0
        })
        .map(|(i, _)| open + i)
        .unwrap_or_else(|| panic!("{def}"));
    let cols = def[open + 1..close].split(',').map(|c| c.trim().trim_matches('"').to_owned()).collect();
    (unique, name, cols, def[close + 1..].trim().to_owned())
}

db_test!(a_migrated_database_has_the_live_fact_indexes, |store| {
    // m0008 keeps a frozen copy of the list; the rebuild drops and makes the live one. They
    // must not drift apart silently: a change to the live list needs a migration.
    let c = chibo_store::testing::connection(store);
    let sql = if c.get_database_backend() == DbBackend::Sqlite {
        "SELECT sql AS def FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stat_fact' AND sql IS NOT NULL"
    } else {
        "SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'stat_fact' AND indexname NOT LIKE '%pkey'"
    };
    let in_db: BTreeSet<_> = query(c, sql, vec![]).await.iter().map(|r| shape(&text(r, "def"))).collect();
    let live: BTreeSet<_> = chibo_store::stats::FACT_INDEXES.iter().map(|d| shape(d)).collect();
    assert_eq!(in_db, live);
});
