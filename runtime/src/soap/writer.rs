//! Streaming XML output on `quick_xml::Writer`.

use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{XmlError, SOAPENC, XSI};

/// A namespace and the prefix a generated module writes it with. Every
/// prefix of a module is declared on the root element it writes (the
/// envelope), so each prefixed name written is in scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ns {
    pub prefix: &'static str,
    pub uri: &'static str,
}

/// The name of an element or attribute as written: the qualified name
/// (`ns1:Ticket`, or just `Ticket` for an unqualified one) and the
/// namespace and local name it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name {
    pub qualified: &'static str,
    /// The namespace URI; empty for no namespace.
    pub ns: &'static str,
    pub local: &'static str,
}

impl Name {
    /// A name in no namespace.
    pub const fn unqualified(local: &'static str) -> Name {
        Name {
            qualified: local,
            ns: "",
            local,
        }
    }
}

/// `xsi:type`.
pub const XSI_TYPE: Name = Name {
    qualified: "xsi:type",
    ns: XSI,
    local: "type",
};

/// `soapenc:arrayType` (SOAP 1.1 encoding). The module writing it declares
/// the `soapenc` prefix.
pub const SOAPENC_ARRAY_TYPE: Name = Name {
    qualified: "soapenc:arrayType",
    ns: SOAPENC,
    local: "arrayType",
};

/// Writes XML into a byte buffer.
///
/// In encoded mode (SOAP 1.1 `use="encoded"`, see
/// [`set_encoded`](Self::set_encoded)) elements written inside
/// [`with_type`](Self::with_type) carry `xsi:type`.
pub struct XmlWriter {
    inner: quick_xml::Writer<Vec<u8>>,
    encoded: bool,
    /// Elements open.
    depth: usize,
    /// `(depth, type)`: elements started at that depth get `xsi:type`.
    type_hint: Option<(usize, &'static str)>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for XmlWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlWriter")
            .field("len", &self.inner.get_ref().len())
            .finish()
    }
}

