//! The first schema: organizations with dated events and spans, members with dated events and
//! spans, the audit log and accounts.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_initial"
    }
}

/// Text compared byte by byte on both engines (paths, sort keys): SQLite's default BINARY
/// collation does it; PostgreSQL needs COLLATE "C" or it would sort by the locale.
pub(super) fn bytewise(c: &mut ColumnDef, backend: DbBackend) -> &mut ColumnDef {
    if backend == DbBackend::Postgres { c.extra("COLLATE \"C\"") } else { c }
}

pub(super) fn id(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).big_integer().not_null().auto_increment().primary_key().to_owned()
}
pub(super) fn text(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).text().not_null().to_owned()
}
pub(super) fn text_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).text().null().to_owned()
}
pub(super) fn big(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).big_integer().not_null().to_owned()
}
pub(super) fn big_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).big_integer().null().to_owned()
}
pub(super) fn date(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().not_null().to_owned()
}
pub(super) fn date_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).date().null().to_owned()
}
pub(super) fn timestamp(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().not_null().to_owned()
}
pub(super) fn fk(table: &str, col: &str, target: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(Alias::new(table), Alias::new(col))
        .to(Alias::new(target), Alias::new("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}
pub(super) fn index(name: &str, table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(Alias::new(table));
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let b = m.get_database_backend();

        // Organizations: current state, kept consistent with org_event in each transaction.
        m.create_table(
            Table::create()
                .table(Alias::new("org"))
                .col(id("id"))
                .col(text("code"))
                .col(text("name"))
                .col(text("name_folded"))
                .col(bytewise(&mut text("sort_key"), b))
                .col(text("kind"))
                .col(text("category"))
                .col(big_null("parent_id"))
                .col(bytewise(&mut text("path"), b))
                .col(ColumnDef::new(Alias::new("depth")).integer().not_null())
                .col(date("founded_on"))
                .col(date_null("dissolved_on"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("org", "parent_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_org_code", "org", &["code"], true)).await?;
        m.create_index(index("ix_org_path", "org", &["path"], false)).await?;
        m.create_index(index("ix_org_parent", "org", &["parent_id"], false)).await?;
        m.create_index(index("ix_org_name_folded", "org", &["name_folded"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("org_event"))
                .col(id("id"))
                .col(big("org_id"))
                .col(text("kind"))
                .col(date("occurred_on"))
                .col(big_null("parent_id"))
                .col(text_null("name"))
                .col(text_null("org_kind"))
                .col(text_null("category"))
                .col(text_null("decision_no"))
                .col(text_null("note"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("org_event", "org_id", "org"))
                .foreign_key(&mut fk("org_event", "parent_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_org_event_org", "org_event", &["org_id", "occurred_on"], false)).await?;

        // Derived: one row per interval in which an organization's place in the tree was
        // constant; "the tree as of D" is the rows with valid_from <= D < valid_until.
        m.create_table(
            Table::create()
                .table(Alias::new("org_span"))
                .col(big("org_id"))
                .col(date("valid_from"))
                .col(date("valid_until"))
                .col(big_null("parent_id"))
                .col(bytewise(&mut text("path"), b))
                .col(ColumnDef::new(Alias::new("depth")).integer().not_null())
                .col(text("name"))
                .col(text("kind"))
                .col(text("category"))
                .primary_key(Index::create().col(Alias::new("org_id")).col(Alias::new("valid_from")))
                .foreign_key(&mut fk("org_span", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_org_span_path", "org_span", &["path", "valid_from"], false)).await?;
        m.create_index(index("ix_org_span_parent", "org_span", &["parent_id", "valid_from"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("member"))
                .col(id("id"))
                .col(text("full_name"))
                .col(text("name_folded"))
                .col(bytewise(&mut text("sort_key"), b))
                .col(text_null("other_name"))
                .col(text("gender"))
                .col(date("birth_date"))
                .col(text_null("birth_place"))
                .col(text_null("home_town"))
                .col(text("ethnicity"))
                .col(text("religion"))
                .col(text_null("permanent_address"))
                .col(text_null("current_address"))
                .col(text_null("cccd"))
                .col(text_null("card_number"))
                .col(text_null("occupation"))
                .col(text_null("general_education"))
                .col(text("professional_education"))
                .col(text("political_theory"))
                .col(text_null("party_position"))
                .col(text_null("government_position"))
                .col(big("org_id"))
                .col(text("status"))
                .col(date_null("admitted_on"))
                .col(date_null("official_on"))
                .col(big("version"))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("member", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_member_cccd", "member", &["cccd"], true)).await?;
        m.create_index(index("ux_member_card_number", "member", &["card_number"], true)).await?;
        m.create_index(index("ix_member_org", "member", &["org_id", "sort_key"], false)).await?;
        m.create_index(index("ix_member_name_folded", "member", &["name_folded"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("member_event"))
                .col(id("id"))
                .col(big("member_id"))
                .col(text("kind"))
                .col(date("occurred_on"))
                .col(big_null("org_id"))
                .col(text_null("status"))
                .col(text_null("decision_no"))
                .col(text_null("note"))
                .col(text("recorded_by"))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("member_event", "member_id", "member"))
                .foreign_key(&mut fk("member_event", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_member_event_member", "member_event", &["member_id", "occurred_on"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("member_span"))
                .col(big("member_id"))
                .col(date("valid_from"))
                .col(date("valid_until"))
                .col(big("org_id"))
                .col(text("status"))
                .primary_key(Index::create().col(Alias::new("member_id")).col(Alias::new("valid_from")))
                .foreign_key(&mut fk("member_span", "member_id", "member"))
                .foreign_key(&mut fk("member_span", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_member_span_org", "member_span", &["org_id", "valid_from"], false)).await?;

        // Append-only: no code path updates or deletes rows here.
        m.create_table(
            Table::create()
                .table(Alias::new("audit"))
                .col(id("id"))
                .col(timestamp("at"))
                .col(text("actor"))
                .col(big_null("actor_id"))
                .col(text("action"))
                .col(text("entity"))
                .col(big_null("entity_id"))
                .col(bytewise(&mut text_null("org_path"), b))
                .col(text_null("before"))
                .col(text_null("after"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_audit_entity", "audit", &["entity", "entity_id"], false)).await?;
        m.create_index(index("ix_audit_at", "audit", &["at"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("account"))
                .col(id("id"))
                .col(text("login"))
                .col(text("display_name"))
                .col(text("password_hash"))
                .col(text("role"))
                .col(big_null("org_id"))
                .col(big_null("member_id"))
                .col(ColumnDef::new(Alias::new("active")).boolean().not_null())
                .col(big("version"))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("account", "org_id", "org"))
                .foreign_key(&mut fk("account", "member_id", "member"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_account_login", "account", &["login"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["account", "audit", "member_span", "member_event", "member", "org_span", "org_event", "org"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
