//! A pull reader over `quick_xml::NsReader`: one element at a time, names
//! resolved to (namespace, local name) whatever prefix the sender used.
//!
//! Protocol: [`XmlReader::root`] and [`XmlReader::next_child`] return the
//! start tag of an element as an [`Element`]; the caller then consumes that
//! element exactly once: with [`next_child`](XmlReader::next_child) until
//! it returns `None`, [`read_text`](XmlReader::read_text),
//! [`skip`](XmlReader::skip) or one of the raw readers.
//!
//! **Depth limit.** Generated `XmlRead` impls recurse once per element
//! level, so a hostile document nested thousands of levels deep would
//! overflow the stack. The reader counts the elements it has handed out and
//! not yet seen closed; an element deeper than the limit
//! ([`DEFAULT_MAX_DEPTH`], or [`XmlReader::with_max_depth`]) is
//! [`XmlError::TooDeep`], naming the element path, before any generated
//! code recurses into it. Skipping (unknown elements, raw `xs:any`
//! capture) is iterative and does not count against the limit, only
//! against [`MAX_SKIP_DEPTH`] levels in all.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::NsReader;

use super::{XmlError, XSI};

/// The start tag of an element: its resolved name and attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    ns: Option<String>,
    local: String,
    empty: bool,
    nil: bool,
    /// `(namespace, local name, value)`, namespace declarations excluded.
    attributes: Vec<(Option<String>, String, String)>,
    /// Byte offset of `<`.
    start: usize,
    /// Byte offset just after the start tag.
    content_start: usize,
    /// Read in lenient-namespace mode ([`XmlReader::set_lenient_namespaces`]):
    /// without a namespace, the element matches any namespace.
    any_ns: bool,
}

impl Element {
    /// The namespace URI, `None` for no namespace.
    pub fn ns(&self) -> Option<&str> {
        self.ns.as_deref()
    }

    pub fn local(&self) -> &str {
        &self.local
    }

    /// True if the element is `ns`/`local` (`ns` empty for no namespace).
    /// An element without a namespace read in lenient-namespace mode
    /// matches `local` in any namespace.
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.local == local
            && (self.ns.as_deref().unwrap_or("") == ns || (self.any_ns && self.ns.is_none()))
    }

    /// This element, matching any namespace if it has none (see
    /// [`XmlReader::set_lenient_namespaces`]).
    pub fn lenient(&self) -> Element {
        Element {
            any_ns: true,
            ..self.clone()
        }
    }

    /// True for `<x/>` (no content at all).
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// True if the element carries `xsi:nil="true"` (or `"1"`).
    pub fn is_nil(&self) -> bool {
        self.nil
    }

    /// The value of attribute `ns`/`local` (`ns` empty for no namespace).
    pub fn attribute(&self, ns: &str, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(a_ns, a_local, _)| a_local == local && a_ns.as_deref().unwrap_or("") == ns)
            .map(|(_, _, v)| v.as_str())
    }

    /// Attributes matched by `xs:anyAttribute`: every attribute except
    /// `xsi:*` and those named in `declared` (`(ns, local)`, `ns` empty for
    /// no namespace), in document order.
    pub fn other_attributes(&self, declared: &[(&str, &str)]) -> Vec<super::AnyAttribute> {
        self.attributes
            .iter()
            .filter(|(ns, _, _)| ns.as_deref() != Some(XSI))
            .filter(|(ns, local, _)| {
                let ns = ns.as_deref().unwrap_or("");
                !declared
                    .iter()
                    .any(|(d_ns, d_local)| *d_ns == ns && d_local == local)
            })
            .map(|(ns, local, value)| super::AnyAttribute {
                ns: ns.clone().unwrap_or_default(),
                local: local.clone(),
                value: value.clone(),
            })
            .collect()
    }

    /// `{ns}local` for messages.
    pub fn display_name(&self) -> String {
        match &self.ns {
            Some(ns) => format!("{{{ns}}}{}", self.local),
            None => self.local.clone(),
        }
    }
}

/// The default depth limit of [`XmlReader`]: elements nested deeper than
/// this (the document element is level 1) are an error. Realistic SOAP
/// responses stay far below it (an envelope, a body, a few levels of data,
/// a chain of inner exceptions). It is well below what a thread with a
/// 2 MiB stack (tokio's default) survives while generated readers recurse:
/// in a debug build SuperOffice's `SoExceptionInfo` takes about 4.5 KiB of
/// stack per level and overflows 2 MiB at about 450 levels; release builds
/// take much less. Types with many fields take more per level, so raise
/// the limit only together with the stack size.
pub const DEFAULT_MAX_DEPTH: usize = 128;

