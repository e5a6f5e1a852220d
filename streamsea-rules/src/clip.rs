//! How much of what a peer sent an error message repeats.

use std::borrow::Cow;

/// At most `max` bytes of `text`, cut at a character boundary, with `...`
/// when something was cut: the one way every streamsea crate repeats input
/// (a name, an action, a frame, a foreign answer) in an error, so that a
/// hostile peer cannot make an error message as large as its input.
///
/// ```
/// use streamsea_rules::clip;
/// assert_eq!(clip("boiler_data", 64), "boiler_data");
/// assert_eq!(clip("ééé", 3), "é...");
/// assert_eq!(clip(&"x".repeat(70_000), 64).len(), 67);
/// ```
pub fn clip(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}...", &text[..end]))
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn cuts_only_what_is_too_long_and_never_inside_a_character() {
        assert_eq!(clip("", 0), "");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc...");
        assert_eq!(clip("aé", 2), "a...");
        assert_eq!(clip("€", 2), "...");
    }
}
