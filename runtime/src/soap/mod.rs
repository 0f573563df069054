//! SOAP 1.1/1.2 runtime: the XML (de)serialization traits generated types
//! implement, envelopes, faults and the call itself.
//!
//! Generated SOAP modules are thin: each type implements [`XmlWrite`] and
//! [`XmlRead`] by calling the helpers here, and each operation builds its
//! envelope with [`build_envelope`] and sends it with [`call`]. Writing
//! streams through `quick_xml::Writer`, reading through a namespace-aware
//! `quick_xml::NsReader`; no DOM is built on the request or response path.
//!
//! - [`writer`]: [`XmlWriter`], element and attribute names ([`Name`]).
//! - [`reader`]: [`XmlReader`], a pull reader over one element at a time.
//! - [`value`]: text values of the XSD built-in types ([`SimpleValue`]),
//!   `xs:list` ([`XsList`]) and raw XML for `xs:any` / `xs:anyType`.
//! - [`xsd`]: typed dates, times, decimals, wide integers, binary and
//!   durations.
//! - [`envelope`]: envelopes, headers, faults ([`Fault`]).
//! - [`client`]: the HTTP exchange ([`call`]) and [`Response`].

// `SoapError` is `http::Error`, whose response variants are large by design
// (status, headers and body are kept for the caller).
#![allow(clippy::result_large_err)]

pub mod client;
pub mod envelope;
pub mod reader;
pub mod value;
pub mod writer;
pub mod xsd;

pub use client::{call, invalid_request, Operation, Response, SoapError};
pub use envelope::{
    build_encoded_envelope, build_envelope, parse_envelope, parse_envelope_with_max_depth,
    Envelope, Fault, FaultCode, FaultDetail, HeaderBlock, ReadHeaders, SoapVersion,
};
pub use reader::{Element, XmlReader, DEFAULT_MAX_DEPTH, MAX_SKIP_DEPTH};
pub use value::{AnyAttribute, AnyContent, AnyElement, SimpleValue, XsList};
pub use writer::{Name, Ns, XmlWriter, SOAPENC_ARRAY_TYPE, XSI_TYPE};

/// The XML Schema instance namespace (`xsi:nil`, `xsi:type`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The SOAP 1.1 encoding namespace (`soapenc:Array`, `soapenc:arrayType`).
pub const SOAPENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// Why XML could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlError {
    /// The input is not well-formed XML (or not namespace-well-formed).
    #[error("malformed xml at byte {position}: {message}")]
    Syntax { position: u64, message: String },
    /// The input ended inside an element.
    #[error("unexpected end of xml inside `{element}`")]
    Eof { element: String },
    /// A required child element or attribute is absent.
    #[error("`{element}` is missing required `{child}`")]
    Missing { element: String, child: String },
    /// A text value does not parse as its declared type (or is out of its
    /// range); `path` is where (`/Envelope/Body/…/element`, or
    /// `element@attribute`).
    #[error("invalid value {value:?} in `{path}`: {message}")]
    Value {
        path: String,
        element: String,
        value: String,
        message: String,
    },
    /// Another element was found where a specific one was expected.
    #[error("expected element `{expected}`, found `{found}`")]
    Unexpected { expected: String, found: String },
    /// Elements are nested deeper than the reader's depth limit
    /// ([`reader::DEFAULT_MAX_DEPTH`] unless configured); `path` names the
    /// element that went over it.
    #[error("xml nested deeper than {limit} levels at `{path}`")]
    TooDeep { limit: usize, path: String },
    /// A value cannot be written as XML: a name that is not an XML name, a
    /// character XML 1.0 cannot carry, raw XML that is not well-formed.
    /// `field` names what was being written.
    #[error("cannot write `{field}` as xml: {message}")]
    Invalid { field: String, message: String },
    /// The writer failed.
    #[error("cannot write xml: {0}")]
    Write(String),
}

/// A type that can be written as an XML element of a given name.
///
/// Object safe, so header blocks of different types can be passed together
/// to [`build_envelope`].
pub trait XmlWrite {
    /// Writes `self` as the element `name`, attributes and content included.
    fn write_element(&self, w: &mut XmlWriter, name: &Name) -> Result<(), XmlError>;
}

/// A type that can be read from an XML element.
pub trait XmlRead: Sized {
    /// Reads the element whose start tag `el` the reader has just returned,
    /// consuming it up to and including its end tag.
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError>;

