//! Positions in source text: byte offsets to 1-based line and column (in
//! characters), one at a time or many in one pass.

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, column)
}

/// The positions of many byte offsets, in the order given, in one pass over
/// the text (after sorting the offsets): linear in the text's length
/// whatever the number of offsets, even when the whole document is one line
/// (minified JSON).
pub fn line_cols(text: &str, offsets: &[usize]) -> Vec<(u32, u32)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![(1, 1); offsets.len()];
    let bytes = text.as_bytes();
    let (mut pos, mut line, mut column) = (0usize, 1u32, 1u32);
    for i in order {
        let target = text.floor_char_boundary(offsets[i].min(text.len()));
        while pos < target {
            let b = bytes[pos];
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character.
                column += 1;
            }
            pos += 1;
        }
        out[i] = (line, column);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_offsets_match_one_at_a_time() {
        let text = "ab\nçd é\n\nxyz";
        let offsets: Vec<usize> = (0..=text.len()).rev().collect();
        let expected: Vec<(u32, u32)> = offsets.iter().map(|&o| line_col(text, o)).collect();
        assert_eq!(line_cols(text, &offsets), expected);
        assert_eq!(line_col(text, 4), (2, 1));
        assert_eq!(line_col(text, 6), (2, 3));
    }
}
