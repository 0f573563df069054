//! Parameter serialization by OpenAPI 3 `style` and `explode` (the style
//! tables of OpenAPI 3.1.1, which follow RFC 6570 expansion).
//!
//! A value is first turned into JSON (`serde_json::to_value`), then read as a
//! scalar, a list or an object:
//!
//! | style | list `[a, b]` | list, explode | object `{k: v}` | object, explode |
//! |---|---|---|---|---|
//! | `simple` (path, header) | `a,b` | `a,b` | `k,v` | `k=v` |
//! | `label` (path) | `.a,b` | `.a.b` | `.k,v` | `.k=v` |
//! | `matrix` (path) | `;n=a,b` | `;n=a;n=b` | `;n=k,v` | `;k=v` |
//! | `form` (query, cookie) | `n=a,b` | `n=a&n=b` | `n=k,v` | `k=v` |
//! | `spaceDelimited` (query) | `n=a%20b` | `n=a&n=b` | `n=k%20v` | `k=v` |
//! | `pipeDelimited` (query) | `n=a\|b` | `n=a&n=b` | `n=k\|v` | `k=v` |
//! | `deepObject` (query) | as `form` | as `form` | `n[k]=v` | `n[k]=v` |
//!
//! Values (and names) in paths and queries are percent-encoded: everything
//! but RFC 3986 unreserved characters, or, with `allowReserved`, everything
//! but unreserved and reserved characters. Delimiters are written as shown.
//! `null` members of objects are left out; nested lists or objects inside a
//! list or object are written as JSON text. Header values are not encoded
//! (an invalid one is an error).

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};
use reqwest::header::HeaderValue;
use serde::Serialize;
use serde_json::Value;

use crate::http::Error;

/// An OpenAPI parameter style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Simple,
    Label,
    Matrix,
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// Everything but RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `UNRESERVED` minus RFC 3986 reserved characters (`allowReserved`).
const RESERVED_ALLOWED: &AsciiSet = &UNRESERVED
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

fn enc(text: &str, allow_reserved: bool) -> String {
    let set = if allow_reserved {
        RESERVED_ALLOWED
    } else {
        UNRESERVED
    };
    utf8_percent_encode(text, set).to_string()
}

/// A value as the style tables see it.
enum Shaped {
    Scalar(String),
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

/// Text of a scalar; JSON text of anything nested.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}

fn shape<T: Serialize + ?Sized>(value: &T) -> Result<Shaped, String> {
    let value = serde_json::to_value(value).map_err(|e| format!("cannot encode parameter: {e}"))?;
    Ok(match value {
        Value::Array(items) => Shaped::List(items.iter().map(text).collect()),
        Value::Object(map) => Shaped::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), text(v)))
                .collect(),
        ),
        other => Shaped::Scalar(text(&other)),
    })
}

/// Renders a value as text for a `content`-typed parameter (JSON text).
pub fn json_text<E, T: Serialize + ?Sized>(value: &T) -> Result<String, Error<E>> {
    serde_json::to_string(value)
        .map_err(|e| Error::InvalidRequest(format!("cannot encode parameter: {e}")))
}

/// One path parameter, encoded, with the prefix its style asks for.
///
/// A value must not change which path is called: an empty value (which
/// would give `//`, or a bare `.` in `label` style) and a value that
/// renders as the dot segment `.` or `..` (which URL parsing removes,
/// together with the segment before it for `..`) are
/// [`Error::InvalidRequest`]. Percent-encoding cannot help here: the URL
/// standard that reqwest's parser follows reads `%2E` and `%2E%2E` as dot
/// segments too. A `/`, `?` or `#` in a value is percent-encoded like any
/// reserved character.
pub fn path<E, T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, Error<E>> {
    let shaped = shape(value).map_err(Error::InvalidRequest)?;
    let empty = match &shaped {
        Shaped::Scalar(v) => v.is_empty(),
        Shaped::List(items) => items.is_empty(),
        Shaped::Object(pairs) => pairs.is_empty(),
    };
    if empty && style != Style::Matrix {
        return Err(Error::InvalidRequest(format!(
            "path parameter `{name}` is empty: the request would go to another path"
        )));
    }
    let text = path_text(name, &shaped, style, explode);
    check_path_segment(name, &text).map_err(Error::InvalidRequest)?;
    Ok(text)
}