fn write_err(e: impl std::fmt::Display) -> XmlError {
    XmlError::Write(e.to_string())
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter {
            inner: quick_xml::Writer::new(Vec::with_capacity(1024)),
            encoded: false,
            depth: 0,
            type_hint: None,
        }
    }

    /// Turns encoded mode on or off.
    pub fn set_encoded(&mut self, encoded: bool) {
        self.encoded = encoded;
    }

    /// Whether elements get `xsi:type` (encoded mode).
    pub fn is_encoded(&self) -> bool {
        self.encoded
    }

    /// Runs `f`; in encoded mode, the elements `f` starts at the current
    /// level (not their children) carry `xsi:type="{ty}"` unless they set
    /// `xsi:type` themselves. `ty` is a qualified name whose prefix the
    /// module declares. Outside encoded mode this is just `f(self)`.
    pub fn with_type<R>(
        &mut self,
        ty: &'static str,
        f: impl FnOnce(&mut Self) -> Result<R, XmlError>,
    ) -> Result<R, XmlError> {
        if !self.encoded {
            return f(self);
        }
        let saved = self.type_hint.replace((self.depth, ty));
        let result = f(self);
        self.type_hint = saved;
        result
    }

    /// Writes `<?xml version="1.0" encoding="utf-8"?>`.
    pub fn declaration(&mut self) -> Result<(), XmlError> {
        self.inner
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))
            .map_err(write_err)
    }

    /// Starts a root element that declares `xsi` and every namespace of
    /// `namespaces`, plus `extra` declarations (`(prefix, uri)`).
    pub fn start_root(
        &mut self,
        name: &Name,
        extra: &[(&str, &str)],
        namespaces: &[Ns],
    ) -> Result<(), XmlError> {
        let mut start = BytesStart::new(name.qualified);
        for (prefix, uri) in extra {
            start.push_attribute((format!("xmlns:{prefix}").as_str(), *uri));
        }
        start.push_attribute(("xmlns:xsi", XSI));
        for ns in namespaces {
            start.push_attribute((format!("xmlns:{}", ns.prefix).as_str(), ns.uri));
        }
        self.depth += 1;
        self.inner
            .write_event(Event::Start(start))
            .map_err(write_err)
    }

    /// Starts element `name` with the attributes that are `Some`.
    pub fn start(
        &mut self,
        name: &Name,
        attributes: &[(&Name, Option<Cow<'_, str>>)],
    ) -> Result<(), XmlError> {
        let mut start = BytesStart::new(name.qualified);
        for (attr, value) in attributes {
            if let Some(value) = value {
                start.push_attribute((attr.qualified, value.as_ref()));
            }
        }
        if let Some(ty) = self.hinted_type() {
            let typed = attributes
                .iter()
                .any(|(a, v)| v.is_some() && a.ns == XSI && a.local == "type");
            if !typed {
                start.push_attribute((XSI_TYPE.qualified, ty));
            }
        }
        self.depth += 1;
        self.inner
            .write_event(Event::Start(start))
            .map_err(write_err)
    }

    /// [`start`](Self::start) plus the attributes of an `xs:anyAttribute`
    /// field; each namespace among them is declared on the element
    /// (`xmlns:wa1`, …), so the names stay in scope whatever the envelope
    /// declares.
    pub fn start_with_any(
        &mut self,
        name: &Name,
        attributes: &[(&Name, Option<Cow<'_, str>>)],
        any: &[super::AnyAttribute],
    ) -> Result<(), XmlError> {
        if any.is_empty() {
            return self.start(name, attributes);
        }
        let mut owned: Vec<(String, String)> = Vec::new();
        let mut prefixes: Vec<&str> = Vec::new();
        for a in any {
            if a.ns.is_empty() {
                owned.push((a.local.clone(), a.value.clone()));
                continue;
            }
            let index = match prefixes.iter().position(|ns| *ns == a.ns) {
                Some(i) => i,
                None => {
                    prefixes.push(&a.ns);
                    owned.push((format!("xmlns:wa{}", prefixes.len()), a.ns.clone()));
                    prefixes.len() - 1
                }
            };
            owned.push((format!("wa{}:{}", index + 1, a.local), a.value.clone()));
        }
        let mut start = BytesStart::new(name.qualified);
        for (attr, value) in attributes {
            if let Some(value) = value {
                start.push_attribute((attr.qualified, value.as_ref()));
            }
        }
        for (key, value) in &owned {
            start.push_attribute((key.as_str(), value.as_str()));
        }
        if let Some(ty) = self.hinted_type() {
            start.push_attribute((XSI_TYPE.qualified, ty));
        }
        self.depth += 1;
        self.inner
            .write_event(Event::Start(start))
            .map_err(write_err)
    }

    /// Ends element `name`.
    pub fn end(&mut self, name: &Name) -> Result<(), XmlError> {
        self.depth = self.depth.saturating_sub(1);
        self.inner
            .write_event(Event::End(BytesEnd::new(name.qualified)))
            .map_err(write_err)
    }

    /// Writes escaped text.
    pub fn text(&mut self, text: &str) -> Result<(), XmlError> {
        if text.is_empty() {
            return Ok(());
        }
        self.inner
            .write_event(Event::Text(BytesText::new(text)))
            .map_err(write_err)
    }

    /// Writes `<name>text</name>`.
    pub fn simple_element(&mut self, name: &Name, text: &str) -> Result<(), XmlError> {
        self.start(name, &[])?;
        self.text(text)?;
        self.end(name)
    }

    /// Writes `<name xsi:nil="true"/>`.
    pub fn nil_element(&mut self, name: &Name) -> Result<(), XmlError> {
        let mut start = BytesStart::new(name.qualified);
        start.push_attribute(("xsi:nil", "true"));
        self.inner
            .write_event(Event::Empty(start))
            .map_err(write_err)
    }

    fn hinted_type(&self) -> Option<&'static str> {
        match self.type_hint {
            Some((depth, ty)) if self.encoded && depth == self.depth => Some(ty),
            _ => None,
        }
    }

    /// Writes `xml` unchanged (raw XML kept from `xs:any` / `xs:anyType`).
    pub fn raw(&mut self, xml: &str) -> Result<(), XmlError> {
        self.inner.get_mut().extend_from_slice(xml.as_bytes());
        Ok(())
    }

    /// The bytes written so far.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner.into_inner()
    }
}
