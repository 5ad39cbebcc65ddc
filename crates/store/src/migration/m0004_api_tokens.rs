//! Personal API tokens (stored as hashes, optionally narrowed to a subtree and read-only) and
//! their per-minute request counters for rate limiting, kept in the database so that every
//! `chibo serve` process counts the same requests.

use super::m0001_initial::{big, big_null, fk, index, text, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_api_tokens"
    }
}

fn timestamp_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).timestamp_with_time_zone().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("api_token"))
                .col(ColumnDef::new(Alias::new("id")).big_integer().not_null().auto_increment().primary_key())
                .col(big("account_id"))
                .col(text("name"))
                .col(text("token_hash"))
                .col(big_null("org_id"))
                .col(ColumnDef::new(Alias::new("read_only")).boolean().not_null())
                .col(timestamp("created_at"))
                .col(timestamp_null("revoked_at"))
                .col(timestamp_null("last_used_at"))
                .foreign_key(&mut fk("api_token", "account_id", "account"))
                .foreign_key(&mut fk("api_token", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_api_token_hash", "api_token", &["token_hash"], true)).await?;
        m.create_index(index("ix_api_token_account", "api_token", &["account_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(Alias::new("api_rate"))
                .col(big("token_id"))
                .col(big("window_start"))
                .col(big("hits"))
                .primary_key(Index::create().col(Alias::new("token_id")).col(Alias::new("window_start")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["api_rate", "api_token"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