/// Checks a request path assembled from a template and parameter values
/// (`/{a}{b}` with `a = "."`, `b = "."` makes `..` although neither value
/// is a dot segment): a segment that is `.` or `..`, written plainly or as
/// `%2E`, is refused, since URL parsing removes it and the request would go
/// to another path. Only the part before `?` is looked at.
pub fn checked_path<E>(path: String) -> Result<String, Error<E>> {
    let before_query = path.split('?').next().unwrap_or_default();
    for segment in before_query.split('/') {
        let plain = segment.replace("%2E", ".").replace("%2e", ".");
        if plain == "." || plain == ".." {
            return Err(Error::InvalidRequest(format!(
                "the path `{before_query}` built from the arguments has a dot segment `{segment}`, \
                 which URL parsing removes: the request would go to another path"
            )));
        }
    }
    Ok(path)
}

/// Refuses a rendered path value that is empty or a dot segment.
pub(crate) fn check_path_segment(name: &str, text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(format!(
            "path parameter `{name}` is empty: the request would go to another path"
        ));
    }
    if text == "." || text == ".." {
        return Err(format!(
            "path parameter `{name}` is `{text}`, a dot segment that URL parsing removes \
             (`%2E` is one too): the request would go to another path"
        ));
    }
    Ok(())
}

fn path_text(name: &str, shaped: &Shaped, style: Style, explode: bool) -> String {
    let e = |s: &str| enc(s, false);
    let name = e(name);
    match style {
        Style::Label => {
            let sep = if explode { "." } else { "," };
            match shaped {
                Shaped::Scalar(v) => format!(".{}", e(v)),
                Shaped::List(items) => format!(".{}", join(items.iter().map(|v| e(v)), sep)),
                Shaped::Object(pairs) => format!(".{}", pairs_text(pairs, explode, sep, &e)),
            }
        }
        Style::Matrix => match shaped {
            Shaped::Scalar(v) if v.is_empty() => format!(";{name}"),
            Shaped::Scalar(v) => format!(";{name}={}", e(v)),
            Shaped::List(items) if explode => {
                items.iter().map(|v| format!(";{name}={}", e(v))).collect()
            }
            Shaped::List(items) => format!(";{name}={}", join(items.iter().map(|v| e(v)), ",")),
            Shaped::Object(pairs) if explode => pairs
                .iter()
                .map(|(k, v)| format!(";{}={}", e(k), e(v)))
                .collect(),
            Shaped::Object(pairs) => format!(";{name}={}", pairs_text(pairs, false, ",", &e)),
        },
        // simple, and anything not meant for paths.
        _ => match shaped {
            Shaped::Scalar(v) => e(v),
            Shaped::List(items) => join(items.iter().map(|v| e(v)), ","),
            Shaped::Object(pairs) => pairs_text(pairs, explode, ",", &e),
        },
    }
}

fn join(items: impl Iterator<Item = String>, sep: &str) -> String {
    items.collect::<Vec<_>>().join(sep)
}

/// `k=v<sep>k=v` (explode) or `k,v,k,v` (joined with `sep`).
fn pairs_text(
    pairs: &[(String, String)],
    explode: bool,
    sep: &str,
    e: &dyn Fn(&str) -> String,
) -> String {
    if explode {
        join(pairs.iter().map(|(k, v)| format!("{}={}", e(k), e(v))), sep)
    } else {
        join(pairs.iter().flat_map(|(k, v)| [e(k), e(v)]), sep)
    }
}

/// A query string being built, already percent-encoded.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pairs: Vec<String>,
}

