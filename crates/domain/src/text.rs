//! Vietnamese text: search folding and sort keys (interim version).

use crate::error::{ErrorCode, FieldError, ValidationErrors};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// Search form: lowercase, no diacritics, đ → d, single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

const ALPHABET: &str = "0123456789aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

fn letter_and_tone(c: char) -> (Option<char>, u8) {
    let mut base = None;
    let mut tone = 0u8;
    let mut mods = String::new();
    for d in c.to_lowercase().flat_map(|l| l.nfd().collect::<Vec<_>>()) {
        match d {
            '\u{0300}' => tone = 1,
            '\u{0309}' => tone = 2,
            '\u{0303}' => tone = 3,
            '\u{0301}' => tone = 4,
            '\u{0323}' => tone = 5,
            '\u{0306}' | '\u{0302}' | '\u{031B}' => mods.push(d),
            other => base = Some(other),
        }
    }
    let letter = base.map(|b| {
        let composed: String = std::iter::once(b).chain(mods.chars()).collect::<String>().nfc().collect();
        composed.chars().next().unwrap_or(b)
    });
    (letter, tone)
}

fn word_key(word: &str, primary: &mut String, tones: &mut String) {
    for c in word.chars() {
        let (letter, tone) = letter_and_tone(c);
        if let Some(l) = letter
            && let Some(pos) = ALPHABET.chars().position(|a| a == l)
        {
            primary.push((b'0' + pos as u8) as char);
            tones.push((b'0' + tone) as char);
        }
    }
}

/// Sort key for person names: given name, family name, middle names; tones secondary.
pub fn person_sort_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let ordered: Vec<&str> = match words.len() {
        0 => vec![],
        1 => vec![words[0]],
        n => {
            let mut v = vec![words[n - 1], words[0]];
            v.extend(&words[1..n - 1]);
            v
        }
    };
    key_of(&ordered, full_name)
}

fn key_of(words: &[&str], original: &str) -> String {
    let mut primary = String::new();
    let mut tones = String::new();
    for w in words {
        word_key(w, &mut primary, &mut tones);
        primary.push(' ');
        tones.push(' ');
    }
    format!("{primary}!{tones}!{}", fold(original).chars().filter(|c| c.is_ascii()).collect::<String>())
}

/// Sort key for organization names: word by word, numbers in numeric order.
pub fn text_sort_key(s: &str) -> String {
    let padded: Vec<String> = s.split_whitespace().map(|w| if w.chars().all(|c| c.is_ascii_digit()) { format!("{:0>10}", w) } else { w.to_owned() }).collect();
    let refs: Vec<&str> = padded.iter().map(String::as_str).collect();
    key_of(&refs, s)
}

/// The words of a text with single spaces between them (what a form's free text is kept as).
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Free text as a record keeps it: runs of white space made one space, none at either end;
/// nothing left is none.
pub fn tidy(s: &str) -> Option<String> {
    Some(squash(s)).filter(|s| !s.is_empty())
}

/// Characters that show nothing: zero-width spaces and joiners, the word joiner and the
/// byte-order mark, soft hyphens, invisible operators, fillers and direction marks.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E007F}')
}

