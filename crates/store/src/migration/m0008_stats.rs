//! Statistics: the facts every figure is a sum of, and checkpoints of those sums (see
//! `stats/index.rs`). Derived data: rebuilt from the spans when empty.

use super::m0001_initial::{big, big_null, bytewise, date, id, text, text_null};
use sea_orm_migration::prelude::*;

pub struct Migration;

/// The indexes of the facts as this migration made them, frozen here: the live list
/// (`stats::FACT_INDEXES`, which the rebuild drops and makes again) may change, what this
/// migration did may not. A test checks a migrated database has the live list.
const FACT_INDEXES: [&str; 6] = [
    "CREATE INDEX ix_stat_fact_day ON stat_fact (day, id)",
    "CREATE INDEX ix_stat_fact_a1 ON stat_fact (a1, day)",
    "CREATE INDEX ix_stat_fact_a2 ON stat_fact (a2, day)",
    "CREATE INDEX ix_stat_fact_path ON stat_fact (path, day)",
    "CREATE INDEX ix_stat_fact_member ON stat_fact (member_id)",
    "CREATE INDEX ix_stat_fact_org ON stat_fact (org_id, subject)",
];

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_stats"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let b = m.get_database_backend();
        m.create_table(
            Table::create()
                .table(Alias::new("stat_fact"))
                .col(id("id"))
                .col(big("org_id"))
                .col(bytewise(&mut text("path"), b))
                .col(big_null("a1"))
                .col(big_null("a2"))
                .col(date("day"))
                .col(ColumnDef::new(Alias::new("delta")).integer().not_null())
                .col(big_null("member_id"))
                .col(text("subject"))
                .col(text("keys"))
                .col(text_null("flow"))
                .to_owned(),
        )
        .await?;
        let c = m.get_connection();
        for def in FACT_INDEXES {
            c.execute_unprepared(def).await?;
        }
        m.create_table(
            Table::create()
                .table(Alias::new("stat_checkpoint"))
                .col(bytewise(&mut text("lo"), b))
                .col(date("valid_on"))
                .col(big("facts"))
                .col(text("tally"))
                .primary_key(Index::create().col(Alias::new("lo")).col(Alias::new("valid_on")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["stat_checkpoint", "stat_fact"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