impl Query {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one parameter by its style. An empty list adds nothing.
    pub fn push<E, T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
        allow_reserved: bool,
    ) -> Result<(), Error<E>> {
        let shaped = shape(value).map_err(Error::InvalidRequest)?;
        self.push_shaped(name, &shaped, style, explode, allow_reserved);
        Ok(())
    }

    fn push_shaped(
        &mut self,
        name: &str,
        shaped: &Shaped,
        style: Style,
        explode: bool,
        allow_reserved: bool,
    ) {
        let e = |s: &str| enc(s, allow_reserved);
        let n = enc(name, false);
        let sep = match style {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
            _ => ",",
        };
        match shaped {
            Shaped::Scalar(v) => self.pairs.push(format!("{n}={}", e(v))),
            Shaped::List(items) if items.is_empty() => {}
            Shaped::List(items) if explode => {
                for v in items {
                    self.pairs.push(format!("{n}={}", e(v)));
                }
            }
            Shaped::List(items) => self
                .pairs
                .push(format!("{n}={}", join(items.iter().map(|v| e(v)), sep))),
            Shaped::Object(pairs) if style == Style::DeepObject => {
                for (k, v) in pairs {
                    self.pairs.push(format!("{n}[{}]={}", enc(k, false), e(v)));
                }
            }
            Shaped::Object(pairs) if explode => {
                for (k, v) in pairs {
                    self.pairs.push(format!("{}={}", enc(k, false), e(v)));
                }
            }
            Shaped::Object(pairs) => self
                .pairs
                .push(format!("{n}={}", pairs_text(pairs, false, sep, &e))),
        }
    }

    /// True when nothing was added.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `?a=1&b=2`, or the empty string when nothing was added.
    pub fn to_suffix(&self) -> String {
        if self.pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", self.pairs.join("&"))
        }
    }
}

/// A header parameter (`simple` style), not percent-encoded.
pub fn header<E, T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<HeaderValue, Error<E>> {
    let shaped = shape(value).map_err(Error::InvalidRequest)?;
    let plain = |s: &str| s.to_string();
    let text = match &shaped {
        Shaped::Scalar(v) => v.clone(),
        Shaped::List(items) => items.join(","),
        Shaped::Object(pairs) => pairs_text(pairs, explode, ",", &plain),
    };
    HeaderValue::from_str(&text).map_err(|_| {
        Error::InvalidRequest(format!("value of header `{name}` is not valid in HTTP"))
    })
}

/// Bytes RFC 6265 §4.1.1 does not allow in a cookie value (anything but
/// `cookie-octet`): controls, space, `"`, `,`, `;`, `\`, DEL and non-ASCII.
const NOT_COOKIE_OCTET: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b',').add(b';').add(b'\\');

/// A cookie value as RFC 6265 `cookie-octet`s: characters it allows
/// (letters, digits and ``!#$%&'()*+-./:<=>?@[]^_`{|}~``) are sent as
/// they are, since servers do not percent-decode cookies; any other byte
/// (space, `"`, `,`, `;`, `\`, controls, non-ASCII as UTF-8) is
/// percent-encoded, so the header stays valid and a value cannot add a
/// cookie.
pub fn cookie_octets(value: &str) -> String {
    utf8_percent_encode(value, NOT_COOKIE_OCTET).to_string()
}

/// A cookie parameter (`form` style) as `name=value` for the `Cookie`
/// header; a list with `explode` becomes one cookie per item
/// (`n=a; n=b`). Values are written by [`cookie_octets`]; names (object
/// keys with `explode`) are percent-encoded as tokens.
pub fn cookie<E, T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<HeaderValue, Error<E>> {
    let shaped = shape(value).map_err(Error::InvalidRequest)?;
    let e = |s: &str| cookie_octets(s);
    let text = match &shaped {
        Shaped::Scalar(v) => format!("{name}={}", e(v)),
        Shaped::List(items) if explode => {
            join(items.iter().map(|v| format!("{name}={}", e(v))), "; ")
        }
        Shaped::List(items) => format!("{name}={}", join(items.iter().map(|v| e(v)), ",")),
        Shaped::Object(pairs) if explode => join(
            pairs
                .iter()
                .map(|(k, v)| format!("{}={}", enc(k, false), e(v))),
            "; ",
        ),
        Shaped::Object(pairs) => format!("{name}={}", pairs_text(pairs, false, ",", &e)),
    };
    HeaderValue::from_str(&text).map_err(|_| {
        Error::InvalidRequest(format!("value of cookie `{name}` is not valid in HTTP"))
    })
}

