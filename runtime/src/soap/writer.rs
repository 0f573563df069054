//! Streaming XML output on `quick_xml::Writer`.
//!
//! **Request integrity.** Values never change the structure of what is
//! written:
//! - text and attribute values are escaped (`<`, `>`, `&`, `'`, `"`); a CR
//!   in text and a TAB, LF or CR in an attribute value are written as
//!   character references (`&#13;`, `&#9;`, `&#10;`), which XML's
//!   end-of-line and attribute-value normalization leave alone, so the
//!   receiver reads the value that was written;
//! - a character XML 1.0 cannot carry (U+0000–U+0008, U+000B, U+000C,
//!   U+000E–U+001F, U+FFFE, U+FFFF) in text or an attribute value is
//!   [`XmlError::Invalid`] naming the element or attribute, never a
//!   malformed envelope on the wire;
//! - names taken from values (the local names and namespaces of
//!   `xs:anyAttribute` attributes) must be XML names without a colon
//!   (NCName) and not `xmlns`; two attributes with the same expanded name
//!   are refused;
//! - raw XML (`xs:any`, `xs:anyType`) must be well-formed: balanced tags,
//!   XML names, attribute values, references, no DOCTYPE; an `xs:any`
//!   element exactly one element.
//!
//! Generated code maps these errors to `Error::InvalidRequest`
//! ([`super::invalid_request`]).

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::{XmlError, SOAPENC, XSI};

/// The XML namespace (`xml:lang`), bound to the `xml` prefix by definition.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of namespace declarations; never bound to a prefix.
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// True for a character XML 1.0 allows in a document (production `Char`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c,
            '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// True for an XML name without a colon (Namespaces in XML, `NCName`).
