//! Text from retro files made safe to print: a control character in a file name, a YAML value
//! (`"\e]0;title\a"`) or a binary file's first line would otherwise reach the terminal raw,
//! where it can rewrite the screen, move the cursor over earlier lines or set the window title.

use std::borrow::Cow;

/// `text` with every control character shown as its visible symbol (ESC as `␛`, NUL as `␀`),
/// one character for one, so character columns still point at the same place. With
/// `keep_line_breaks`, `\n` and a `\r` before it are kept (for source text); tabs are kept.
pub fn printable(text: &str, keep_line_breaks: bool) -> Cow<'_, str> {
    let mut shown: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let next = chars.peek().map(|&(_, next)| next);
        match (symbol(c, next, keep_line_breaks), &mut shown) {
            (Some(symbol), Some(shown)) => shown.push(symbol),
            (Some(symbol), None) => shown = Some(format!("{}{symbol}", &text[..index])),
            (None, Some(shown)) => shown.push(c),
            (None, None) => {}
        }
    }
    shown.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// The visible symbol for `c` if it is a control character to replace, else `None`.
fn symbol(c: char, next: Option<char>, keep_line_breaks: bool) -> Option<char> {
    let line_break = c == '\n' || (c == '\r' && next == Some('\n'));
    match c {
        '\t' => None,
        _ if line_break && keep_line_breaks => None,
        // The Control Pictures block has a symbol for each C0 control, in the same order.
        '\0'..='\u{1f}' => char::from_u32(0x2400 + u32::from(c)),
        '\u{7f}' => Some('\u{2421}'),
        c if c.is_control() => Some(char::REPLACEMENT_CHARACTER),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn control_characters_become_visible_symbols() {
        assert_eq!(
            printable("unknown severity \"SEV\u{1b}[2J\u{7}\"", false),
            "unknown severity \"SEV␛[2J␇\""
        );
        assert_eq!(printable("a\0b\u{7f}c\u{9b}d", false), "a␀b␡c\u{fffd}d");
        assert_eq!(printable("one\ntwo\r\n", false), "one␊two␍␊");
        assert_eq!(printable("one\ntwo\r\nthree\rover\tx", true), "one\ntwo\r\nthree␍over\tx");
    }

    #[test]
    fn clean_text_is_borrowed_and_columns_keep_their_place() {
        assert!(matches!(printable("ünïcode 🔥 text", false), std::borrow::Cow::Borrowed(_)));
        let dirty = "é\u{1b}x";
        assert_eq!(printable(dirty, false).chars().count(), dirty.chars().count());
    }
}
