//! Forms as data: each field with its label, the value the user typed, its choices and its
//! error, so one template renders every form the same way and a refused form comes back with
//! everything the user typed and a Vietnamese message beside each wrong field.

use crate::i18n::Lang;
use chibo_domain::error::{ValidationErrors, field_label};

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// A date, typed dd/mm/yyyy (a text box: phones' date pickers are slow for birth dates).
    Date,
    /// A choice from a list.
    Select,
    /// A password.
    Password,
    /// Several lines of text.
    TextArea,
    /// A file to upload (the form is then sent as multipart/form-data).
    File,
    /// A record picked by name: a search box whose matches (the field's options) are
    /// radio buttons, refreshed by htmx as the user types; the value is the picked key,
    /// never typed by a person.
    Picker,
}

/// One field of a form.
pub struct Field {
    /// Machine name (the form field and the error's field).
    pub name: &'static str,
    /// Label in the user's language.
    pub label: String,
    /// What the user typed (or the stored value).
    pub value: String,
    /// How it is entered.
    pub input: Input,
    /// Choices of a select: (code, label).
    pub options: Vec<(String, String)>,
    /// The error beside the field, if any.
    pub error: Option<String>,
    /// A hint under the label.
    pub hint: Option<String>,
    /// Must be filled.
    pub required: bool,
    /// A picker's search: what the user typed.
    pub query: String,
    /// A picker's search address (answers the matches as radio buttons); a file field's
    /// accepted types.
    pub search: String,
    /// A line under a picker's matches ("and 120 more: type more of the name").
    pub note: Option<String>,
}

impl Field {
    /// A text field labelled by the shared field catalogue.
    pub fn text(name: &'static str, value: &str, lang: Lang) -> Field {
        Field {
            name,
            label: field_label(name, lang).to_owned(),
            value: value.to_owned(),
            input: Input::Text,
            options: vec![],
            error: None,
            hint: None,
            required: false,
            query: String::new(),
            search: String::new(),
            note: None,
        }
    }

    /// A date field (dd/mm/yyyy).
    pub fn date(name: &'static str, value: &str, lang: Lang) -> Field {
        let hint = Some(if lang == Lang::Vi { "dd/mm/yyyy, ví dụ 02/09/1975" } else { "dd/mm/yyyy, e.g. 02/09/1975" }.to_owned());
        Field { input: Input::Date, hint, ..Field::text(name, value, lang) }
    }

    /// A text of several lines.
    pub fn textarea(name: &'static str, value: &str, lang: Lang) -> Field {
        Field { input: Input::TextArea, ..Field::text(name, value, lang) }
    }

    /// A select with its choices.
    pub fn select(name: &'static str, value: &str, options: Vec<(String, String)>, lang: Lang) -> Field {
        Field { input: Input::Select, options, ..Field::text(name, value, lang) }
    }

    /// A file to upload, of the accepted types (`.pdf,.docx`).
    pub fn file(name: &'static str, accept: &str, lang: Lang) -> Field {
        Field { input: Input::File, search: accept.to_owned(), ..Field::text(name, "", lang) }
    }

    /// A record picked by name: `picked` is the key chosen (or empty), `query` what was typed,
    /// `matches` the candidates (key, label) and `search` the address that answers new ones.
    pub fn picker(name: &'static str, picked: &str, query: &str, matches: Vec<(String, String)>, search: String, lang: Lang) -> Field {
        Field { input: Input::Picker, options: matches, query: query.to_owned(), search, ..Field::text(name, picked, lang) }
    }

    /// Adds a line under a picker's matches.
    pub fn note(mut self, note: Option<String>) -> Field {
        self.note = note;
        self
    }

    /// Marks the field required.
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// Replaces the label.
    pub fn label(mut self, label: &str) -> Field {
        self.label = label.to_owned();
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = Some(hint.to_owned());
        self
    }

    /// Whether this option is the current value (for templates).
    pub fn is_selected(&self, code: &str) -> bool {
        self.value == code
    }
}

/// One line of the error summary at the top of a form: the message with the field's label,
/// and a link to the field when the form has it (so a keyboard or screen-reader user jumps
/// straight to what needs fixing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLine {
    /// "Số CCCD: số CCCD phải gồm đúng 12 chữ số".
    pub text: String,
    /// "#f-cccd".
    pub href: Option<String>,
}

impl From<String> for ErrorLine {
    fn from(text: String) -> ErrorLine {
        ErrorLine { text, href: None }
    }
}

/// Puts each error beside its field and returns the summary for the top of the form (every
/// message is in the summary too, so a screen reader hears them all).
pub fn attach_errors(fields: &mut [Field], errors: &ValidationErrors, lang: Lang) -> Vec<ErrorLine> {
    let mut summary = Vec::new();
    for e in &errors.errors {
        let mut href = None;
        if let Some(f) = fields.iter_mut().find(|f| f.name == e.field) {
            href = Some(format!("#f-{}", f.name));
            if f.error.is_none() {
                f.error = Some(e.message(lang));
            }
        }
        summary.push(ErrorLine { text: e.full_message(lang), href });
    }
    summary
}

/// A page that is one form (a candidate file, a transfer letter, a residence link): a title,
/// a line about whom it is for, the fields, and the way back.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "form_page.html")]
pub(crate) struct FormPage {
    pub c: crate::auth::Chrome,
    pub title: String,
    pub lead: String,
    pub back: String,
    pub back_label: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
    pub errors: Vec<ErrorLine>,
    pub version: i64,
}

