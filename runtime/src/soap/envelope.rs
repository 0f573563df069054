//! SOAP envelopes: building a request, reading a response or a fault.

use std::fmt;

use super::{Element, Name, Ns, XmlError, XmlRead, XmlReader, XmlWrite, XmlWriter};

/// The SOAP version of a binding (from the binding's namespace URI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1 (`http://schemas.xmlsoap.org/soap/envelope/`).
    V11,
    /// SOAP 1.2 (`http://www.w3.org/2003/05/soap-envelope`).
    V12,
}

/// The SOAP 1.1 envelope namespace.
pub const SOAP11_ENV: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The SOAP 1.2 envelope namespace.
pub const SOAP12_ENV: &str = "http://www.w3.org/2003/05/soap-envelope";

impl SoapVersion {
    /// The envelope namespace URI.
    pub fn envelope_ns(self) -> &'static str {
        match self {
            SoapVersion::V11 => SOAP11_ENV,
            SoapVersion::V12 => SOAP12_ENV,
        }
    }

    fn from_ns(ns: Option<&str>) -> Option<SoapVersion> {
        match ns {
            Some(SOAP11_ENV) => Some(SoapVersion::V11),
            Some(SOAP12_ENV) => Some(SoapVersion::V12),
            _ => None,
        }
    }

    /// The `Content-Type` of a request; SOAP 1.2 carries the action in it.
    pub fn content_type(self, action: &str) -> String {
        match self {
            SoapVersion::V11 => "text/xml; charset=utf-8".to_string(),
            SoapVersion::V12 if action.is_empty() => {
                "application/soap+xml; charset=utf-8".to_string()
            }
            SoapVersion::V12 => format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
        }
    }

    fn name(self, local: &'static str) -> Name {
        let qualified = match local {
            "Envelope" => "soap:Envelope",
            "Header" => "soap:Header",
            _ => "soap:Body",
        };
        Name {
            qualified,
            ns: self.envelope_ns(),
            local,
        }
    }
}

/// A SOAP header block to write: its element name and value. The value is
/// `Sync`, so a list of blocks can be held by a future that is `Send`.
pub type HeaderBlock<'a> = (&'a Name, &'a (dyn XmlWrite + Sync));

/// Builds a request envelope. The root declares `soap`, `xsi` and every
/// namespace of the module (`namespaces`), so every prefix written below is
/// declared. `soap:Header` is written only when there are header blocks.
pub fn build_envelope(
    version: SoapVersion,
    namespaces: &[Ns],
    headers: &[HeaderBlock<'_>],
    body: Option<(&Name, &(dyn XmlWrite + Sync))>,
) -> Result<Vec<u8>, XmlError> {
    build(version, namespaces, headers, body, false)
}

/// [`build_envelope`] for an operation with `use="encoded"`: the writer is
/// in encoded mode, so values written with
/// [`XmlWriter::with_type`] carry `xsi:type`.
pub fn build_encoded_envelope(
    version: SoapVersion,
    namespaces: &[Ns],
    headers: &[HeaderBlock<'_>],
    body: Option<(&Name, &(dyn XmlWrite + Sync))>,
) -> Result<Vec<u8>, XmlError> {
    build(version, namespaces, headers, body, true)
}

fn build(
    version: SoapVersion,
    namespaces: &[Ns],
    headers: &[HeaderBlock<'_>],
    body: Option<(&Name, &(dyn XmlWrite + Sync))>,
    encoded: bool,
) -> Result<Vec<u8>, XmlError> {
    let mut w = XmlWriter::new();
    w.set_encoded(encoded);
    w.declaration()?;
    let envelope = version.name("Envelope");
    w.start_root(&envelope, &[("soap", version.envelope_ns())], namespaces)?;
    if !headers.is_empty() {
        let header = version.name("Header");
        w.start(&header, &[])?;
        for (name, value) in headers {
            value.write_element(&mut w, name)?;
        }
        w.end(&header)?;
    }
    let body_name = version.name("Body");
    w.start(&body_name, &[])?;
    if let Some((name, value)) = body {
        value.write_element(&mut w, name)?;
    }
    w.end(&body_name)?;
    w.end(&envelope)?;
    Ok(w.into_inner())
}

/// The output headers of an operation, read block by block. Generated
/// `OutputHeaders` structs implement it.
pub trait ReadHeaders: Default {
    /// Reads `el` if it is one of the known header blocks and returns
    /// `true`; returns `false` without consuming it otherwise.
    fn read_header(&mut self, r: &mut XmlReader<'_>, el: &Element) -> Result<bool, XmlError>;
}

/// No output headers: every header block is skipped.
impl ReadHeaders for () {
    fn read_header(&mut self, _r: &mut XmlReader<'_>, _el: &Element) -> Result<bool, XmlError> {
        Ok(false)
    }
}

/// The typed detail of a fault, as declared by `wsdl:fault`. Generated
/// per-operation fault enums implement it.
pub trait FaultDetail: Sized {
    /// Reads `el` (a child of the fault's detail) if it is a declared fault
    /// element; returns `Ok(None)` without consuming it otherwise.
    fn read_detail(r: &mut XmlReader<'_>, el: &Element) -> Result<Option<Self>, XmlError>;
}

/// No declared faults: the detail is kept as raw XML only.
impl FaultDetail for () {
    fn read_detail(_r: &mut XmlReader<'_>, _el: &Element) -> Result<Option<Self>, XmlError> {
        Ok(None)
    }
}

/// A fault code (SOAP 1.1 `faultcode`, SOAP 1.2 `Code/Value`), resolved to
/// its namespace: e.g. `{http://schemas.xmlsoap.org/soap/envelope/}Client`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FaultCode {
    pub ns: Option<String>,
    pub local: String,
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// A SOAP fault, 1.1 or 1.2, with a typed detail where the operation
/// declares one.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault<D = ()> {
    pub version: SoapVersion,
    /// `faultcode` (1.1) or `Code/Value` (1.2).
    pub code: FaultCode,
    /// SOAP 1.2 `Subcode/Value`s, outermost first.
    pub subcodes: Vec<FaultCode>,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2).
    pub reason: String,
    /// `faultactor` (1.1) or `Role` (1.2).
    pub actor: Option<String>,
    /// `Node` (1.2).
    pub node: Option<String>,
    /// The first detail entry that is a declared fault element.
    pub detail: Option<D>,
    /// The content of `detail` / `Detail` as raw XML.
    pub detail_xml: Option<String>,
}

impl<D> fmt::Display for Fault<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "soap fault {}: {}", self.code, self.reason)
    }
}

