//! Web sign-in: server-side sessions (shared by every `chibo serve` process), failed-login
//! records for throttling, the one-time set-up token of an empty installation, and members'
//! contact details (which members edit themselves).

use super::m0001_initial::{big, fk, index, text, text_null, timestamp};
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_sessions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in ["phone", "email"] {
            m.alter_table(Table::alter().table(Alias::new("member")).add_column(text_null(col)).to_owned()).await?;
        }

        // Only a hash of the cookie's token is stored: a copy of the database opens no session.
        m.create_table(
            Table::create()
                .table(Alias::new("session"))
                .col(ColumnDef::new(Alias::new("token_hash")).text().not_null().primary_key())
                .col(big("account_id"))
                .col(text("csrf_token"))
                .col(timestamp("created_at"))
                .col(timestamp("last_seen_at"))
                .foreign_key(&mut fk("session", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_session_account", "session", &["account_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("login_failure"))
                .col(ColumnDef::new(Alias::new("id")).big_integer().not_null().auto_increment().primary_key())
                .col(text("login"))
                .col(text("addr"))
                .col(timestamp("at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_login_failure_login", "login_failure", &["login", "at"], false)).await?;
        m.create_index(index("ix_login_failure_addr", "login_failure", &["addr", "at"], false)).await?;

        m.create_table(
            Table::create()
                .table(Alias::new("setup_token"))
                .col(ColumnDef::new(Alias::new("token_hash")).text().not_null().primary_key())
                .col(timestamp("created_at"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["setup_token", "login_failure", "session"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        for col in ["email", "phone"] {
            m.alter_table(Table::alter().table(Alias::new("member")).drop_column(Alias::new(col)).to_owned()).await?;
        }
        Ok(())
    }
}
