//! The API's per-minute request counters leave the database: each `chibo serve` process
//! counts its own tokens' requests in memory (`AppState::api_rate_hit` in the web crate), so
//! an API read is never a write and never waits behind another transaction (a large import
//! held SQLite's write lock for a minute, and every API call stopped with it). Their rows
//! were counts of one minute; nothing is lost by dropping them.

use super::m0001_initial::big;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_api_rate_in_memory"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("api_rate")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("api_rate"))
                .col(big("token_id"))
                .col(big("window_start"))
                .col(big("hits"))
                .primary_key(Index::create().col(Alias::new("token_id")).col(Alias::new("window_start")))
                .to_owned(),
        )
        .await
    }
}