    /// The value to use when the element is absent where it is expected
    /// (e.g. an output message without a body part). `None` makes absence
    /// an error.
    fn absent() -> Option<Self> {
        None
    }
}

impl<T: XmlWrite + ?Sized> XmlWrite for Box<T> {
    fn write_element(&self, w: &mut XmlWriter, name: &Name) -> Result<(), XmlError> {
        (**self).write_element(w, name)
    }
}

impl<T: XmlRead> XmlRead for Box<T> {
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError> {
        T::read_element(r, el).map(Box::new)
    }
}

/// Content without an element of its own: an `xs:choice` (an enum) or a
/// sequence inside one (a struct), read from and written into the element
/// that holds it, among that element's other children.
///
/// Reading is a pull without lookahead: the holder's read loop hands over
/// the first child that [`starts_with`](Self::starts_with) accepts;
/// [`read_from`](Self::read_from) takes the following children of
/// `parent` as long as they belong to it and returns the first one that
/// does not, which the holder then reads as usual.
pub trait XmlContent: Sized {
    /// Whether `child` can be the first element of this content.
    fn starts_with(child: &Element) -> bool;
    /// Reads the content that starts with `first` (a child of `parent`);
    /// returns it and the next child of `parent` it did not take.
    fn read_from(
        r: &mut XmlReader<'_>,
        parent: &Element,
        first: Element,
    ) -> Result<(Self, Option<Element>), XmlError>;
    /// Writes the content's elements (no element of its own).
    fn write_content(&self, w: &mut XmlWriter) -> Result<(), XmlError>;
}

impl<T: XmlContent> XmlContent for Box<T> {
    fn starts_with(child: &Element) -> bool {
        T::starts_with(child)
    }
    fn read_from(
        r: &mut XmlReader<'_>,
        parent: &Element,
        first: Element,
    ) -> Result<(Self, Option<Element>), XmlError> {
        T::read_from(r, parent, first).map(|(v, next)| (Box::new(v), next))
    }
    fn write_content(&self, w: &mut XmlWriter) -> Result<(), XmlError> {
        (**self).write_content(w)
    }
}

