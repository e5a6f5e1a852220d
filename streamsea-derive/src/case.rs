//! serde's `rename_all` rules, applied exactly as serde applies them, so the
//! schema names every key as serde writes it.

/// One of the cases `rename_all` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenameRule {
    /// No rule: names as written in Rust.
    None,
    /// `lowercase`
    Lower,
    /// `UPPERCASE`
    Upper,
    /// `PascalCase`
    Pascal,
    /// `camelCase`
    Camel,
    /// `snake_case`
    Snake,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
    /// `kebab-case`
    Kebab,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebab,
}

/// The rule names, as serde spells them.
pub const RULES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

impl RenameRule {
    /// The rule called `name`.
    pub fn from_name(name: &str) -> Option<RenameRule> {
        RULES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
    }

    /// The names serde accepts, for error messages.
    pub fn names() -> String {
        let names: Vec<String> = RULES.iter().map(|(n, _)| format!("{n:?}")).collect();
        names.join(", ")
    }

    /// A variant name (PascalCase in Rust) under this rule.
    pub fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::None | RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => lower_first(variant),
            RenameRule::Snake => {
                let mut snake = String::new();
                for (i, ch) in variant.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake
                .apply_to_variant(variant)
                .to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake
                .apply_to_variant(variant)
                .replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }

    /// A field name (snake_case in Rust) under this rule.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::None | RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => lower_first(&RenameRule::Pascal.apply_to_field(field)),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RenameRule::*;

    #[test]
    fn fields_and_variants_follow_serde() {
        let cases = [
            (Lower, "very_tasty", "VeryTasty", "very_tasty", "verytasty"),
            (Upper, "very_tasty", "VeryTasty", "VERY_TASTY", "VERYTASTY"),
            (Pascal, "very_tasty", "VeryTasty", "VeryTasty", "VeryTasty"),
            (Camel, "very_tasty", "VeryTasty", "veryTasty", "veryTasty"),
            (Snake, "very_tasty", "VeryTasty", "very_tasty", "very_tasty"),
            (
                ScreamingSnake,
                "very_tasty",
                "VeryTasty",
                "VERY_TASTY",
                "VERY_TASTY",
            ),
            (Kebab, "very_tasty", "VeryTasty", "very-tasty", "very-tasty"),
            (
                ScreamingKebab,
                "very_tasty",
                "VeryTasty",
                "VERY-TASTY",
                "VERY-TASTY",
            ),
        ];
        for (rule, field, variant, field_out, variant_out) in cases {
            assert_eq!(rule.apply_to_field(field), field_out, "{rule:?}");
            assert_eq!(rule.apply_to_variant(variant), variant_out, "{rule:?}");
        }
    }
}
