//! The rules that turn wire names (field names, enum values, stream names)
//! into Rust identifiers, and that keep the identifiers of one scope
//! distinct.
//!
//! - Latin letters with diacritics are first written without them (`é` as
//!   `e`, `ß` as `ss`, `æ` as `ae`).
//! - Words are the runs of ASCII letters and digits; every other character
//!   separates words, and a word also ends where a lowercase letter or digit
//!   meets an uppercase letter (`measuredAt`) and before the last capital of
//!   a run of capitals followed by a lowercase letter (`HTTPServer`).
//! - Field names are the words in `snake_case`; type and variant names are
//!   the words in `UpperCamelCase` (`HTTP` becomes `Http`), with `_` between
//!   a word ending in a digit and one starting with a digit (`v1_2`).
//! - A name that would start with a digit gets a leading `_`.
//! - A field name that is a Rust keyword becomes a raw identifier
//!   (`r#type`), except `self`, `super` and `crate`, which take a trailing
//!   `_`; `Self` is never used as a type or variant name.
//! - A name with no words at all takes a fallback (`field`, `Empty` for the
//!   empty enum value, `Value` for other values, or what the caller gives).
//! - In one scope, names that come out equal are told apart by a number:
//!   `name_2` for fields, `Name2` (or `Name1_2` after a digit) for types and
//!   variants. Wire names that are already exactly their identifier keep it;
//!   the others are numbered in the order they come.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Span};

/// Rust's keywords, strict and reserved, of every edition.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// True when `s` is one of Rust's keywords.
pub(crate) fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Latin letters with diacritics (Latin-1 and Latin Extended-A) and what
/// they are written as in identifiers.
const FOLDS: &[(&str, &str)] = &[
    ("àáâãäåāăą", "a"),
    ("ÀÁÂÃÄÅĀĂĄ", "A"),
    ("æ", "ae"),
    ("Æ", "AE"),
    ("çćĉċč", "c"),
    ("ÇĆĈĊČ", "C"),
    ("ďđð", "d"),
    ("ĎĐÐ", "D"),
    ("èéêëēĕėęě", "e"),
    ("ÈÉÊËĒĔĖĘĚ", "E"),
    ("ĝğġģ", "g"),
    ("ĜĞĠĢ", "G"),
    ("ĥħ", "h"),
    ("ĤĦ", "H"),
    ("ìíîïĩīĭįı", "i"),
    ("ÌÍÎÏĨĪĬĮİ", "I"),
    ("ĵ", "j"),
    ("Ĵ", "J"),
    ("ķ", "k"),
    ("Ķ", "K"),
    ("ĺļľŀł", "l"),
    ("ĹĻĽĿŁ", "L"),
    ("ñńņňŉ", "n"),
    ("ÑŃŅŇ", "N"),
    ("òóôõöøōŏő", "o"),
    ("ÒÓÔÕÖØŌŎŐ", "O"),
    ("œ", "oe"),
    ("Œ", "OE"),
    ("ŕŗř", "r"),
    ("ŔŖŘ", "R"),
    ("śŝşš", "s"),
    ("ŚŜŞŠ", "S"),
    ("ß", "ss"),
    ("ţťŧ", "t"),
    ("ŢŤŦ", "T"),
    ("þ", "th"),
    ("Þ", "TH"),
    ("ùúûüũūŭůűų", "u"),
    ("ÙÚÛÜŨŪŬŮŰŲ", "U"),
    ("ŵ", "w"),
    ("Ŵ", "W"),
    ("ýÿŷ", "y"),
    ("ÝŸŶ", "Y"),
    ("źżž", "z"),
    ("ŹŻŽ", "Z"),
];

/// `wire` with Latin letters written without their diacritics.
fn fold(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len());
    for c in wire.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match FOLDS.iter().find(|(from, _)| from.contains(c)) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

/// The words of a wire name (see the module documentation).
pub(crate) fn words(wire: &str) -> Vec<String> {
    let mut out = Vec::new();
    for segment in fold(wire).split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = segment.chars().collect();
        let mut word = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                Some(p) if c.is_ascii_uppercase() => {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                }
                _ => false,
            };
            if boundary && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
        if !word.is_empty() {
            out.push(word);
        }
    }
    out
}

/// The words joined in `snake_case` (empty when there are none).
pub(crate) fn snake_case(wire: &str) -> String {
    words(wire)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_")
}

/// The words joined in `UpperCamelCase` (empty when there are none).
pub(crate) fn upper_camel_case(wire: &str) -> String {
    camel_of(&words(wire))
}