impl<D: fmt::Debug> std::error::Error for Fault<D> {}

/// A response envelope: the body and output headers, or a fault.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope<B, H, D> {
    Body { body: B, headers: H },
    Fault(Fault<D>),
}

/// Reads a response envelope of either SOAP version. `body_name` is the
/// expected body element (an empty local name accepts any element: the
/// name of an rpc response wrapper is not significant); `None` for an
/// output without a body part, whose body content is skipped.
///
/// Elements nested deeper than [`DEFAULT_MAX_DEPTH`](super::DEFAULT_MAX_DEPTH)
/// are an error ([`XmlError::TooDeep`]); see
/// [`parse_envelope_with_max_depth`].
pub fn parse_envelope<B: XmlRead, H: ReadHeaders, D: FaultDetail>(
    input: &[u8],
    body_name: Option<&Name>,
) -> Result<Envelope<B, H, D>, XmlError> {
    parse_envelope_with_max_depth(input, body_name, super::DEFAULT_MAX_DEPTH)
}

/// [`parse_envelope`] with another depth limit (the envelope is level 1).
pub fn parse_envelope_with_max_depth<B: XmlRead, H: ReadHeaders, D: FaultDetail>(
    input: &[u8],
    body_name: Option<&Name>,
    max_depth: usize,
) -> Result<Envelope<B, H, D>, XmlError> {
    let mut r = XmlReader::with_max_depth(input, max_depth);
    let root = r.root()?;
    let Some(version) = SoapVersion::from_ns(root.ns()).filter(|_| root.local() == "Envelope")
    else {
        return Err(XmlError::Unexpected {
            expected: "soap Envelope".to_string(),
            found: root.display_name(),
        });
    };
    let env_ns = version.envelope_ns();
    let mut headers = H::default();
    while let Some(child) = r.next_child(&root)? {
        if child.is(env_ns, "Header") {
            while let Some(block) = r.next_child(&child)? {
                if !headers.read_header(&mut r, &block)? {
                    r.skip(&block)?;
                }
            }
        } else if child.is(env_ns, "Body") {
            let mut body = None;
            while let Some(entry) = r.next_child(&child)? {
                if entry.is(env_ns, "Fault") {
                    let fault = read_fault(&mut r, &entry, version)?;
                    skip_rest(&mut r, &child)?;
                    skip_rest(&mut r, &root)?;
                    r.finish()?;
                    return Ok(Envelope::Fault(fault));
                }
                match body_name {
                    Some(name)
                        if body.is_none()
                            && (name.local.is_empty() || entry.is(name.ns, name.local)) =>
                    {
                        body = Some(B::read_element(&mut r, &entry)?);
                    }
                    Some(name) if body.is_none() => {
                        return Err(XmlError::Unexpected {
                            expected: name.qualified.to_string(),
                            found: entry.display_name(),
                        })
                    }
                    _ => r.skip(&entry)?,
                }
            }
            let body = match body.or_else(B::absent) {
                Some(body) => body,
                None => {
                    return Err(XmlError::Missing {
                        element: "Body".to_string(),
                        child: body_name.map_or("body", |n| n.qualified).to_string(),
                    })
                }
            };
            // The rest must be there too: a response cut off after its
            // body is not taken as complete.
            skip_rest(&mut r, &root)?;
            r.finish()?;
            return Ok(Envelope::Body { body, headers });
        } else {
            r.skip(&child)?;
        }
    }
    Err(XmlError::Missing {
        element: "Envelope".to_string(),
        child: "Body".to_string(),
    })
}