/// Reads the elements named like `first` that follow it (a repeated
/// element of a choice branch); returns them and the next other child.
pub fn read_repeated<T>(
    r: &mut XmlReader<'_>,
    parent: &Element,
    first: Element,
    mut read: impl FnMut(&mut XmlReader<'_>, &Element) -> Result<T, XmlError>,
) -> Result<(Vec<T>, Option<Element>), XmlError> {
    let mut items = vec![read(r, &first)?];
    loop {
        match r.next_child(parent)? {
            Some(child) if child.is(first.ns().unwrap_or(""), first.local()) => {
                items.push(read(r, &child)?)
            }
            other => return Ok((items, other)),
        }
    }
}

/// The empty body of an operation whose output has no body part: any
/// content is skipped.
impl XmlRead for () {
    fn read_element(r: &mut XmlReader<'_>, el: &Element) -> Result<Self, XmlError> {
        r.skip(el)
    }

    fn absent() -> Option<Self> {
        Some(())
    }
}

/// Writes a simple value as `<name>text</name>`.
pub fn write_simple<T: SimpleValue>(
    w: &mut XmlWriter,
    name: &Name,
    value: &T,
) -> Result<(), XmlError> {
    w.simple_element(name, &value.to_text())
}

/// Reads a simple value from the text of `el`.
pub fn read_simple<T: SimpleValue>(r: &mut XmlReader<'_>, el: &Element) -> Result<T, XmlError> {
    let path = r.path_of(el);
    let text = r.read_text(el)?;
    T::from_text(&text).map_err(|message| XmlError::Value {
        path,
        element: el.local().to_string(),
        value: text,
        message,
    })
}

/// Writes an optional element: nothing when `value` is `None`, unless
/// `nil_when_absent` (a required but nillable element), which writes
/// `<name xsi:nil="true"/>`.
pub fn write_optional<T: XmlWrite>(
    w: &mut XmlWriter,
    name: &Name,
    value: &Option<T>,
    nil_when_absent: bool,
) -> Result<(), XmlError> {
    match value {
        Some(v) => v.write_element(w, name),
        None if nil_when_absent => w.nil_element(name),
        None => Ok(()),
    }
}

/// Writes every item of a repeated element.
pub fn write_all<T: XmlWrite>(
    w: &mut XmlWriter,
    name: &Name,
    values: &[T],
) -> Result<(), XmlError> {
    values.iter().try_for_each(|v| v.write_element(w, name))
}

/// Writes every item of a repeated nillable element; `None` items become
/// `<name xsi:nil="true"/>`.
pub fn write_all_nillable<T: XmlWrite>(
    w: &mut XmlWriter,
    name: &Name,
    values: &[Option<T>],
) -> Result<(), XmlError> {
    values
        .iter()
        .try_for_each(|v| write_optional(w, name, v, true))
}

/// Reads an element that may carry `xsi:nil="true"`: nil gives `None`.
pub fn read_nillable<T: XmlRead>(
    r: &mut XmlReader<'_>,
    el: &Element,
) -> Result<Option<T>, XmlError> {
    if el.is_nil() {
        r.skip(el)?;
        Ok(None)
    } else {
        T::read_element(r, el).map(Some)
    }
}

/// Unwraps a required child that was read into an `Option`.
pub fn required<T>(value: Option<T>, parent: &Element, child: &str) -> Result<T, XmlError> {
    value.ok_or_else(|| XmlError::Missing {
        element: parent.local().to_string(),
        child: child.to_string(),
    })
}

/// Parses the attribute `ns`/`local` of `el`, if present.
pub fn read_attribute<T: SimpleValue>(
    el: &Element,
    ns: &str,
    local: &str,
) -> Result<Option<T>, XmlError> {
    match el.attribute(ns, local) {
        None => Ok(None),
        Some(text) => T::from_text(text)
            .map(Some)
            .map_err(|message| XmlError::Value {
                path: format!("{}@{local}", el.local()),
                element: format!("{}@{local}", el.local()),
                value: text.to_string(),
                message,
            }),
    }
}

/// Reads the text content of a simple-content element as `T`.
pub fn read_text_value<T: SimpleValue>(r: &mut XmlReader<'_>, el: &Element) -> Result<T, XmlError> {
    read_simple(r, el)
}

#[cfg(test)]
mod tests;

/// Writes a SOAP-encoded array (`soapenc:Array`): `xsi:type="soapenc:Array"`,
/// `soapenc:arrayType="{item_type}[{len}]"` and one `item` element per
/// value, each typed `item_type` in encoded mode. The module declares the
/// `soapenc` prefix and the prefix of `item_type`.
pub fn write_array<T: XmlWrite>(
    w: &mut XmlWriter,
    name: &Name,
    items: &[T],
    item_type: &'static str,
) -> Result<(), XmlError> {
    let array_type = format!("{item_type}[{}]", items.len());
    w.start(
        name,
        &[
            (&XSI_TYPE, Some(std::borrow::Cow::Borrowed("soapenc:Array"))),
            (
                &SOAPENC_ARRAY_TYPE,
                Some(std::borrow::Cow::Owned(array_type)),
            ),
        ],
    )?;
    let item = Name::unqualified("item");
    for value in items {
        w.with_type(item_type, |w| value.write_element(w, &item))?;
    }
    w.end(name)
}

/// Reads a SOAP-encoded array: every child element is an item, whatever
/// its name.
pub fn read_array<T: XmlRead>(r: &mut XmlReader<'_>, el: &Element) -> Result<Vec<T>, XmlError> {
    let mut items = Vec::new();
    while let Some(child) = r.next_child(el)? {
        items.push(T::read_element(r, &child)?);
    }
    Ok(items)
}

/// [`call`] for a one-way operation (WSDL 1.1 §2.4.1: an input, no
/// output): a 2xx response with an empty body (HTTP 202 Accepted is usual)
/// is success, with no output headers; an envelope is read as by [`call`],
/// so a fault still arrives as [`crate::Error::Api`].
pub async fn call_one_way<H: ReadHeaders + Default, D: FaultDetail>(
    client: &crate::ApiClient,
    op: &Operation,
    envelope: Vec<u8>,
    body_name: Option<&Name>,
) -> Result<Response<(), H>, SoapError<D>> {
    match call::<(), H, D>(client, op, envelope, body_name).await {
        Err(crate::Error::Decode { response, .. })
            if response.status.is_success() && response.body.trim_ascii().is_empty() =>
        {
            Ok(Response {
                body: (),
                headers: H::default(),
                status: response.status,
                http_headers: response.headers,
            })
        }
        other => other,
    }
}
