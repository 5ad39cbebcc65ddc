//! Search inside a scope: an index holding, per cell, the status, the folded name and the
//! Vietnamese sort key, so "nguyen van" in a province is checked on index entries (no row
//! read per member) and the page is sorted from the same entries.

use super::m0001_initial::index;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_member_search"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("ix_member_org_search", "member", &["org_id", "status", "name_folded", "sort_key"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_member_org_search").table(Alias::new("member")).to_owned()).await
    }
}