fn camel_of(words: &[String]) -> String {
    let mut out = String::new();
    for w in words {
        let starts_with_digit = w.starts_with(|c: char| c.is_ascii_digit());
        if starts_with_digit && out.ends_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        let mut chars = w.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// Words English forms the plural of differently from the rules below, or
/// that look plural and are not.
const KEEP_PLURAL: &[&str] = &[
    "series", "species", "news", "movies", "cookies", "ties", "pies", "lies", "zombies",
];

/// The singular of a lowercase English word, by a few regular rules
/// (`readings` to `reading`, `entries` to `entry`, `addresses` to
/// `address`, `boxes` to `box`); other words are returned unchanged.
pub(crate) fn singular(word: &str) -> String {
    let w = word;
    let keep = w.len() <= 3
        || KEEP_PLURAL.contains(&w)
        || ["ss", "us", "is", "os"].iter().any(|end| w.ends_with(end));
    if keep || !w.ends_with('s') {
        return w.to_string();
    }
    if let Some(stem) = w.strip_suffix("ies") {
        if stem.len() >= 2 {
            return format!("{stem}y");
        }
    }
    for end in ["sses", "xes", "ches", "shes", "zzes"] {
        if w.ends_with(end) {
            return w[..w.len() - 2].to_string();
        }
    }
    w[..w.len() - 1].to_string()
}

/// The type name of the elements of an array field: its words with the last
/// one made singular, in `UpperCamelCase`.
pub(crate) fn element_type_base(wire: &str) -> String {
    let mut ws = words(wire);
    if let Some(last) = ws.last_mut() {
        let lower = last.to_ascii_lowercase();
        let one = singular(&lower);
        if one != lower {
            *last = one;
        }
    }
    camel_of(&ws)
}

/// A name as written in Rust: its text and whether it is a raw identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    /// The identifier without `r#`: the name serde and the derive see.
    pub text: String,
    /// True when written `r#text`.
    pub raw: bool,
}

impl Name {
    /// The identifier token.
    pub fn ident(&self) -> Ident {
        if self.raw {
            Ident::new_raw(&self.text, Span::call_site())
        } else {
            Ident::new(&self.text, Span::call_site())
        }
    }
}

/// Prefixes `_` when `s` starts with a digit.
fn no_leading_digit(s: String) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// The field identifier of a wire name, before collisions are resolved:
/// the base text (what numbering extends) and the first choice.
fn field_base(wire: &str) -> String {
    let s = snake_case(wire);
    if s.is_empty() {
        "field".to_string()
    } else {
        no_leading_digit(s)
    }
}

/// The field identifier for `base` numbered `n` (1: no number).
fn field_candidate(base: &str, n: usize) -> Name {
    if n > 1 {
        return Name {
            text: format!("{base}_{n}"),
            raw: false,
        };
    }
    if NOT_RAW.contains(&base) {
        Name {
            text: format!("{base}_"),
            raw: false,
        }
    } else {
        Name {
            text: base.to_string(),
            raw: is_keyword(base),
        }
    }
}

/// The field identifier of one wire name, collisions aside.
#[cfg(test)]
pub(crate) fn field_name(wire: &str) -> Name {
    field_candidate(&field_base(wire), 1)
}

/// The `UpperCamelCase` base of a type or variant name: `fallback` when the
/// name has no words, `_` before a leading digit.
pub(crate) fn camel_base(camel: String, fallback: &str) -> String {
    if camel.is_empty() {
        fallback.to_string()
    } else {
        no_leading_digit(camel)
    }
}

/// The type or variant name for `base` numbered `n` (1: no number).
pub(crate) fn camel_candidate(base: &str, n: usize) -> String {
    match n {
        1 => base.to_string(),
        n if base.ends_with(|c: char| c.is_ascii_digit()) => format!("{base}_{n}"),
        n => format!("{base}{n}"),
    }
}

/// Assigns names in one scope: every wire name whose first choice is
/// exactly the wire name keeps it; the others take the first free numbered
/// form of their base, in order.
fn assign<T: Clone>(
    wires: &[&str],
    base: impl Fn(&str) -> String,
    candidate: impl Fn(&str, usize) -> T,
    text: impl Fn(&T) -> &str,
    usable: impl Fn(&T) -> bool,
) -> Vec<T> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    let bases: Vec<String> = wires.iter().map(|w| base(w)).collect();
    let mut out: Vec<Option<T>> = vec![None; wires.len()];
    for (i, (wire, b)) in wires.iter().zip(&bases).enumerate() {
        let first = candidate(b, 1);
        if text(&first) == *wire && usable(&first) && !taken.contains(*wire) {
            taken.insert(wire.to_string());
            out[i] = Some(first);
        }
    }
    for (slot, b) in out.iter_mut().zip(&bases) {
        if slot.is_some() {
            continue;
        }
        // Each number gives another name and `taken` is finite, so a free one
        // is found; numbers already passed for this base stay taken, so the
        // search resumes where the last one for the base stopped.
        let mut n = next.get(b.as_str()).copied().unwrap_or(1);
        let c = loop {
            let c = candidate(b, n);
            if usable(&c) && !taken.contains(text(&c)) {
                break c;
            }
            n += 1;
        };
        next.insert(b.clone(), n + 1);
        taken.insert(text(&c).to_string());
        *slot = Some(c);
    }
    out.into_iter().flatten().collect()
}