#[cfg(test)]
mod checked_path_tests {
    use super::*;

    #[test]
    fn values_that_join_into_a_dot_segment_are_refused() {
        for bad in ["/a/../x", "/a/%2E%2e/x", "/a/./x", "/a/..?q=1", "/.."] {
            assert!(
                matches!(
                    checked_path::<()>(bad.to_string()),
                    Err(Error::InvalidRequest(_))
                ),
                "{bad}"
            );
        }
        for good in ["/a/...", "/a/.b/x", "/a/b.c", "/a/x?q=..", "/"] {
            assert_eq!(checked_path::<()>(good.to_string()).unwrap(), good);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn path_err(style: Style, value: Value) -> String {
        match path::<(), _>("id", &value, style, false) {
            Err(Error::InvalidRequest(message)) => message,
            other => panic!("{value} in {style:?}: expected an error, got {other:?}"),
        }
    }

    #[test]
    fn path_values_cannot_change_the_path() {
        for style in [Style::Simple, Style::Label] {
            for value in [json!(""), json!([]), json!({})] {
                assert!(path_err(style, value).contains("is empty"));
            }
        }
        assert!(path_err(Style::Simple, json!(".")).contains("dot segment"));
        assert!(path_err(Style::Simple, json!("..")).contains("dot segment"));
        assert!(path_err(Style::Simple, json!([".."])).contains("dot segment"));
        // Label style adds a `.`: `.` and the empty value would make `..`/`.`.
        assert!(path_err(Style::Label, json!(".")).contains("dot segment"));
        // Matrix style always has `;name`, an empty value is `;id`.
        assert_eq!(p(Style::Matrix, false, json!("")), ";color");
        assert_eq!(p(Style::Simple, false, json!("...")), "...");
        assert_eq!(p(Style::Simple, false, json!("../x")), "..%2Fx");
        assert_eq!(p(Style::Simple, false, json!("%2e")), "%252e");
        assert_eq!(p(Style::Simple, false, json!("a/b?c#d")), "a%2Fb%3Fc%23d");
        assert_eq!(p(Style::Simple, false, json!([".", "a"])), ".,a");
    }

    /// Why dot segments are refused rather than percent-encoded: the URL
    /// parser reqwest uses (WHATWG URL) removes `%2E` segments as well. If
    /// this ever stops holding, encoding them becomes an option.
    #[test]
    fn percent_encoded_dot_segments_are_still_dot_segments() {
        let url = reqwest::Url::parse("http://h.example/things/%2E%2E/x").unwrap();
        assert_eq!(url.path(), "/x");
        let url = reqwest::Url::parse("http://h.example/things/%2e/x").unwrap();
        assert_eq!(url.path(), "/things/x");
    }

    fn p(style: Style, explode: bool, value: Value) -> String {
        path::<(), _>("color", &value, style, explode).unwrap()
    }

    fn q(style: Style, explode: bool, value: Value) -> String {
        let mut query = Query::new();
        query
            .push::<(), _>("color", &value, style, explode, false)
            .unwrap();
        query.to_suffix()
    }

    #[test]
    fn path_styles_follow_the_openapi_table() {
        let list = json!(["blue", "black", "brown"]);
        let obj = json!({"B": 150, "G": 200, "R": 100});
        assert_eq!(p(Style::Simple, false, json!("blue")), "blue");
        assert_eq!(p(Style::Simple, false, list.clone()), "blue,black,brown");
        assert_eq!(p(Style::Simple, false, obj.clone()), "B,150,G,200,R,100");
        assert_eq!(p(Style::Simple, true, obj.clone()), "B=150,G=200,R=100");
        assert_eq!(p(Style::Label, false, json!("blue")), ".blue");
        assert_eq!(p(Style::Label, false, list.clone()), ".blue,black,brown");
        assert_eq!(p(Style::Label, true, list.clone()), ".blue.black.brown");
        assert_eq!(p(Style::Label, true, obj.clone()), ".B=150.G=200.R=100");
        assert_eq!(p(Style::Matrix, false, json!("blue")), ";color=blue");
        assert_eq!(
            p(Style::Matrix, false, list.clone()),
            ";color=blue,black,brown"
        );
        assert_eq!(
            p(Style::Matrix, true, list),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(
            p(Style::Matrix, false, obj.clone()),
            ";color=B,150,G,200,R,100"
        );
        assert_eq!(p(Style::Matrix, true, obj), ";B=150;G=200;R=100");
        assert_eq!(p(Style::Simple, false, json!("a b/c?d")), "a%20b%2Fc%3Fd");
        assert_eq!(p(Style::Simple, false, json!(["a,b", "c"])), "a%2Cb,c");
    }

    #[test]
    fn query_styles_follow_the_openapi_table() {
        let list = json!(["blue", "black", "brown"]);
        let obj = json!({"G": 200, "R": 100});
        assert_eq!(q(Style::Form, true, json!("blue")), "?color=blue");
        assert_eq!(
            q(Style::Form, true, list.clone()),
            "?color=blue&color=black&color=brown"
        );
        assert_eq!(
            q(Style::Form, false, list.clone()),
            "?color=blue,black,brown"
        );
        assert_eq!(q(Style::Form, true, obj.clone()), "?G=200&R=100");
        assert_eq!(q(Style::Form, false, obj.clone()), "?color=G,200,R,100");
        assert_eq!(
            q(Style::SpaceDelimited, false, list.clone()),
            "?color=blue%20black%20brown"
        );
        assert_eq!(
            q(Style::PipeDelimited, false, list),
            "?color=blue|black|brown"
        );
        assert_eq!(
            q(Style::DeepObject, true, obj),
            "?color[G]=200&color[R]=100"
        );
        assert_eq!(q(Style::Form, true, json!([])), "");
        assert_eq!(
            q(Style::Form, true, json!("a&b=c d+é")),
            "?color=a%26b%3Dc%20d%2B%C3%A9"
        );
        let mut reserved = Query::new();
        reserved
            .push::<(), _>("u", "http://x/y?z", Style::Form, true, true)
            .unwrap();
        assert_eq!(reserved.to_suffix(), "?u=http://x/y?z");
    }

    #[test]
    fn headers_and_cookies() {
        let h = header::<(), _>("X", &json!([1, 2]), false).unwrap();
        assert_eq!(h, "1,2");
        let h = header::<(), _>("X", &json!({"a": 1, "b": null}), true).unwrap();
        assert_eq!(h, "a=1");
        assert!(header::<(), _>("X", "a\nb", false).is_err());
        let c = cookie::<(), _>("id", &json!([3, 4]), false).unwrap();
        assert_eq!(c, "id=3,4");
        let c = cookie::<(), _>("id", &json!([3, 4]), true).unwrap();
        assert_eq!(c, "id=3; id=4");
        let c = cookie::<(), _>("s", "a b;c", true).unwrap();
        assert_eq!(c, "s=a%20b%3Bc");
        // cookie-octets go as they are (base64, JWTs, paths, e-mails)
        let c = cookie::<(), _>("t", "a+b/c=:d@e.f[x]!", false).unwrap();
        assert_eq!(c, "t=a+b/c=:d@e.f[x]!");
        let c = cookie::<(), _>("t", "q\"x\\,é\u{7f}", false).unwrap();
        assert_eq!(c, "t=q%22x%5C%2C%C3%A9%7F");
    }
}