/// Skips the remaining children of `el` and consumes its end tag.
fn skip_rest(r: &mut XmlReader<'_>, el: &Element) -> Result<(), XmlError> {
    while let Some(child) = r.next_child(el)? {
        r.skip(&child)?;
    }
    Ok(())
}

fn read_fault<D: FaultDetail>(
    r: &mut XmlReader<'_>,
    fault_el: &Element,
    version: SoapVersion,
) -> Result<Fault<D>, XmlError> {
    let env = version.envelope_ns();
    let mut fault = Fault {
        version,
        code: FaultCode::default(),
        subcodes: Vec::new(),
        reason: String::new(),
        actor: None,
        node: None,
        detail: None,
        detail_xml: None,
    };
    while let Some(child) = r.next_child(fault_el)? {
        match (version, child.ns(), child.local()) {
            // SOAP 1.1: children are unqualified.
            (SoapVersion::V11, None, "faultcode") => {
                let text = r.read_text(&child)?;
                let (ns, local) = r.resolve_qname(&text);
                fault.code = FaultCode { ns, local };
            }
            (SoapVersion::V11, None, "faultstring") => fault.reason = r.read_text(&child)?,
            (SoapVersion::V11, None, "faultactor") => fault.actor = Some(r.read_text(&child)?),
            (SoapVersion::V11, None, "detail") => read_detail(r, &child, &mut fault)?,
            (SoapVersion::V12, Some(ns), "Code") if ns == env => {
                read_code12(r, &child, env, &mut fault, true)?
            }
            (SoapVersion::V12, Some(ns), "Reason") if ns == env => {
                while let Some(text) = r.next_child(&child)? {
                    let value = r.read_text(&text)?;
                    if fault.reason.is_empty() && text.is(env, "Text") {
                        fault.reason = value;
                    }
                }
            }
            (SoapVersion::V12, Some(ns), "Node") if ns == env => {
                fault.node = Some(r.read_text(&child)?)
            }
            (SoapVersion::V12, Some(ns), "Role") if ns == env => {
                fault.actor = Some(r.read_text(&child)?)
            }
            (SoapVersion::V12, Some(ns), "Detail") if ns == env => {
                read_detail(r, &child, &mut fault)?
            }
            _ => r.skip(&child)?,
        }
    }
    Ok(fault)
}

/// SOAP 1.2 `Code` / `Subcode`: a `Value` and an optional nested `Subcode`.
fn read_code12<D>(
    r: &mut XmlReader<'_>,
    el: &Element,
    env: &str,
    fault: &mut Fault<D>,
    top: bool,
) -> Result<(), XmlError> {
    while let Some(child) = r.next_child(el)? {
        if child.is(env, "Value") {
            let text = r.read_text(&child)?;
            let (ns, local) = r.resolve_qname(&text);
            let code = FaultCode { ns, local };
            if top {
                fault.code = code;
            } else {
                fault.subcodes.push(code);
            }
        } else if child.is(env, "Subcode") {
            read_code12(r, &child, env, fault, false)?;
        } else {
            r.skip(&child)?;
        }
    }
    Ok(())
}

fn read_detail<D: FaultDetail>(
    r: &mut XmlReader<'_>,
    el: &Element,
    fault: &mut Fault<D>,
) -> Result<(), XmlError> {
    let mut detail = None;
    let xml = r.read_children_keep_xml(el, |r, child| {
        if detail.is_none() {
            if let Some(d) = D::read_detail(r, child)? {
                detail = Some(d);
                return Ok(());
            }
            // spyne and node-soap write the declared detail element (and
            // its children) without a namespace: match local names then.
            if child.ns().is_none() {
                r.set_lenient_namespaces(true);
                let lenient = D::read_detail(r, &child.lenient());
                r.set_lenient_namespaces(false);
                if let Some(d) = lenient? {
                    detail = Some(d);
                    return Ok(());
                }
            }
        }
        r.skip(child)
    })?;
    fault.detail = detail;
    fault.detail_xml = Some(xml);
    Ok(())
}