pub fn is_ncname(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// True for `NCName` or `prefix:NCName` (`QName`).
fn is_qname(name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(name),
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> XmlError {
    XmlError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Refuses a character XML 1.0 cannot carry.
fn check_chars(field: &str, text: &str) -> Result<(), XmlError> {
    match text.chars().position(|c| !is_xml_char(c)) {
        None => Ok(()),
        Some(at) => {
            let c = text.chars().nth(at).unwrap_or_default();
            Err(invalid(
                field,
                format!(
                    "character U+{:04X} (at character {at}) is not allowed in XML 1.0",
                    u32::from(c)
                ),
            ))
        }
    }
}

/// Escapes text content: markup characters, and CR as `&#13;` (a raw CR
/// would be turned into LF by end-of-line handling).
fn escape_text(text: &str) -> Cow<'_, str> {
    escape_with(text, false)
}

/// Escapes an attribute value: markup characters and quotes, and TAB, LF
/// and CR as character references (attribute-value normalization would
/// turn raw ones into spaces).
fn escape_attribute(text: &str) -> Cow<'_, str> {
    escape_with(text, true)
}

fn escape_with(text: &str, attribute: bool) -> Cow<'_, str> {
    let special = |c: char| match c {
        '<' | '>' | '&' | '\'' | '"' | '\r' => true,
        '\t' | '\n' => attribute,
        _ => false,
    };
    if !text.chars().any(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Adds attribute `key="value"` to `start`, checking and escaping the
/// value; `field` names it in errors.
fn push_attribute(
    start: &mut BytesStart<'_>,
    field: impl FnOnce() -> String,
    key: &str,
    value: &str,
) -> Result<(), XmlError> {
    if let Err(XmlError::Invalid { message, .. }) = check_chars("", value) {
        return Err(invalid(field(), message));
    }
    start.push_attribute(Attribute {
        key: QName(key.as_bytes()),
        value: Cow::Owned(escape_attribute(value).into_owned().into_bytes()),
    });
    Ok(())
}

/// Checks raw XML written unchanged (`xs:any`, `xs:anyType`): characters,
/// balanced tags, names, attributes, references; no declaration or
/// DOCTYPE. With `one_element`, it must be exactly one element (whitespace
/// and comments around it allowed).
pub fn check_raw_xml(field: &str, xml: &str, one_element: bool) -> Result<(), XmlError> {
    check_chars(field, xml)?;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut elements = 0usize;
    let bad = |message: String| invalid(field, format!("raw xml: {message}"));
    let check_start = |e: &BytesStart<'_>| -> Result<(), XmlError> {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        if !is_qname(&name) {
            return Err(bad(format!("`{name}` is not an xml name")));
        }
        for attr in e.attributes() {
            let attr = attr.map_err(|e| bad(e.to_string()))?;
            let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
            if !is_qname(&key) {
                return Err(bad(format!("`{key}` is not an xml name")));
            }
            attr.unescape_value().map_err(|e| bad(e.to_string()))?;
        }
        Ok(())
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                check_start(&e)?;
                if depth == 0 {
                    elements += 1;
                }
                depth += 1;
            }
            Ok(Event::Empty(e)) => {
                check_start(&e)?;
                if depth == 0 {
                    elements += 1;
                }
            }
            Ok(Event::End(_)) => {
                // quick-xml has checked that the name matches.
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| bad("end tag without a start tag".to_string()))?;
            }
            Ok(Event::Text(t)) => {
                if one_element && depth == 0 && !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(bad("text outside the element".to_string()));
                }
            }
            Ok(Event::CData(_)) if one_element && depth == 0 => {
                return Err(bad("text outside the element".to_string()));
            }
            Ok(Event::GeneralRef(r)) => {
                if one_element && depth == 0 {
                    return Err(bad("text outside the element".to_string()));
                }
                match r.resolve_char_ref() {
                    Ok(Some(c)) if is_xml_char(c) => {}
                    Ok(Some(c)) => {
                        return Err(bad(format!(
                            "character reference to U+{:04X}, not allowed in XML 1.0",
                            u32::from(c)
                        )))
                    }
                    Ok(None) => {
                        let name = String::from_utf8_lossy(&r).into_owned();
                        if !matches!(name.as_str(), "amp" | "lt" | "gt" | "quot" | "apos") {
                            return Err(bad(format!("unknown entity `&{name};`")));
                        }
                    }
                    Err(e) => return Err(bad(e.to_string())),
                }
            }
            Ok(Event::Decl(_) | Event::DocType(_)) => {
                return Err(bad("xml declaration or DOCTYPE inside content".to_string()))
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(bad(e.to_string())),
        }
    }
    if depth != 0 {
        return Err(bad("unclosed element".to_string()));
    }
    if one_element && elements != 1 {
        return Err(bad(format!("expected one element, found {elements}")));
    }
    Ok(())
}

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
    /// Qualified names of the open elements, for error messages.
    open: Vec<&'static str>,
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
            open: Vec::new(),
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
        self.opened(name);
        self.inner
            .write_event(Event::Start(start))
            .map_err(write_err)
    }

    fn opened(&mut self, name: &Name) {
        self.depth += 1;
        self.open.push(name.qualified);
    }

    /// The element text is being written into, for messages.
    fn current(&self) -> &'static str {
        self.open.last().copied().unwrap_or("document")
    }

    /// Adds the declared attributes that are `Some` to `start`.
    fn push_declared(
        start: &mut BytesStart<'_>,
        name: &Name,
        attributes: &[(&Name, Option<Cow<'_, str>>)],
    ) -> Result<(), XmlError> {
        for (attr, value) in attributes {
            if let Some(value) = value {
                push_attribute(
                    start,
                    || format!("{}@{}", name.qualified, attr.qualified),
                    attr.qualified,
                    value,
                )?;
            }
        }
        Ok(())
    }

    /// Starts element `name` with the attributes that are `Some`.
    pub fn start(
        &mut self,
        name: &Name,
        attributes: &[(&Name, Option<Cow<'_, str>>)],
    ) -> Result<(), XmlError> {
        let mut start = BytesStart::new(name.qualified);
        Self::push_declared(&mut start, name, attributes)?;
        if let Some(ty) = self.hinted_type() {
            let typed = attributes
                .iter()
                .any(|(a, v)| v.is_some() && a.ns == XSI && a.local == "type");
            if !typed {
                start.push_attribute((XSI_TYPE.qualified, ty));
            }
        }
        self.opened(name);
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
        let field = |a: &super::AnyAttribute| {
            if a.ns.is_empty() {
                format!("{}@{}", name.qualified, a.local)
            } else {
                format!("{}@{{{}}}{}", name.qualified, a.ns, a.local)
            }
        };
        // Expanded names already on the element, to refuse duplicates.
        let mut seen: Vec<(&str, &str)> = attributes
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(a, _)| (a.ns, a.local))
            .collect();
        let hinted = self.hinted_type();
        if hinted.is_some() {
            seen.push((XSI, "type"));
        }
        let mut owned: Vec<(String, String, String)> = Vec::new();
        let mut prefixes: Vec<&str> = Vec::new();
        for a in any {
            if !is_ncname(&a.local) {
                return Err(invalid(
                    field(a),
                    format!("`{}` is not an xml name (NCName)", a.local),
                ));
            }
            if a.ns.is_empty() && a.local == "xmlns" {
                return Err(invalid(
                    field(a),
                    "`xmlns` is reserved for namespace declarations",
                ));
            }
            if a.ns == XMLNS_NS {
                return Err(invalid(
                    field(a),
                    "the xmlns namespace is reserved for namespace declarations",
                ));
            }
            if seen.contains(&(a.ns.as_str(), a.local.as_str())) {
                return Err(invalid(field(a), "attribute written twice"));
            }
            seen.push((&a.ns, &a.local));
            if a.ns.is_empty() {
                owned.push((field(a), a.local.clone(), a.value.clone()));
                continue;
            }
            if a.ns == XML_NS {
                owned.push((field(a), format!("xml:{}", a.local), a.value.clone()));
                continue;
            }
            let index = match prefixes.iter().position(|ns| *ns == a.ns) {
                Some(i) => i,
                None => {
                    prefixes.push(&a.ns);
                    owned.push((
                        field(a),
                        format!("xmlns:wa{}", prefixes.len()),
                        a.ns.clone(),
                    ));
                    prefixes.len() - 1
                }
            };
            owned.push((
                field(a),
                format!("wa{}:{}", index + 1, a.local),
                a.value.clone(),
            ));
        }
        let mut start = BytesStart::new(name.qualified);
        Self::push_declared(&mut start, name, attributes)?;
        for (field, key, value) in owned {
            push_attribute(&mut start, || field, &key, &value)?;
        }
        if let Some(ty) = hinted {
            start.push_attribute((XSI_TYPE.qualified, ty));
        }
        self.opened(name);
        self.inner
            .write_event(Event::Start(start))
            .map_err(write_err)
    }

    /// Ends element `name`.
    pub fn end(&mut self, name: &Name) -> Result<(), XmlError> {
        self.depth = self.depth.saturating_sub(1);
        self.open.pop();
        self.inner
            .write_event(Event::End(BytesEnd::new(name.qualified)))
            .map_err(write_err)
    }

    /// Writes escaped text (see the module documentation); a character
    /// XML 1.0 cannot carry is [`XmlError::Invalid`] naming the element.
    pub fn text(&mut self, text: &str) -> Result<(), XmlError> {
        if text.is_empty() {
            return Ok(());
        }
        check_chars(self.current(), text)?;
        self.inner
            .write_event(Event::Text(BytesText::from_escaped(escape_text(text))))
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

    /// Writes `xml` unchanged (raw XML kept from `xs:anyType`): it must be
    /// well-formed content ([`check_raw_xml`]).
    pub fn raw(&mut self, xml: &str) -> Result<(), XmlError> {
        check_raw_xml(self.current(), xml, false)?;
        self.inner.get_mut().extend_from_slice(xml.as_bytes());
        Ok(())
    }

    /// Writes one raw element unchanged (`xs:any`): it must be exactly one
    /// well-formed element ([`check_raw_xml`]).
    pub fn raw_element(&mut self, xml: &str) -> Result<(), XmlError> {
        let field = format!("{} (xs:any)", self.current());
        check_raw_xml(&field, xml, true)?;
        self.inner.get_mut().extend_from_slice(xml.as_bytes());
        Ok(())
    }

    /// The bytes written so far.
    pub fn into_inner(self) -> Vec<u8> {
        self.inner.into_inner()
    }
}
