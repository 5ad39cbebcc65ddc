//! Sign-in throttling as one row per login and address (and one per address alone), claimed
//! by a single conditional UPDATE before the password is checked: parallel guesses cannot all
//! read the same count, and each failure makes the next try of that login from that address
//! wait longer, instead of locking the account against its owner everywhere for a window.
//! Times are milliseconds since 1970, so the delay is computed in the same statement on both
//! engines.

use super::m0001_initial::{big, text};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_sign_in_throttle"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("sign_in_throttle"))
                // The folded login, or '*' for every login tried from the address.
                .col(text("login"))
                .col(text("addr"))
                // Tries counted since the last success (each counted before its check).
                .col(big("failures"))
                // No try before this moment (milliseconds since 1970).
                .col(big("next_at"))
                .primary_key(Index::create().col(Alias::new("login")).col(Alias::new("addr")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Alias::new("sign_in_throttle")).to_owned()).await
    }
}
