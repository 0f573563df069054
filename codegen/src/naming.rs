//! The one place Rust identifiers are made.
//!
//! Every type, field, method, variant and module name the generators emit
//! comes from [`rust_name`] (and [`Namer`] for collisions): it splits the
//! spec's name into words, applies the case, escapes keywords, prefixes
//! leading digits and drops punctuation. The wire name stays with the caller
//! for `#[serde(rename)]` or XML names.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: fields, methods, modules, arguments.
    Snake,
    /// `PascalCase`: types and enum variants.
    Pascal,
    /// `SHOUTY_SNAKE_CASE`: constants.
    Shouty,
}

/// Rust keywords (all editions) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Turns any spec name into a valid Rust identifier in `case`.
///
/// Punctuation separates words (`users.logout` → `users_logout`), a leading
/// digit gets a prefix (`2fa` → `_2fa` / `T2fa`), keywords become raw
/// identifiers (`type` → `r#type`) or get a trailing underscore where raw is
/// not allowed (`self` → `self_`), and a name with no letters or digits
/// becomes `value` / `Value`.
pub fn rust_name(raw: &str, case: Case) -> String {
    // Replace every non-alphanumeric character with a word break; keep
    // existing word structure (camelCase) for heck to split.
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let cleaned = cleaned.trim();
    let mut name = match case {
        Case::Snake => cleaned.to_snake_case(),
        Case::Pascal => cleaned.to_pascal_case(),
        Case::Shouty => cleaned.to_shouty_snake_case(),
    };
    // heck keeps non-ASCII letters; identifiers must be XID, which Rust
    // accepts, but keep the output ASCII for readability.
    name = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.trim_matches('_').is_empty() {
        name = match case {
            Case::Pascal => "Value".to_string(),
            Case::Snake => "value".to_string(),
            Case::Shouty => "VALUE".to_string(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = match case {
            Case::Pascal => format!("T{name}"),
            _ => format!("_{name}"),
        };
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name = format!("r#{name}");
    }
    name
}

/// `rust_name` as a `syn::Ident` (raw identifiers included).
pub fn ident(raw: &str, case: Case) -> syn::Ident {
    let name = rust_name(raw, case);
    match name.strip_prefix("r#") {
        Some(rest) => syn::Ident::new_raw(rest, proc_macro2::Span::call_site()),
        None => syn::Ident::new(&name, proc_macro2::Span::call_site()),
    }
}

/// Makes `name` (already a valid identifier) into a `syn::Ident`.
pub fn to_ident(name: &str) -> syn::Ident {
    match name.strip_prefix("r#") {
        Some(rest) => syn::Ident::new_raw(rest, proc_macro2::Span::call_site()),
        None => syn::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

/// Types, traits and variants of the Rust prelude. A generated item with one
/// of these names would shadow it for code that names it unqualified.
pub const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "Iterator",
    "IntoIterator",
    "Extend",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "DoubleEndedIterator",
    "ExactSizeIterator",
];

/// Hands out names within one scope, never the same twice: a name taken
/// already gets `_2`, `_3`, … (or `2`, `3` in Pascal case).
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks a name as used without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.taken
            .insert(name.trim_start_matches("r#").to_ascii_lowercase());
    }

    /// A unique identifier for `raw` in `case`. Uniqueness ignores case so
    /// names that differ only in case (rare, confusing) are kept apart too.
    pub fn name(&mut self, raw: &str, case: Case) -> String {
        let base = rust_name(raw, case);
        self.unique(base, case)
    }

    fn unique(&mut self, base: String, case: Case) -> String {
        let key = |s: &str| s.trim_start_matches("r#").to_ascii_lowercase();
        if self.taken.insert(key(&base)) {
            return base;
        }
        // `self_` → `self_2`, not `self__2` (not snake case).
        let stem = base
            .trim_start_matches("r#")
            .trim_end_matches('_')
            .to_string();
        for n in 2.. {
            let candidate = match case {
                Case::Pascal => format!("{stem}{n}"),
                _ => format!("{stem}_{n}"),
            };
            if self.taken.insert(key(&candidate)) {
                return candidate;
            }
        }
        unreachable!("the counter is unbounded")
    }
}

/// True for identifiers that carry no meaning for a reader: GUIDs, long hex
/// or base64-like strings, or names without any letters.
pub fn is_opaque(raw: &str) -> bool {
    let alnum: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if alnum.is_empty() || !alnum.chars().any(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    // GUID: 8-4-4-4-12 hex digits.
    let groups: Vec<&str> = raw
        .trim_matches(|c| c == '{' || c == '}')
        .split('-')
        .collect();
    let guid = groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()));
    if guid {
        return true;
    }
    // A long run of hex digits with digits mixed in, e.g. a hash.
    let hexlike = alnum.len() >= 16
        && alnum.chars().all(|c| c.is_ascii_hexdigit())
        && alnum.chars().any(|c| c.is_ascii_digit());
    hexlike
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_keywords_digits_punctuation() {
        assert_eq!(
            rust_name("post-api-v1-users.logout", Case::Snake),
            "post_api_v1_users_logout"
        );
        assert_eq!(rust_name("type", Case::Snake), "r#type");
        assert_eq!(rust_name("self", Case::Snake), "self_");
        assert_eq!(rust_name("Self", Case::Pascal), "Self_");
        assert_eq!(rust_name("2fa", Case::Snake), "_2fa");
        assert_eq!(rust_name("2fa", Case::Pascal), "T2fa");
        assert_eq!(
            rust_name("1-Farm settings//Administrator Sessions", Case::Pascal),
            "T1FarmSettingsAdministratorSessions"
        );
        assert_eq!(rust_name("ProblemDetails", Case::Snake), "problem_details");
        assert_eq!(rust_name("$$$", Case::Pascal), "Value");
        assert_eq!(rust_name("userId", Case::Snake), "user_id");
        assert_eq!(rust_name("X-Auth-Token", Case::Snake), "x_auth_token");
    }

    #[test]
    fn namer_avoids_collisions() {
        let mut namer = Namer::new();
        assert_eq!(namer.name("fooBar", Case::Snake), "foo_bar");
        assert_eq!(namer.name("foo_bar", Case::Snake), "foo_bar_2");
        assert_eq!(namer.name("FooBar", Case::Snake), "foo_bar_3");
        let mut types = Namer::new();
        assert_eq!(types.name("user", Case::Pascal), "User");
        assert_eq!(types.name("User", Case::Pascal), "User2");
    }

    #[test]
    fn opaque_ids() {
        assert!(is_opaque("ca2bb9ea-6903-444c-a47d-420d60a50ac1"));
        assert!(is_opaque("0123456789abcdef0123"));
        assert!(is_opaque("1234"));
        assert!(!is_opaque("post-api-v1-users.logout"));
        assert!(!is_opaque("listPets"));
        assert!(!is_opaque("deadbeef"));
    }
}
