//! Accounts: the roles a person can hold and what each role may do, login names and passwords
//! as validated input. Hashing and sessions live in the layers that own I/O.

pub mod audit;

use crate::error::{ErrorCode, FieldError};
use crate::org::code_enum;
use crate::scope::Rights;

code_enum! {
    /// What an account is for. Every role but the system administrator is rooted at one
    /// organization (or, for a member, one member record).
    Role {
        /// Quản trị hệ thống: everything, everywhere.
        Admin = "admin", "Quản trị hệ thống", "System administrator";
        /// Quản trị tổ chức: full rights in one subtree.
        OrgAdmin = "org_admin", "Quản trị tổ chức", "Organization administrator";
        /// Xem số liệu tổ chức: read-only in one subtree.
        OrgViewer = "org_viewer", "Xem số liệu tổ chức", "Organization viewer";
        /// Bí thư chi bộ: keeps the members of one cell.
        Secretary = "secretary", "Bí thư chi bộ", "Cell secretary";
        /// Đảng viên: reads their own record and edits their contact details.
        Member = "member", "Đảng viên", "Member";
    }
}

impl Role {
    /// The rights inside the account's subtree; None for a member, who has no subtree.
    pub fn rights(self) -> Option<Rights> {
        match self {
            Role::Admin | Role::OrgAdmin => Some(Rights::Full),
            Role::Secretary => Some(Rights::Members),
            Role::OrgViewer => Some(Rights::Read),
            Role::Member => None,
        }
    }

    /// Whether an account of this role may create or manage accounts of role `other`: only
    /// administrators manage accounts, and never one with more power than their own.
    pub fn may_manage(self, other: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::OrgAdmin => other != Role::Admin,
            _ => false,
        }
    }
}

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Validates a login name: 3 to 40 lowercase ASCII letters, digits, '.', '-' or '_'.
pub fn parse_login(s: &str) -> Result<String, FieldError> {
    let login = s.trim().to_lowercase();
    if login.is_empty() {
        return Err(FieldError::new("login", ErrorCode::Required));
    }
    let ok = (3..=40).contains(&login.len()) && login.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_'));
    if ok { Ok(login) } else { Err(FieldError::new("login", ErrorCode::LoginFormat)) }
}

/// Validates a new password's length (the only rule NIST SP 800-63B recommends enforcing).
pub fn check_password(s: &str) -> Result<(), FieldError> {
    if s.chars().count() < MIN_PASSWORD_CHARS {
        return Err(FieldError::new("password", ErrorCode::PasswordTooShort).with("min", MIN_PASSWORD_CHARS));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_map_to_rights_and_cannot_manage_upwards() {
        assert_eq!(Role::Secretary.rights(), Some(Rights::Members));
        assert_eq!(Role::OrgViewer.rights(), Some(Rights::Read));
        assert_eq!(Role::Member.rights(), None);
        assert!(Role::OrgAdmin.may_manage(Role::Secretary));
        assert!(!Role::OrgAdmin.may_manage(Role::Admin));
        assert!(!Role::Secretary.may_manage(Role::Member));
        assert_eq!(Role::from_code("org_viewer"), Some(Role::OrgViewer));
    }

    #[test]
    fn logins_and_passwords_are_validated() {
        assert_eq!(parse_login("  BiThu.KP3 ").unwrap(), "bithu.kp3");
        assert_eq!(parse_login("").unwrap_err().code, ErrorCode::Required);
        assert_eq!(parse_login("bí thư").unwrap_err().code, ErrorCode::LoginFormat);
        assert_eq!(parse_login("ab").unwrap_err().code, ErrorCode::LoginFormat);
        assert!(check_password("mật khẩu dài").is_ok());
        assert_eq!(check_password("ngắn").unwrap_err().code, ErrorCode::PasswordTooShort);
    }
}
