//! A temporary transfer's end is its own dated fact (`transfer.ended_on`): ending one no
//! longer rewrites the term of the letter that was issued (`until_on`), which stays as signed.
//! Transfers ended before this migration had their term overwritten by the ending's day; that
//! day is all that is known of their ending, so it becomes their `ended_on`. And every stored
//! rule set gains the shortest temporary transfer, with the value known when this migration was
//! written (frozen here): three months.

use super::m0001_initial::date_null;
use super::m0012_committee::rewrite_rules;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_transfer_terms"
    }
}

/// The shortest temporary transfer, in months, as known on 04/12/2026 (at least three months).
const TEMPORARY_TRANSFER_MIN_MONTHS: u32 = 3;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Alias::new("transfer")).add_column(date_null("ended_on")).to_owned()).await?;
        let ended = Query::update()
            .table(Alias::new("transfer"))
            .value(Alias::new("ended_on"), Expr::col(Alias::new("until_on")))
            .and_where(Expr::col(Alias::new("state")).eq("ended"))
            .to_owned();
        m.exec_stmt(ended).await?;
        rewrite_rules(m, |map| {
            map.entry("temporary_transfer_min_months").or_insert_with(|| TEMPORARY_TRANSFER_MIN_MONTHS.into());
        })
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        rewrite_rules(m, |map| {
            map.remove("temporary_transfer_min_months");
        })
        .await?;
        // The letter's term is as it was before: the ending's day (what the older code kept).
        let ended = Query::update()
            .table(Alias::new("transfer"))
            .value(Alias::new("until_on"), Expr::col(Alias::new("ended_on")))
            .and_where(Expr::col(Alias::new("state")).eq("ended"))
            .and_where(Expr::col(Alias::new("ended_on")).is_not_null())
            .to_owned();
        m.exec_stmt(ended).await?;
        m.alter_table(Table::alter().table(Alias::new("transfer")).drop_column(Alias::new("ended_on")).to_owned()).await
    }
}
