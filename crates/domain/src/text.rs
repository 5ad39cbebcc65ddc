//! Vietnamese text: search folding and sort keys (interim version).

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

/// User-perceived characters.
pub fn grapheme_len(s: &str) -> usize {
    s.graphemes(true).count()
}

/// Compares person names in Vietnamese order.
pub fn cmp_person_names(a: &str, b: &str) -> std::cmp::Ordering {
    person_sort_key(a).cmp(&person_sort_key(b))
}