/// The identifiers of the fields of one struct, in the order of `wires`.
pub(crate) fn field_names(wires: &[&str]) -> Vec<Name> {
    assign(wires, field_base, field_candidate, |n| &n.text, |_| true)
}

/// The variant names of an enum's values, in the order of `values`.
pub(crate) fn variant_names(values: &[&str]) -> Vec<String> {
    assign(
        values,
        |v| {
            let fallback = if v.is_empty() { "Empty" } else { "Value" };
            camel_base(upper_camel_case(v), fallback)
        },
        camel_candidate,
        |s| s,
        |s| !is_keyword(s),
    )
}

/// The type names of one generated module: each claim takes the first free
/// name among the candidates it gives, then numbered forms of the last.
#[derive(Debug, Default)]
pub(crate) struct TypeNames {
    taken: HashSet<String>,
    /// The number to try next for a numbered name, by its base.
    next: HashMap<String, usize>,
}

impl TypeNames {
    /// Names no generated type may take (the prelude's and the imported).
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> TypeNames {
        TypeNames {
            taken: reserved.into_iter().map(str::to_string).collect(),
            next: HashMap::new(),
        }
    }

    /// True when `name` is already used or reserved.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name) || is_keyword(name)
    }

    /// Takes `name` as it is.
    pub fn take(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    /// Takes the first free name of `candidates`, or else the first free
    /// numbered form of the last candidate.
    pub fn claim(&mut self, candidates: &[String]) -> String {
        for c in candidates {
            if !self.is_taken(c) {
                self.take(c);
                return c.clone();
            }
        }
        let last = candidates.last().map_or("Type", String::as_str);
        let mut n = self.next.get(last).copied().unwrap_or(2);
        loop {
            let c = camel_candidate(last, n);
            if !self.is_taken(&c) {
                self.take(&c);
                self.next.insert(last.to_string(), n + 1);
                return c;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(names: &[Name]) -> Vec<String> {
        names
            .iter()
            .map(|n| {
                if n.raw {
                    format!("r#{}", n.text)
                } else {
                    n.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn words_split_at_separators_and_case_changes() {
        assert_eq!(words("measuredAt"), ["measured", "At"]);
        assert_eq!(words("HTTPServer_url"), ["HTTP", "Server", "url"]);
        assert_eq!(words("port-call.id"), ["port", "call", "id"]);
        assert_eq!(words("v2Api"), ["v2", "Api"]);
        assert_eq!(words("temp °C"), ["temp", "C"]);
        assert_eq!(words("温度"), Vec::<String>::new());
        assert_eq!(words("températureMax"), ["temperature", "Max"]);
        assert_eq!(words("Größe"), ["Grosse"]);
        assert_eq!(words("naïve café"), ["naive", "cafe"]);
        assert_eq!(words("ÆØÅ"), ["AEOA"]);
        assert_eq!(words("ABC"), ["ABC"]);
    }

    #[test]
    fn field_names_are_snake_case() {
        assert_eq!(field_name("measuredAt").text, "measured_at");
        assert_eq!(field_name("Temperature").text, "temperature");
        assert_eq!(field_name("HTTPStatus").text, "http_status");
        assert_eq!(field_name("port-call id").text, "port_call_id");
        assert_eq!(field_name("already_snake").text, "already_snake");
    }

    #[test]
    fn keywords_become_raw_identifiers_or_take_a_trailing_underscore() {
        assert_eq!(
            field_name("type"),
            Name {
                text: "type".into(),
                raw: true
            }
        );
        assert_eq!(
            field_name("async"),
            Name {
                text: "async".into(),
                raw: true
            }
        );
        assert_eq!(
            field_name("gen"),
            Name {
                text: "gen".into(),
                raw: true
            }
        );
        assert_eq!(
            field_name("Type"),
            Name {
                text: "type".into(),
                raw: true
            }
        );
        assert_eq!(
            field_name("self"),
            Name {
                text: "self_".into(),
                raw: false
            }
        );
        assert_eq!(
            field_name("Self"),
            Name {
                text: "self_".into(),
                raw: false
            }
        );
        assert_eq!(field_name("super").text, "super_");
        assert_eq!(field_name("crate").text, "crate_");
        assert_eq!(
            field_name("union"),
            Name {
                text: "union".into(),
                raw: false
            }
        );
    }

    #[test]
    fn leading_digits_and_wordless_names() {
        assert_eq!(field_name("3d_points").text, "_3d_points");
        assert_eq!(field_name("2").text, "_2");
        assert_eq!(field_name("温度").text, "field");
        assert_eq!(field_name("_").text, "field");
        assert_eq!(field_name("$").text, "field");
        assert_eq!(camel_base(upper_camel_case("3d scan"), "T"), "_3dScan");
        assert_eq!(upper_camel_case("v1_2"), "V1_2");
        assert_eq!(upper_camel_case("boiler_data"), "BoilerData");
        assert_eq!(upper_camel_case("IN_PROGRESS"), "InProgress");
    }

    #[test]
    fn colliding_fields_are_numbered_and_exact_names_win() {
        // `foo_bar` is its own identifier, so it keeps it even though it comes later.
        let names = field_names(&["fooBar", "foo_bar", "FOO-BAR"]);
        assert_eq!(texts(&names), ["foo_bar_2", "foo_bar", "foo_bar_3"]);
        // `type` is exact as `r#type`; `Type` comes out as `type` too.
        let names = field_names(&["Type", "type"]);
        assert_eq!(texts(&names), ["type_2", "r#type"]);
        // A numbered form that is itself a wire name is skipped.
        let names = field_names(&["a", "A", "a_2"]);
        assert_eq!(texts(&names), ["a", "a_3", "a_2"]);
        let names = field_names(&["self", "Self", "self_"]);
        assert_eq!(texts(&names), ["self_2", "self_3", "self_"]);
        let names = field_names(&["温度", "湿度", "field"]);
        assert_eq!(texts(&names), ["field_2", "field_3", "field"]);
    }

    #[test]
    fn many_equal_names_are_numbered_in_order() {
        // "a" and 1999 other names whose only word is "a": the separators
        // after it spell the number in base 4.
        let wires: Vec<String> = (0..2000usize)
            .map(|i| {
                let mut w = "a".to_string();
                let mut k = i;
                while k > 0 {
                    w.push([' ', '-', '.', '$'][k % 4]);
                    k /= 4;
                }
                w
            })
            .collect();
        let refs: Vec<&str> = wires.iter().map(String::as_str).collect();
        let names = field_names(&refs);
        assert_eq!(names[0].text, "a");
        assert_eq!(names[1999].text, "a_2000");
        let distinct: HashSet<&str> = names.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(distinct.len(), 2000);
        let mut t = TypeNames::default();
        let got: Vec<String> = (0..500).map(|_| t.claim(&["A".into()])).collect();
        assert_eq!(got[0], "A");
        assert_eq!(got[499], "A500");
    }

    #[test]
    fn variants_are_upper_camel_case_and_distinct() {
        assert_eq!(
            variant_names(&["idle", "in-progress", "HEATING", "", "+", "1st", "Self"]),
            [
                "Idle",
                "InProgress",
                "Heating",
                "Empty",
                "Value",
                "_1st",
                "Self2"
            ]
        );
        assert_eq!(variant_names(&["a", "A", "a "]), ["A2", "A", "A3"]);
        assert_eq!(variant_names(&["v1", "V1"]), ["V1_2", "V1"]);
        assert_eq!(
            variant_names(&["-", "+", "Value"]),
            ["Value2", "Value3", "Value"]
        );
    }

    #[test]
    fn type_names_take_the_first_free_candidate() {
        let mut t = TypeNames::with_reserved(["Option", "Date"]);
        assert_eq!(t.claim(&["Site".into()]), "Site");
        assert_eq!(t.claim(&["Site".into(), "BoilerSite".into()]), "BoilerSite");
        assert_eq!(
            t.claim(&["Site".into(), "BoilerSite".into()]),
            "BoilerSite2"
        );
        assert_eq!(
            t.claim(&["Date".into(), "ReadingDate".into()]),
            "ReadingDate"
        );
        assert_eq!(t.claim(&["Self".into()]), "Self2");
        assert_eq!(t.claim(&["V1".into()]), "V1");
        assert_eq!(t.claim(&["V1".into()]), "V1_2");
    }

    #[test]
    fn array_element_types_are_singular() {
        assert_eq!(element_type_base("readings"), "Reading");
        assert_eq!(element_type_base("portCalls"), "PortCall");
        assert_eq!(element_type_base("entries"), "Entry");
        assert_eq!(element_type_base("addresses"), "Address");
        assert_eq!(element_type_base("boxes"), "Box");
        assert_eq!(element_type_base("matches"), "Match");
        assert_eq!(element_type_base("status"), "Status");
        assert_eq!(element_type_base("data"), "Data");
        assert_eq!(element_type_base("series"), "Series");
        assert_eq!(element_type_base("gas"), "Gas");
        assert_eq!(element_type_base("MOVES"), "Move");
    }
}
