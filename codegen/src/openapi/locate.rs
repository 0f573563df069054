//! Finds where a JSON pointer's value starts in the source text, so
//! diagnostics can say `file:line:column`.
//!
//! serde_json drops positions and no maintained crate maps pointers to
//! positions for both JSON and YAML, so this is a small scanner of its own:
//! for JSON it walks the text once, recording the byte offset of every
//! value; for YAML it follows block-style keys and `-` items by indentation,
//! which covers the block style that real specs use (flow collections map
//! to their opening line).

use std::collections::BTreeMap;

/// Pointer → (line, column) for one file.
#[derive(Debug, Default, Clone)]
pub struct Locator {
    positions: BTreeMap<String, (u32, u32)>,
}

impl Locator {
    /// Indexes a JSON or YAML document. Never fails: text it cannot follow
    /// just has fewer known positions.
    pub fn new(text: &str, yaml: bool) -> Locator {
        let offsets = if yaml {
            yaml_offsets(text)
        } else {
            let mut scanner = JsonScanner {
                bytes: text.as_bytes(),
                pos: 0,
                out: BTreeMap::new(),
            };
            scanner.value(String::new(), 0);
            scanner.out
        };
        // One pass over the text for all offsets: a minified document is
        // one long line, and per-offset column counting would be quadratic.
        let (pointers, offsets): (Vec<String>, Vec<usize>) = offsets.into_iter().unzip();
        let positions = pointers
            .into_iter()
            .zip(crate::text::line_cols(text, &offsets))
            .collect();
        Locator { positions }
    }

    /// The position of `pointer`, or of its nearest ancestor that is known.
    pub fn find(&self, pointer: &str) -> Option<(u32, u32)> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Escapes one JSON pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer token.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    out: BTreeMap<String, usize>,
}

const MAX_DEPTH: usize = 512;

impl JsonScanner<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn value(&mut self, pointer: String, depth: usize) {
        self.skip_ws();
        if self.pos >= self.bytes.len() || depth > MAX_DEPTH {
            return;
        }
        self.out.insert(pointer.clone(), self.pos);
        match self.bytes[self.pos] {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b'}') => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => self.pos += 1,
                        Some(b'"') => {
                            let key = self.string();
                            self.skip_ws();
                            if self.bytes.get(self.pos) == Some(&b':') {
                                self.pos += 1;
                            }
                            self.value(format!("{pointer}/{}", escape_token(&key)), depth + 1);
                        }
                        _ => return,
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut index = 0;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.pos) {
                        Some(b']') => {
                            self.pos += 1;
                            return;
                        }
                        Some(b',') => self.pos += 1,
                        Some(_) => {
                            let before = self.pos;
                            self.value(format!("{pointer}/{index}"), depth + 1);
                            index += 1;
                            if self.pos == before {
                                return;
                            }
                        }
                        None => return,
                    }
                }
            }
            b'"' => {
                self.string();
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(self.bytes[self.pos], b',' | b'}' | b']')
                    && !self.bytes[self.pos].is_ascii_whitespace()
                {
                    self.pos += 1;
                }
            }
        }
    }

    /// Reads a string starting at `"`, returning its decoded text.
    fn string(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    let raw = &self.bytes[start..self.pos.min(self.bytes.len())];
                    return serde_json::from_slice::<String>(raw).unwrap_or_default();
                }
                _ => self.pos += 1,
            }
        }
        String::new()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Key,
    Seq,
    Item,
}