impl FormPage {
    /// Whether the form sends a file (and so goes as multipart/form-data).
    pub fn multipart(&self) -> bool {
        self.fields.iter().any(|f| f.input == Input::File)
    }
}

/// A picker's matches alone: what its search address answers to htmx as the user types.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "picks.html")]
pub(crate) struct PicksPartial {
    pub f: Field,
}

/// Everything a one-form page shows around its fields.
pub(crate) struct Frame {
    /// The navigation entry it sits under ("orgs", "members").
    pub nav: &'static str,
    /// Its title.
    pub title: String,
    /// Whom or what it is about.
    pub lead: String,
    /// The way back, and its label.
    pub back: String,
    pub back_label: String,
    /// Where the form is sent (the page's own address too).
    pub action: String,
    /// The submit button's text.
    pub submit: String,
    /// The version of the record it edits (0 for a new one).
    pub version: i64,
}

impl Frame {
    /// The page: the fields with each error beside its field and all of them in the summary.
    pub fn page(self, staff: &crate::auth::Staff, mut fields: Vec<Field>, errors: &ValidationErrors) -> FormPage {
        let summary = attach_errors(&mut fields, errors, staff.auth.lang);
        FormPage {
            c: staff.auth.chrome(self.nav, &self.action),
            title: self.title,
            lead: self.lead,
            back: self.back,
            back_label: self.back_label,
            action: self.action,
            submit: self.submit,
            fields,
            errors: summary,
            version: self.version,
        }
    }
}

/// Reads the record a form is about (not found outside the scope), then refuses a scope
/// that may not change members' records: the order every form handler keeps.
pub(crate) async fn for_change<T>(staff: &crate::auth::Staff, read: impl Future<Output = chibo_store::Result<T>>) -> crate::error::AppResult<T> {
    let record = read.await.map_err(|e| staff.auth.err(e))?;
    staff.require(chibo_domain::scope::Rights::Members)?;
    Ok(record)
}

/// Writes the command a form was read into, or passes on why it could not be read.
pub(crate) async fn save<C, T>(command: Result<C, ValidationErrors>, write: impl AsyncFnOnce(C) -> chibo_store::Result<T>) -> chibo_store::Result<T> {
    match command {
        Ok(c) => write(c).await,
        Err(v) => Err(chibo_store::StoreError::Invalid(v)),
    }
}

/// The answer to a sent form: `done` once saved; once refused, the form again with
/// everything typed and why beside each field; any other failure as its error page.
pub(crate) async fn answer<T>(
    staff: &crate::auth::Staff,
    result: chibo_store::Result<T>,
    done: impl FnOnce(T) -> axum::response::Response,
    again: impl AsyncFnOnce(ValidationErrors) -> crate::error::AppResult<FormPage>,
) -> crate::error::AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    match result {
        Ok(t) => Ok(done(t)),
        Err(e) => Ok(again(refusal(e).map_err(|e| staff.auth.err(e))?).await?.into_response()),
    }
}

/// What to show on a form after a refused change: the field errors of an invalid input, or
/// the stale-version message of an edit made on an old page; any other failure passes on.
pub fn refusal(e: chibo_store::StoreError) -> Result<ValidationErrors, chibo_store::StoreError> {
    use chibo_domain::error::{ErrorCode, FieldError};
    use chibo_store::StoreError;
    match e {
        StoreError::Invalid(v) => Ok(v),
        StoreError::Stale { expected, actual } => {
            Ok(FieldError::new("version", ErrorCode::StaleVersion).with("expected", expected).with("actual", actual).into())
        }
        other => Err(other),
    }
}

/// An organization anywhere in the instance by code or name, or the field error to show.
pub(crate) async fn org_anywhere(
    staff: &crate::auth::Staff,
    field: &str,
    query: &str,
) -> crate::error::AppResult<Result<i64, chibo_domain::error::FieldError>> {
    Ok(match staff.auth.app.store.public().find_org(query).await.map_err(|e| staff.auth.err(e))? {
        chibo_store::org::OrgMatch::One(o) => Ok(o.id),
        chibo_store::org::OrgMatch::Many(list) => Err(chibo_domain::error::FieldError::new(field, chibo_domain::error::ErrorCode::OrgAmbiguous)
            .with("value", query.trim())
            .with("candidates", list.iter().take(5).map(|o| format!("{} ({})", o.name, o.code)).collect::<Vec<_>>().join("; "))),
        chibo_store::org::OrgMatch::None => Err(chibo_domain::error::FieldError::new(field, chibo_domain::error::ErrorCode::NotFound)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chibo_domain::error::{ErrorCode, FieldError};

    #[test]
    fn errors_go_beside_their_fields_and_into_the_summary() {
        let mut fields = vec![Field::text("full_name", "", Lang::Vi), Field::text("cccd", "12345", Lang::Vi)];
        let mut errors = ValidationErrors::new();
        errors.push(FieldError::new("cccd", ErrorCode::CccdFormat).with("len", 5));
        errors.push(FieldError::new("event_date", ErrorCode::DateInFuture).with("date", "01/01/2030").with("today", "25/11/2026"));
        let summary = attach_errors(&mut fields, &errors, Lang::Vi);
        assert_eq!(fields[1].error.as_deref(), Some("số CCCD phải gồm đúng 12 chữ số (đang có 5 ký tự)"));
        assert_eq!(fields[1].value, "12345");
        assert!(fields[0].error.is_none());
        assert_eq!(summary.len(), 2);
        assert_eq!(summary[0].href.as_deref(), Some("#f-cccd"), "the summary links to the field");
        assert!(summary[1].text.starts_with("Ngày sự kiện: ") && summary[1].href.is_none());
    }
}
