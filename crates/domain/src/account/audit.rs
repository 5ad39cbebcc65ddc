//! The audit catalogue of accounts and API tokens.

use super::Role;
use crate::audit::{AuditField, FieldKind};

crate::audit_actions! {
    /// What can be done to an account.
    AccountAction for Account {
        /// Tạo tài khoản.
        Create = "account.create", "Tạo tài khoản", "Account created";
        /// Đặt lại mật khẩu.
        Password = "account.password", "Đặt lại mật khẩu", "Password reset";
        /// Mở khóa.
        Enable = "account.enable", "Mở khóa tài khoản", "Account enabled";
        /// Khóa.
        Disable = "account.disable", "Khóa tài khoản", "Account disabled";
        /// Bỏ thời gian chờ đăng nhập.
        Unlock = "account.unlock", "Bỏ thời gian chờ đăng nhập", "Sign-in delay lifted";
    }
}

crate::audit_actions! {
    /// What can be done to an API token.
    TokenAction for Token {
        /// Tạo mã.
        Create = "token.create", "Tạo mã truy cập API", "API token created";
        /// Thu hồi.
        Revoke = "token.revoke", "Thu hồi mã truy cập API", "API token revoked";
    }
}

/// How an account's fields read.
pub const FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::new("login", "Tên đăng nhập", "Login", FieldKind::Text),
    AuditField::new("display_name", "Tên hiển thị", "Display name", FieldKind::Text),
    AuditField::new("role", "Vai trò", "Role", FieldKind::Code(Role::code_label)),
    AuditField::new("org_id", "Tổ chức", "Organization", FieldKind::Org),
    AuditField::hidden("member_id"),
    AuditField::new("active", "Được đăng nhập", "May sign in", FieldKind::Bool),
    AuditField::hidden("version"),
    AuditField::hidden("password_hash"),
];

/// How an API token's fields read.
pub const TOKEN_FIELDS: &[AuditField] = &[
    AuditField::hidden("id"),
    AuditField::hidden("account_id"),
    AuditField::new("name", "Tên mã", "Token name", FieldKind::Text),
    AuditField::new("org_id", "Phạm vi tổ chức", "Organization scope", FieldKind::Org),
    AuditField::new("read_only", "Chỉ được đọc", "Read only", FieldKind::Bool),
    AuditField::new("created_at", "Tạo lúc", "Created at", FieldKind::Time),
    AuditField::new("revoked_at", "Thu hồi lúc", "Revoked at", FieldKind::Time),
    AuditField::new("last_used_at", "Dùng lần cuối lúc", "Last used at", FieldKind::Time),
];