/// How deep content that is skipped or captured as raw XML may nest, in
/// all (the iterative skip needs no stack, but quick-xml's namespace
/// resolver counts levels in a `u16` and overflows past 65,535, a panic in
/// debug builds): deeper is [`XmlError::TooDeep`].
pub const MAX_SKIP_DEPTH: usize = 50_000;

/// Reads XML from a byte slice without building a tree.
pub struct XmlReader<'a> {
    inner: NsReader<&'a [u8]>,
    input: &'a [u8],
    /// Local names of the elements handed out whose end tag has not been
    /// read yet, outermost first (at most `max_depth` of them).
    open: Vec<String>,
    max_depth: usize,
    /// Elements read now match any namespace when they have none.
    lenient_ns: bool,
}

impl std::fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.inner.buffer_position())
            .finish()
    }
}

impl<'a> XmlReader<'a> {
    /// A reader with the [`DEFAULT_MAX_DEPTH`] depth limit.
    pub fn new(input: &'a [u8]) -> Self {
        Self::with_max_depth(input, DEFAULT_MAX_DEPTH)
    }

    /// A reader that refuses elements nested deeper than `max_depth`
    /// levels (the document element is level 1) with
    /// [`XmlError::TooDeep`]; at most [`MAX_SKIP_DEPTH`].
    pub fn with_max_depth(input: &'a [u8], max_depth: usize) -> Self {
        let mut inner = NsReader::from_reader(input);
        inner.config_mut().expand_empty_elements = false;
        XmlReader {
            inner,
            input,
            open: Vec::new(),
            max_depth: max_depth.min(MAX_SKIP_DEPTH),
            lenient_ns: false,
        }
    }

    /// In lenient-namespace mode, every element read that has no namespace
    /// matches its local name in any namespace ([`Element::is`]). Used for
    /// fault details that servers (spyne, node-soap) write without the
    /// namespace their schema declares.
    pub fn set_lenient_namespaces(&mut self, on: bool) {
        self.lenient_ns = on;
    }

    /// The depth limit.
    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Enters `el` (just read): refused if it is deeper than the limit;
    /// recorded as open unless it is empty.
    fn enter(&mut self, el: Element) -> Result<Element, XmlError> {
        if self.open.len() >= self.max_depth {
            return Err(XmlError::TooDeep {
                limit: self.max_depth,
                path: self.path_to(el.local()),
            });
        }
        if !el.empty {
            self.open.push(el.local.clone());
        }
        Ok(el)
    }

    /// Leaves the innermost open element (its end tag was read).
    fn leave(&mut self) {
        self.open.pop();
    }

    /// The path of `el`, the element the reader has just handed out:
    /// `/Envelope/Body/…/el`, the middle left out when it is long.
    pub fn path_of(&self, el: &Element) -> String {
        match self.open.split_last() {
            // A non-empty element is open until its end tag is read.
            Some((last, outer)) if !el.is_empty() && *last == el.local() => {
                Self::join_path(outer, last)
            }
            _ => self.path_to(el.local()),
        }
    }

    /// `/A/B/…/last`, the middle left out when it is long.
    fn path_to(&self, last: &str) -> String {
        Self::join_path(&self.open, last)
    }

    fn join_path(open: &[String], last: &str) -> String {
        const KEEP: usize = 4;
        let mut path = String::new();
        let n = open.len();
        for (i, name) in open.iter().enumerate() {
            if n > 2 * KEEP && i == KEEP {
                path.push_str(&format!("/…({} more)…", n - 2 * KEEP));
            }
            if n > 2 * KEEP && (KEEP..n - KEEP).contains(&i) {
                continue;
            }
            path.push('/');
            path.push_str(name);
        }
        path.push('/');
        path.push_str(last);
        path
    }

    fn position(&self) -> usize {
        usize::try_from(self.inner.buffer_position()).unwrap_or(usize::MAX)
    }

    fn syntax(&self, e: impl std::fmt::Display) -> XmlError {
        XmlError::Syntax {
            position: self.inner.error_position(),
            message: e.to_string(),
        }
    }