/// Characters no one types into a field: NUL and the other control characters (tabs and
/// line breaks aside, which free text turns into spaces or keeps as lines), the replacement
/// character that stands for bytes that were not UTF-8, noncharacters and private use.
fn unprintable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || c == '\u{FFFD}'
        || matches!(c as u32, 0xFDD0..=0xFDEF | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// The one check every text of every command passes: refused with a message naming the
/// field when it holds a character that cannot be shown (a NUL makes a member unfindable
/// and cannot be stored on PostgreSQL) or when it is made only of invisible characters.
/// Empty or blank text passes (whether it is required is the field's own rule).
pub fn check(field: &str, s: &str) -> Result<(), FieldError> {
    if let Some(at) = s.chars().position(unprintable) {
        return Err(FieldError::new(field, ErrorCode::TextUnprintable).with("position", at + 1));
    }
    let mut shown = s.chars().filter(|c| !c.is_whitespace());
    if shown.clone().next().is_some() && shown.all(invisible) {
        return Err(FieldError::new(field, ErrorCode::TextInvisible));
    }
    Ok(())
}

/// [`check`] over the text fields of an input, each refusal added to `e`; true when all pass.
pub fn check_all(e: &mut ValidationErrors, fields: &[(&str, &str)]) -> bool {
    let before = e.errors.len();
    for (field, value) in fields {
        if let Err(fe) = check(field, value) {
            e.push(fe);
        }
    }
    e.errors.len() == before
}

/// User-perceived characters.
pub fn grapheme_len(s: &str) -> usize {
    s.graphemes(true).count()
}

/// Compares person names in Vietnamese order.
pub fn cmp_person_names(a: &str, b: &str) -> std::cmp::Ordering {
    person_sort_key(a).cmp(&person_sort_key(b))
}

#[cfg(test)]
mod check_tests {
    use super::*;

    #[test]
    fn nul_control_and_invisible_only_text_is_refused_naming_the_field() {
        for ok in ["Nguyễn Văn Thành", "", "   ", "Dòng một\nDòng hai", "Tổ\t5", "Nguyễn\u{200B}Văn"] {
            assert!(check("full_name", ok).is_ok(), "{ok:?}");
        }
        let e = check("full_name", "Nguyễn\u{0}Văn").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("full_name", ErrorCode::TextUnprintable));
        assert!(e.full_message(crate::error::Lang::Vi).starts_with("Họ và tên: có ký tự điều khiển"), "{}", e.full_message(crate::error::Lang::Vi));
        for bad in ["a\u{1B}[31m", "\u{7F}", "x\u{FFFD}", "\u{85}", "\u{E000}"] {
            assert_eq!(check("note", bad).unwrap_err().code, ErrorCode::TextUnprintable, "{bad:?}");
        }
        for hidden in ["\u{200B}", "\u{200B}\u{200C} \u{FEFF}", "\u{2060}", "\u{AD}"] {
            assert_eq!(check("full_name", hidden).unwrap_err().code, ErrorCode::TextInvisible, "{hidden:?}");
        }
        let mut e = ValidationErrors::new();
        assert!(!check_all(&mut e, &[("full_name", "An"), ("phone", "09\u{0}"), ("note", "\u{200B}")]));
        assert_eq!(e.errors.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["phone", "note"]);
    }

    #[test]
    fn every_command_refuses_such_text_beside_its_field() {
        use crate::member::{ContactInput, MemberInput};
        use crate::residence::command::CommentResidenceInput;
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let fields = |e: ValidationErrors| e.errors.into_iter().map(|f| (f.field, f.code)).collect::<Vec<_>>();
        let m = MemberInput {
            full_name: "\u{200B}\u{200B}".into(),
            gender: "nam".into(),
            birth_date: "01/01/1980".into(),
            phone: "0912\u{0}345678".into(),
            occupation: "Kỹ\u{1}sư".into(),
            ..Default::default()
        };
        let got = fields(m.validate(today).unwrap_err());
        assert!(got.contains(&("full_name".into(), ErrorCode::TextInvisible)), "{got:?}");
        assert!(got.contains(&("occupation".into(), ErrorCode::TextUnprintable)), "{got:?}");
        assert!(got.iter().any(|(f, _)| f == "phone"), "{got:?}");
        let c = ContactInput { phone: String::new(), email: String::new(), current_address: "Tổ 5\u{0}".into() };
        assert_eq!(fields(c.validate().unwrap_err()), [("current_address".into(), ErrorCode::TextUnprintable)]);
        let comment = CommentResidenceInput { year: "abc".into(), comment: "Gương mẫu".into() };
        assert_eq!(fields(comment.validate(today).unwrap_err()), [("year".into(), ErrorCode::InvalidChoice)]);
        let comment = CommentResidenceInput { year: String::new(), comment: "\u{FEFF}".into() };
        assert_eq!(fields(comment.validate(today).unwrap_err()), [("comment".into(), ErrorCode::TextInvisible)]);
    }
}