/// Block-style YAML: tracks `key:` and `- ` by indentation.
fn yaml_offsets(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    // Stack of (indent, kind, pointer, next sequence index).
    let mut stack: Vec<(usize, Kind, String, usize)> = Vec::new();
    out.insert(String::new(), 0);
    let mut offset = 0;
    let mut in_block_scalar: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let indent = content.len() - trimmed.len();
        if let Some(block_indent) = in_block_scalar {
            if trimmed.is_empty() || indent > block_indent {
                continue;
            }
            in_block_scalar = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") {
            continue;
        }
        let mut col = indent;
        let mut rest = trimmed;
        // Sequence items, possibly several on one line (`- - a`).
        while let Some(after) =
            rest.strip_prefix("- ")
                .or(if rest == "-" { Some("") } else { None })
        {
            while stack
                .last()
                .is_some_and(|(i, k, _, _)| *i > col || (*i == col && *k == Kind::Item))
            {
                stack.pop();
            }
            let index = match stack.last_mut() {
                Some((i, Kind::Seq, _, n)) if *i == col => {
                    *n += 1;
                    *n - 1
                }
                _ => {
                    let parent = stack
                        .last()
                        .map(|(_, _, p, _)| p.clone())
                        .unwrap_or_default();
                    stack.push((col, Kind::Seq, parent, 1));
                    0
                }
            };
            let parent = stack
                .last()
                .map(|(_, _, p, _)| p.clone())
                .unwrap_or_default();
            let pointer = format!("{parent}/{index}");
            let item_col = col + 2 + (after.len() - after.trim_start().len());
            out.insert(pointer.clone(), line_start + item_col);
            stack.push((col, Kind::Item, pointer, 0));
            col = item_col;
            rest = after.trim_start();
        }
        if let Some((key, value)) = split_key(rest) {
            while stack.last().is_some_and(|(i, _, _, _)| *i >= col) {
                stack.pop();
            }
            let parent = stack
                .last()
                .map(|(_, _, p, _)| p.clone())
                .unwrap_or_default();
            let pointer = format!("{parent}/{}", escape_token(&key));
            let value_trim = value.trim_start();
            let value_col = if value_trim.is_empty() || value_trim.starts_with('#') {
                col
            } else {
                col + (rest.len() - value_trim.len())
            };
            out.insert(pointer.clone(), line_start + value_col);
            if value_trim.starts_with('|') || value_trim.starts_with('>') {
                in_block_scalar = Some(col);
            }
            stack.push((col, Kind::Key, pointer, 0));
        }
    }
    out
}

/// Splits `key: value` (plain or quoted key). Returns None for plain scalars.
fn split_key(line: &str) -> Option<(String, &str)> {
    if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = line[1..].find(quote)? + 1;
        let key = &line[1..end];
        let rest = line[end + 1..].trim_start();
        let value = rest.strip_prefix(':')?;
        return Some((key.to_string(), value));
    }
    let mut search = 0;
    while let Some(i) = line[search..].find(':') {
        let at = search + i;
        let after = &line[at + 1..];
        if after.is_empty() || after.starts_with(' ') || after.starts_with('\t') {
            let key = line[..at].trim_end();
            if key.starts_with(['{', '[', '&', '*', '!', '|', '>']) {
                return None;
            }
            return Some((key.to_string(), after));
        }
        search = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_pointers_get_positions() {
        let text = "{\n  \"a\": {\"b/c\": [1, {\"d\": true}]},\n  \"e\": \"x\"\n}";
        let loc = Locator::new(text, false);
        assert_eq!(loc.find(""), Some((1, 1)));
        assert_eq!(loc.find("/a"), Some((2, 8)));
        assert_eq!(loc.find("/a/b~1c/1/d"), Some((2, 26)));
        assert_eq!(loc.find("/e"), Some((3, 8)));
        // Unknown child falls back to its nearest known ancestor.
        assert_eq!(loc.find("/a/b~1c/1/zzz"), Some((2, 20)));
    }

    #[test]
    fn yaml_pointers_get_positions() {
        let text = "openapi: 3.0.0\npaths:\n  /pets:\n    get:\n      parameters:\n        - name: id\n          in: query\n        - name: x\n      description: |\n        text: not a key\n      summary: s\n";
        let loc = Locator::new(text, true);
        assert_eq!(loc.find("/openapi"), Some((1, 10)));
        assert_eq!(loc.find("/paths/~1pets/get"), Some((4, 5)));
        assert_eq!(loc.find("/paths/~1pets/get/parameters/0/in"), Some((7, 15)));
        assert_eq!(
            loc.find("/paths/~1pets/get/parameters/1/name"),
            Some((8, 17))
        );
        assert_eq!(loc.find("/paths/~1pets/get/summary"), Some((11, 16)));
        // A compact sequence at its key's indent, then a sibling key.
        let loc = Locator::new("tags:\n- a\n- b\nnext: 1\n", true);
        assert_eq!(loc.find("/tags/1"), Some((3, 3)));
        assert_eq!(loc.find("/next"), Some((4, 7)));
    }
}