    /// Reads up to the document element and returns its start tag.
    pub fn root(&mut self) -> Result<Element, XmlError> {
        loop {
            let start = self.position();
            match self.inner.read_resolved_event() {
                Ok((_, Event::Start(e))) => {
                    let el = self.element(&e, false, start)?;
                    return self.enter(el);
                }
                Ok((_, Event::Empty(e))) => {
                    let el = self.element(&e, true, start)?;
                    return self.enter(el);
                }
                Ok((_, Event::Eof)) => {
                    return Err(XmlError::Eof {
                        element: "document".to_string(),
                    })
                }
                Ok((_, Event::Text(t))) if t.iter().all(u8::is_ascii_whitespace) => {}
                Ok((_, Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))) => {
                    return Err(self.syntax("text before the document element"))
                }
                // SOAP 1.1 §3 and SOAP 1.2 part 1 §5: a SOAP message must not
                // contain a DTD. Refusing it also refuses entity definitions
                // (billion laughs, external entities) outright; only the
                // five predefined entities are ever resolved.
                Ok((_, Event::DocType(_))) => {
                    return Err(
                        self.syntax("a document type declaration is not allowed in a SOAP message")
                    )
                }
                Ok(_) => {}
                Err(e) => return Err(self.syntax(e)),
            }
        }
    }

    /// A name or namespace as UTF-8; anything else is malformed.
    fn utf8(&self, bytes: &[u8]) -> Result<String, XmlError> {
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| self.syntax("a name is not valid UTF-8"))
    }

    fn element(&self, e: &BytesStart<'_>, empty: bool, start: usize) -> Result<Element, XmlError> {
        let (ns, local) = self.inner.resolve_element(e.name());
        let ns = match ns {
            ResolveResult::Bound(ns) => Some(self.utf8(ns.as_ref())?),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => {
                return Err(self.syntax(format!(
                    "undeclared namespace prefix `{}`",
                    String::from_utf8_lossy(&prefix)
                )))
            }
        };
        let local = self.utf8(local.as_ref())?;
        let mut attributes = Vec::new();
        let mut nil = false;
        for attr in e.attributes() {
            let attr = attr.map_err(|e| self.syntax(e))?;
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            let (a_ns, a_local) = self.inner.resolve_attribute(attr.key);
            let a_ns = match a_ns {
                ResolveResult::Bound(ns) => Some(self.utf8(ns.as_ref())?),
                ResolveResult::Unbound => None,
                ResolveResult::Unknown(prefix) => {
                    return Err(self.syntax(format!(
                        "undeclared namespace prefix `{}`",
                        String::from_utf8_lossy(&prefix)
                    )))
                }
            };
            let value = attr
                .unescape_value()
                .map_err(|e| self.syntax(e))?
                .into_owned();
            let a_local = self.utf8(a_local.as_ref())?;
            if a_ns.as_deref() == Some(XSI) && a_local == "nil" {
                nil = matches!(value.trim(), "true" | "1");
            }
            attributes.push((a_ns, a_local, value));
        }
        Ok(Element {
            ns,
            local,
            empty,
            nil,
            attributes,
            start,
            content_start: self.position(),
            any_ns: self.lenient_ns,
        })
    }

    /// The next child element of `parent`, or `None` after its end tag.
    /// Text, comments and processing instructions between children are
    /// skipped.
    pub fn next_child(&mut self, parent: &Element) -> Result<Option<Element>, XmlError> {
        if parent.empty {
            return Ok(None);
        }
        loop {
            let start = self.position();
            match self.inner.read_resolved_event() {
                Ok((_, Event::Start(e))) => {
                    let el = self.element(&e, false, start)?;
                    return self.enter(el).map(Some);
                }
                Ok((_, Event::Empty(e))) => {
                    let el = self.element(&e, true, start)?;
                    return self.enter(el).map(Some);
                }
                Ok((_, Event::End(_))) => {
                    self.leave();
                    return Ok(None);
                }
                Ok((_, Event::Eof)) => {
                    return Err(XmlError::Eof {
                        element: parent.display_name(),
                    })
                }
                Ok(_) => {}
                Err(e) => return Err(self.syntax(e)),
            }
        }
    }

    /// Reads to the end of the input after the document element: only
    /// whitespace, comments and processing instructions may follow.
    pub fn finish(&mut self) -> Result<(), XmlError> {
        loop {
            match self.inner.read_event() {
                Ok(Event::Eof) => return Ok(()),
                Ok(Event::Text(t)) if t.iter().all(u8::is_ascii_whitespace) => {}
                Ok(Event::Comment(_) | Event::PI(_)) => {}
                Ok(_) => return Err(self.syntax("content after the document element")),
                Err(e) => return Err(self.syntax(e)),
            }
        }
    }

    /// The text content of `el` (child elements of mixed content are
    /// skipped), with entity and character references resolved and XML 1.0
    /// end-of-line handling (CRLF and CR become LF; NEL and LS, which only
    /// XML 1.1 treats as line ends, are kept).
    pub fn read_text(&mut self, el: &Element) -> Result<String, XmlError> {
        let mut text = String::new();
        if el.empty {
            return Ok(text);
        }
        loop {
            match self.inner.read_resolved_event() {
                Ok((_, Event::Text(t))) => {
                    text.push_str(&t.xml10_content().map_err(|e| self.syntax(e))?)
                }
                Ok((_, Event::CData(t))) => {
                    text.push_str(&t.xml10_content().map_err(|e| self.syntax(e))?)
                }
                Ok((_, Event::GeneralRef(r))) => {
                    match r.resolve_char_ref().map_err(|e| self.syntax(e))? {
                        Some(c) => text.push(c),
                        None => {
                            let name = r.decode().map_err(|e| self.syntax(e))?;
                            let c = match name.as_ref() {
                                "amp" => '&',
                                "lt" => '<',
                                "gt" => '>',
                                "quot" => '"',
                                "apos" => '\'',
                                other => {
                                    return Err(self.syntax(format!("unknown entity `&{other};`")))
                                }
                            };
                            text.push(c);
                        }
                    }
                }
                Ok((_, Event::Start(_))) => {
                    self.skip_depth()?;
                }
                Ok((_, Event::End(_))) => {
                    self.leave();
                    return Ok(text);
                }
                Ok((_, Event::Eof)) => {
                    return Err(XmlError::Eof {
                        element: el.display_name(),
                    })
                }
                Ok(_) => {}
                Err(e) => return Err(self.syntax(e)),
            }
        }
    }

    /// Consumes `el` and everything in it.
    pub fn skip(&mut self, el: &Element) -> Result<(), XmlError> {
        if el.empty {
            return Ok(());
        }
        self.skip_depth()?;
        self.leave();
        Ok(())
    }

    /// Reads events until the end tag that closes the current element;
    /// returns the byte offset where that end tag starts. Iterative, so
    /// any depth is skipped without recursion.
    fn skip_depth(&mut self) -> Result<usize, XmlError> {
        let mut depth = 0usize;
        loop {
            let before = self.position();
            match self.inner.read_event() {
                Ok(Event::Start(_)) if self.open.len() + depth + 1 >= MAX_SKIP_DEPTH => {
                    return Err(XmlError::TooDeep {
                        limit: MAX_SKIP_DEPTH,
                        path: self.path_to(&format!("…({} levels skipped)…", depth + 1)),
                    });
                }
                Ok(Event::Start(_)) => depth += 1,
                Ok(Event::End(_)) => {
                    if depth == 0 {
                        return Ok(before);
                    }
                    depth -= 1;
                }
                Ok(Event::Eof) => {
                    return Err(XmlError::Eof {
                        element: "element".to_string(),
                    })
                }
                Ok(_) => {}
                Err(e) => return Err(self.syntax(e)),
            }
        }
    }

    fn slice(&self, from: usize, to: usize) -> String {
        self.input
            .get(from..to)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// Consumes `el` and returns its content as raw XML (`xs:anyType`).
    pub fn read_inner_xml(&mut self, el: &Element) -> Result<String, XmlError> {
        if el.empty {
            return Ok(String::new());
        }
        let end = self.skip_depth()?;
        self.leave();
        Ok(self.slice(el.content_start, end))
    }

    /// Consumes `el` and returns the whole element as raw XML (`xs:any`).
    pub fn read_outer_xml(&mut self, el: &Element) -> Result<String, XmlError> {
        if !el.empty {
            self.skip_depth()?;
            self.leave();
        }
        Ok(self.slice(el.start, self.position()))
    }

    /// Consumes the children of `el` one by one; returns the raw XML of its
    /// content as it was (for a fault's `detail`). `each` sees every child
    /// and must consume it.
    pub fn read_children_keep_xml(
        &mut self,
        el: &Element,
        mut each: impl FnMut(&mut Self, &Element) -> Result<(), XmlError>,
    ) -> Result<String, XmlError> {
        if el.empty {
            return Ok(String::new());
        }
        loop {
            let before = self.position();
            match self.inner.read_resolved_event() {
                Ok((_, Event::Start(e))) => {
                    let child = self.element(&e, false, before)?;
                    let child = self.enter(child)?;
                    each(self, &child)?;
                }
                Ok((_, Event::Empty(e))) => {
                    let child = self.element(&e, true, before)?;
                    let child = self.enter(child)?;
                    each(self, &child)?;
                }
                Ok((_, Event::End(_))) => {
                    self.leave();
                    return Ok(self.slice(el.content_start, before));
                }
                Ok((_, Event::Eof)) => {
                    return Err(XmlError::Eof {
                        element: el.display_name(),
                    })
                }
                Ok(_) => {}
                Err(e) => return Err(self.syntax(e)),
            }
        }
    }

    /// Resolves a QName written in text content (e.g. a fault code
    /// `soap:Client`) against the namespaces in scope: `(namespace, local)`.
    pub fn resolve_qname(&self, text: &str) -> (Option<String>, String) {
        let text = text.trim();
        let (ns, local) = self.inner.resolve_element(QName(text.as_bytes()));
        let ns = match ns {
            ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.as_ref()).into_owned()),
            _ => None,
        };
        (ns, String::from_utf8_lossy(local.as_ref()).into_owned())
    }
}
