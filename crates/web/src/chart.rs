//! Charts drawn on the server as inline SVG: horizontal bars, a population pyramid and a column
//! trend. No script, nothing from the internet. Every bar has its number written beside it and
//! is a link to the list behind it; series are told apart by pattern and by a written legend,
//! never by colour alone. The drawing is 360 units wide, the width of a phone, and scales down
//! or up with the page (the stylesheet caps it on wide screens).

use crate::i18n::Lang;
use crate::view::number;
use std::fmt::Write;

/// Width of every chart in SVG units.
const W: i64 = 360;

/// Escapes text for SVG (XML) content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar: what it counts, how many, and the list behind it.
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub href: String,
}

/// The patterns every chart may use: a diagonal hatch and a dotted fill. `id` keeps the ids of
/// two charts on one page apart.
fn defs(id: &str) -> String {
    format!(
        "<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#fff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#1a1a1a\" stroke-width=\"2.5\"/></pattern></defs>"
    )
}

fn open(id: &str, title: &str, height: i64) -> String {
    format!(
        "<svg class=\"chart\" id=\"{id}\" viewBox=\"0 0 {W} {height}\" width=\"100%\" role=\"group\" aria-labelledby=\"{id}-title\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\"><title id=\"{id}-title\">{}</title>{}",
        esc(title),
        defs(id)
    )
}

/// Length of a bar of `value` when `max` is `full` long (at least 1 for a non-zero value, so
/// that a small count stays visible).
fn scale(value: i64, max: i64, full: i64) -> i64 {
    if value <= 0 || max <= 0 { 0 } else { (value * full / max).max(1) }
}

/// Horizontal bars, one per line: the label above, the bar below with its number at its end.
/// Labels are never cut: a phone reads them at full length.
pub fn bars(id: &str, title: &str, items: &[Bar], lang: Lang) -> String {
    const ROW: i64 = 38;
    let height = (items.len() as i64 * ROW).max(ROW) + 4;
    let mut s = open(id, title, height);
    let max = items.iter().map(|b| b.value).max().unwrap_or(0);
    // Room for the number after the longest bar.
    let full = W - 70;
    for (i, b) in items.iter().enumerate() {
        let y = i as i64 * ROW;
        let len = scale(b.value, max, full);
        let n = number(b.value, lang);
        let name = format!("{}: {n}", b.label);
        let _ = write!(
            s,
            "<a href=\"{href}\" aria-label=\"{name}\"><title>{name}</title>\
             <text x=\"0\" y=\"{ty}\" font-size=\"13\" fill=\"#1a1a1a\">{label}</text>\
             <rect x=\"0\" y=\"{by}\" width=\"{len}\" height=\"14\" fill=\"url(#{id}-hatch)\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\
             <text x=\"{vx}\" y=\"{vy}\" font-size=\"13\" font-weight=\"700\" fill=\"#1a1a1a\" text-decoration=\"underline\">{n}</text></a>",
            href = esc(&b.href),
            name = esc(&name),
            label = esc(&b.label),
            ty = y + 14,
            by = y + 19,
            vx = len + 6,
            vy = y + 31,
        );
    }
    s.push_str("</svg>");
    s
}

/// One band of a pyramid: its label, and the left and right counts with their lists.
pub struct PyramidRow {
    /// Short label in the middle column ("31–40").
    pub label: String,
    /// Full label for the titles ("31–40 tuổi").
    pub long_label: String,
    pub left: i64,
    pub left_href: String,
    pub right: i64,
    pub right_href: String,
}

/// A population pyramid: bands from the oldest at the top to the youngest at the bottom, the
/// left series hatched, the right one solid, both named above their side.
pub fn pyramid(id: &str, title: &str, left_name: &str, right_name: &str, rows: &[PyramidRow], lang: Lang) -> String {
    const ROW: i64 = 30;
    const TOP: i64 = 30;
    // The middle column holds the band labels.
    let (mid_l, mid_r) = (W / 2 - 30, W / 2 + 30);
    // Room for the numbers at the outer ends.
    let full = mid_l - 50;
    let height = TOP + rows.len() as i64 * ROW + 6;
    let mut s = open(id, title, height);
    let max = rows.iter().flat_map(|r| [r.left, r.right]).max().unwrap_or(0);
    // Legend: a swatch and the name of each side, above it.
    let _ = write!(
        s,
        "<rect x=\"{lx}\" y=\"6\" width=\"14\" height=\"14\" fill=\"url(#{id}-hatch)\" stroke=\"#1a1a1a\"/>\
         <text x=\"{ltx}\" y=\"18\" font-size=\"13\" font-weight=\"700\" text-anchor=\"end\">{left}</text>\
         <rect x=\"{rx}\" y=\"6\" width=\"14\" height=\"14\" fill=\"#4a4a4a\" stroke=\"#1a1a1a\"/>\
         <text x=\"{rtx}\" y=\"18\" font-size=\"13\" font-weight=\"700\">{right}</text>",
        lx = mid_l - 14,
        ltx = mid_l - 20,
        rx = mid_r,
        rtx = mid_r + 20,
        left = esc(left_name),
        right = esc(right_name),
    );
    for (i, r) in rows.iter().rev().enumerate() {
        let y = TOP + i as i64 * ROW;
        let _ = write!(s, "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>", W / 2, y + 17, esc(&r.label));
        let (ll, rl) = (scale(r.left, max, full), scale(r.right, max, full));
        let (ln, rn) = (number(r.left, lang), number(r.right, lang));
        let lname = esc(&format!("{left_name}, {}: {ln}", r.long_label));
        let rname = esc(&format!("{right_name}, {}: {rn}", r.long_label));
        let _ = write!(
            s,
            "<a href=\"{lh}\" aria-label=\"{lname}\"><title>{lname}</title>\
             <rect x=\"{lx}\" y=\"{by}\" width=\"{ll}\" height=\"20\" fill=\"url(#{id}-hatch)\" stroke=\"#1a1a1a\"/>\
             <text x=\"{lvx}\" y=\"{ty}\" font-size=\"12\" font-weight=\"700\" text-anchor=\"end\" text-decoration=\"underline\">{ln}</text></a>\
             <a href=\"{rh}\" aria-label=\"{rname}\"><title>{rname}</title>\
             <rect x=\"{mid_r}\" y=\"{by}\" width=\"{rl}\" height=\"20\" fill=\"#4a4a4a\" stroke=\"#1a1a1a\"/>\
             <text x=\"{rvx}\" y=\"{ty}\" font-size=\"12\" font-weight=\"700\" text-decoration=\"underline\">{rn}</text></a>",
            lh = esc(&r.left_href),
            rh = esc(&r.right_href),
            lx = mid_l - ll,
            by = y + 3,
            lvx = mid_l - ll - 4,
            rvx = mid_r + rl + 4,
            ty = y + 17,
        );
    }
    s.push_str("</svg>");
    s
}

