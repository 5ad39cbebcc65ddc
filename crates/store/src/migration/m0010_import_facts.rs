//! An import's figures are derived in a second transaction after the load's own (the bulk
//! appender's transaction is not a sea-orm one). The import row now says which member ids it
//! wrote and whether their facts are still to be derived, so a crash between the two
//! transactions is repaired at the next start instead of leaving the figures stale.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_import_facts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["first_member_id", "last_member_id"] {
            m.alter_table(Table::alter().table(Alias::new("member_import")).add_column(ColumnDef::new(Alias::new(col)).big_integer().null()).to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table(Alias::new("member_import"))
                .add_column(ColumnDef::new(Alias::new("facts_pending")).boolean().not_null().default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["facts_pending", "last_member_id", "first_member_id"] {
            m.alter_table(Table::alter().table(Alias::new("member_import")).drop_column(Alias::new(col)).to_owned()).await?;
        }
        Ok(())
    }
}
