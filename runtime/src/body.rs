//! Request bodies other than JSON: `application/x-www-form-urlencoded` and
//! `multipart/form-data`.
//!
//! A form body encodes the object's properties as `name=value` pairs
//! (WHATWG urlencoded: space as `+`); a list property repeats its name
//! (OpenAPI's default `form` style with `explode`), a nested object is
//! written as JSON text, `null` properties are left out.
//!
//! A multipart body has one part per property: a [`FilePart`] becomes a file
//! part (with its file name and media type), a scalar a text part, a nested
//! object a part with `Content-Type: application/json`, and a list one part
//! per item.

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::multipart::{Form, Part};
use serde::Serialize;
use serde_json::Value;

use crate::http::Error;

/// What `application/x-www-form-urlencoded` leaves as is (besides
/// alphanumerics); space is written as `+` separately.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b' ');

fn form_enc(text: &str) -> String {
    utf8_percent_encode(text, FORM)
        .to_string()
        .replace(' ', "+")
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Encodes an object's properties as a form body.
pub fn form_body<E, T: Serialize + ?Sized>(value: &T) -> Result<String, Error<E>> {
    let value = serde_json::to_value(value)
        .map_err(|e| Error::InvalidRequest(format!("cannot encode form body: {e}")))?;
    let Value::Object(map) = value else {
        return Err(Error::InvalidRequest(
            "a form body must be an object".to_string(),
        ));
    };
    let mut pairs = Vec::new();
    for (name, value) in &map {
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    pairs.push(format!(
                        "{}={}",
                        form_enc(name),
                        form_enc(&scalar_text(item))
                    ));
                }
            }
            other => pairs.push(format!(
                "{}={}",
                form_enc(name),
                form_enc(&scalar_text(other))
            )),
        }
    }
    Ok(pairs.join("&"))
}

/// A file in a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    pub content: Bytes,
    /// The `filename` of the part's `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type` (none: `application/octet-stream`).
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(content: impl Into<Bytes>) -> Self {
        FilePart {
            content: content.into(),
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}

/// A multipart body being built by generated code.
#[derive(Debug, Default)]
pub struct Multipart {
    form: Option<Form>,
}

impl Multipart {
    pub fn new() -> Self {
        Multipart {
            form: Some(Form::new()),
        }
    }

    fn add(&mut self, name: &str, part: Part) {
        let form = self.form.take().unwrap_or_default();
        self.form = Some(form.part(name.to_string(), part));
    }

    /// Adds a property: text part(s) for scalars and lists, a JSON part for
    /// an object; nothing for `null`.
    pub fn value<E, T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error<E>> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("cannot encode part `{name}`: {e}")))?;
        match value {
            Value::Null => {}
            Value::Array(items) => {
                for item in items {
                    self.add(name, value_part(&item)?);
                }
            }
            other => self.add(name, value_part(&other)?),
        }
        Ok(())
    }

    /// Adds a file part.
    pub fn file<E>(&mut self, name: &str, file: &FilePart) -> Result<(), Error<E>> {
        let mut part = Part::stream(file.content.clone());
        if let Some(file_name) = &file.file_name {
            part = part.file_name(file_name.clone());
        }
        let media = file
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        part = part.mime_str(media).map_err(|_| {
            Error::InvalidRequest(format!("media type `{media}` of part `{name}` is invalid"))
        })?;
        self.add(name, part);
        Ok(())
    }

    /// Adds one file part per item.
    pub fn files<E>(&mut self, name: &str, files: &[FilePart]) -> Result<(), Error<E>> {
        files.iter().try_for_each(|f| self.file(name, f))
    }

    pub fn into_form(self) -> Form {
        self.form.unwrap_or_default()
    }
}

fn value_part<E>(value: &Value) -> Result<Part, Error<E>> {
    match value {
        Value::Object(_) | Value::Array(_) => Part::text(value.to_string())
            .mime_str("application/json")
            .map_err(|e| Error::InvalidRequest(e.to_string())),
        other => Ok(Part::text(scalar_text(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_bodies_encode_properties() {
        let body =
            json!({"n": 3, "name": "a b&c", "none": null, "o": {"k": 1}, "tags": ["x", "y"]});
        assert_eq!(
            form_body::<(), _>(&body).unwrap(),
            "n=3&name=a+b%26c&o=%7B%22k%22%3A1%7D&tags=x&tags=y"
        );
        assert!(form_body::<(), _>(&json!([1])).is_err());
    }
}