/// One column of a trend: its label (a year, a date), the count (None: the organization did
/// not exist then) and the list behind it.
pub struct Point {
    pub label: String,
    pub value: Option<i64>,
    pub href: Option<String>,
}

/// Columns over time, each with its number written above it (turned upright so that eleven
/// columns fit a phone) and its label below.
pub fn columns(id: &str, title: &str, points: &[Point], lang: Lang, missing: &str) -> String {
    const TOP: i64 = 56;
    const PLOT: i64 = 110;
    let height = TOP + PLOT + 34;
    let mut s = open(id, title, height);
    let n = points.len().max(1) as i64;
    let step = W / n;
    let width = (step - 8).max(4);
    let max = points.iter().filter_map(|p| p.value).max().unwrap_or(0);
    let base = TOP + PLOT;
    let _ = write!(s, "<line x1=\"0\" y1=\"{base}\" x2=\"{W}\" y2=\"{base}\" stroke=\"#1a1a1a\"/>");
    for (i, p) in points.iter().enumerate() {
        let x = i as i64 * step + (step - width) / 2;
        let cx = x + width / 2;
        let _ = write!(s, "<text x=\"{cx}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1a1a1a\">{}</text>", base + 16, esc(&p.label));
        let Some(v) = p.value else {
            let name = esc(&format!("{}: {missing}", p.label));
            let _ = write!(
                s,
                "<g aria-label=\"{name}\"><title>{name}</title><text x=\"{cx}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">–</text></g>",
                base - 4
            );
            continue;
        };
        let h = scale(v, max, PLOT);
        let num = number(v, lang);
        let name = esc(&format!("{}: {num}", p.label));
        // The last column (the chosen date) is solid, the years before hatched.
        let fill = if i + 1 == points.len() { "#4a4a4a".to_owned() } else { format!("url(#{id}-hatch)") };
        let bar = format!(
            "<title>{name}</title><rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{h}\" fill=\"{fill}\" stroke=\"#1a1a1a\"/>\
             <text transform=\"translate({tx} {ty}) rotate(-90)\" font-size=\"11\" font-weight=\"700\">{num}</text>",
            y = base - h,
            tx = cx + 4,
            ty = base - h - 4,
        );
        match &p.href {
            Some(href) => {
                let _ = write!(s, "<a href=\"{}\" aria-label=\"{name}\">{bar}</a>", esc(href));
            }
            None => {
                let _ = write!(s, "<g aria-label=\"{name}\">{bar}</g>");
            }
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_write_their_numbers_and_links_and_escape_labels() {
        let svg = bars("x", "Dân tộc", &[Bar { label: "Kinh <&>".into(), value: 10_379, href: "/members?a=1&b=2".into() }], Lang::Vi);
        assert!(svg.contains("10.379"));
        assert!(svg.contains("href=\"/members?a=1&amp;b=2\""));
        assert!(svg.contains("Kinh &lt;&amp;&gt;"));
        assert!(svg.contains("<title id=\"x-title\">Dân tộc</title>"));
    }

    #[test]
    fn a_pyramid_puts_the_oldest_band_on_top() {
        let row = |l: &str, a, b| PyramidRow { label: l.into(), long_label: l.into(), left: a, left_href: "/l".into(), right: b, right_href: "/r".into() };
        let svg = pyramid("p", "Tuổi", "Nam", "Nữ", &[row("≤30", 1, 2), row("≥71", 3, 4)], Lang::Vi);
        assert!(svg.find("≥71").unwrap() < svg.find("≤30").unwrap());
        assert!(svg.contains("Nam, ≥71: 3") && svg.contains("Nữ, ≤30: 2"));
    }

    #[test]
    fn columns_mark_a_missing_year() {
        let svg = columns(
            "t",
            "Xu hướng",
            &[Point { label: "2015".into(), value: None, href: None }, Point { label: "2016".into(), value: Some(5), href: Some("/m".into()) }],
            Lang::Vi,
            "chưa có",
        );
        assert!(svg.contains("2015: chưa có"));
        assert!(svg.contains("href=\"/m\""));
    }
}
