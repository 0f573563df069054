//! The front end: reads WSDL 1.1 and XSD files through a [`FileSource`]
//! with roxmltree and builds the [`model`](super::model).
//!
//! - All inline schemas of all WSDL files and every imported or included
//!   schema file form one [`SchemaSet`]; an `xs:import` without
//!   `schemaLocation` therefore resolves by namespace within the set.
//! - QName-valued attributes resolve prefixes with the namespace
//!   declarations in scope at that element (inherited from ancestors,
//!   `wsdl:definitions` included).
//! - Locations are relative to the importing file; an absolute URL is
//!   looked up in the manifest's catalog, then as a local file with the
//!   same path tail. Nothing is fetched.
//! - Degrade, never fail: only an entry file that cannot be read, is not
//!   well-formed XML or is not a WSDL 1.1 `definitions` (or a schema) is an
//!   error. An import that cannot be read or parsed, a QName with an
//!   undeclared prefix and a component that cannot be read (a missing
//!   `name`, content nested deeper than [`MAX_NESTING`], …) are located
//!   warnings; the component is skipped and references to it degrade.
//! - An element or attribute name with an undeclared prefix (not
//!   namespace-well-formed, but published) is read with a declaration
//!   added for it: the conventional namespace of the prefix when it has
//!   one (`xsd`, `soap`, …), else a placeholder, with a warning.
//! - XSD's 1999 and 2000/10 namespaces are read as XSD; the SOAP 1.2
//!   encoding namespace as the SOAP 1.1 one.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};

use roxmltree::{Document, Node};

use super::model::*;
use crate::source::{confine, read_confined, resolve_reference};
use crate::{Diagnostic, Error, FileSource};

pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
pub const SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// The SOAP 1.1 encoding namespace: its simple types are read as the XSD
/// built-ins of the same name, `soapenc:Array` derivations as arrays.
pub const SOAPENC_NS: &str = "http://schemas.xmlsoap.org/soap/encoding/";
/// Namespaces read as [`XSD_NS`] (the drafts WSDL 1.1's own examples use).
const OLD_XSD_NS: &[&str] = &[
    "http://www.w3.org/1999/XMLSchema",
    "http://www.w3.org/2000/10/XMLSchema",
];
/// The SOAP 1.2 encoding namespace, read as [`SOAPENC_NS`].
const SOAPENC12_NS: &str = "http://www.w3.org/2003/05/soap-encoding";
/// The namespace given to a QName prefix nobody declared.
pub const UNDECLARED_NS: &str = "urn:wiregen:undeclared-prefix:";
/// How deeply content models and inline types may nest; deeper content
/// makes its component skipped (with a warning), never a stack overflow.
pub const MAX_NESTING: usize = 64;

/// The namespace a prefix conventionally stands for, used when a document
/// uses it undeclared in an element or attribute name.
fn conventional_namespace(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "xs" | "xsd" | "s" => XSD_NS,
        "wsdl" => WSDL_NS,
        "soap" => SOAP11_NS,
        "soap12" => SOAP12_NS,
        "soapenc" | "SOAP-ENC" => SOAPENC_NS,
        "xsi" => "http://www.w3.org/2001/XMLSchema-instance",
        "xmime" => "http://www.w3.org/2005/05/xmlmime",
        "wsu" => {
            "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
        }
        "wsp" => "http://schemas.xmlsoap.org/ws/2004/09/policy",
        "wsam" => "http://www.w3.org/2007/05/addressing/metadata",
        "wsaw" => "http://www.w3.org/2006/05/addressing/wsdl",
        "http" => "http://schemas.xmlsoap.org/wsdl/http/",
        "mime" => "http://schemas.xmlsoap.org/wsdl/mime/",
        _ => return None,
    })
}

/// The namespace a reference means: the XSD drafts are XSD, SOAP 1.2
/// encoding is SOAP 1.1 encoding.
fn canonical_ns(ns: &str) -> &str {
    if OLD_XSD_NS.contains(&ns) {
        XSD_NS
    } else if ns == SOAPENC12_NS {
        SOAPENC_NS
    } else {
        ns
    }
}

/// Everything loaded from one API's files.
pub struct Loaded {
    pub sources: Sources,
    pub schemas: SchemaSet,
    pub defs: Definitions,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the entry files and everything they import.
pub fn load(
    files: &dyn FileSource,
    entries: &[String],
    catalog: &BTreeMap<String, String>,
) -> Result<Loaded, Error> {
    let mut loader = Loader {
        files,
        catalog,
        sources: Sources::default(),
        schemas: SchemaSet::default(),
        defs: Definitions::default(),
        diagnostics: Vec::new(),
        late: RefCell::new(Vec::new()),
        nesting: Cell::new(0),
        loaded: BTreeSet::new(),
        redefinitions: Vec::new(),
        deferred: Default::default(),
        refused: Vec::new(),
    };
    for entry in entries {
        loader.load_tree(entry)?;
    }
    if !loader.refused.is_empty() {
        return Err(loader.refused.remove(0));
    }
    loader.apply_redefinitions();
    let mut diagnostics = loader.diagnostics;
    diagnostics.append(&mut loader.late.into_inner());
    diagnostics.extend(loader.deferred.take());
    Ok(Loaded {
        sources: loader.sources,
        schemas: loader.schemas,
        defs: loader.defs,
        diagnostics,
    })
}

/// Whether reading a file failed because it lies outside the spec folder
/// (`source::read_confined`, or a file source that resolves symbolic
/// links).
fn refused_for_confinement(error: &Error) -> bool {
    crate::source::is_outside_spec_folder(&error.to_string())
}

/// A file to load after the current one: its path, the place that asked
/// for it, and the namespace a chameleon include takes on.
struct Pending {
    path: String,
    from: Option<Pos>,
    chameleon: Option<String>,
    /// The namespace the file is expected to define (an import's
    /// `namespace`, an include's target namespace): marked unresolved when
    /// the file cannot be loaded.
    namespace: Option<String>,
}

struct Loader<'a> {
    files: &'a dyn FileSource,
    catalog: &'a BTreeMap<String, String>,
    sources: Sources,
    schemas: SchemaSet,
    defs: Definitions,
    diagnostics: Vec<Diagnostic>,
    /// Warnings of `&self` methods (QName resolution).
    late: RefCell<Vec<Diagnostic>>,
    /// Current nesting of content models and inline types.
    nesting: Cell<usize>,
    /// `(path, chameleon namespace)` already loaded.
    loaded: BTreeSet<(String, Option<String>)>,
    /// The components of `xs:redefine`s, applied after loading.
    redefinitions: Vec<(Component, Pos)>,
    /// Warnings found by the `&self` parts of the schema reader.
    deferred: std::cell::RefCell<Vec<Diagnostic>>,
    /// References refused because they leave the spec folder: unlike other
    /// problems these never degrade, the first fails the whole WSDL.
    refused: Vec<Error>,
}

/// How deep (in XML elements, from the document root) a schema construct
/// may sit and still be read: deeper anonymous types, compositors and
/// simple types degrade (to raw XML, `xs:any`, `xs:string`) with a
/// warning. Reading recurses per level here and in `types.rs`/`gen.rs`,
/// so this bound keeps every stage's recursion within a normal thread
/// stack (an anonymous type nested 350 deep overflowed 8 MiB). Real
/// schemas nest a few levels; 200 elements are about 65 levels of
/// anonymous types (element, complexType, sequence each).
pub const MAX_SCHEMA_DEPTH: usize = 200;

/// The parsing context of one file.
struct Ctx {
    file: usize,
    path: String,
    /// Declarations added to the root start tag: `(offset, length)` of the
    /// inserted text, so positions map back to the file as written.
    inserted: (usize, usize),
}

impl Ctx {
    fn pos(&self, node: Node) -> Pos {
        let start = node.range().start;
        let (at, len) = self.inserted;
        Pos {
            file: self.file,
            offset: if start > at { start - len } else { start },
        }
    }
}

/// `ns` of an element, reading XSD's draft namespaces as XSD.
fn in_ns(node: Node, ns: &str) -> bool {
    match node.tag_name().namespace() {
        Some(n) if n == ns => true,
        Some(n) => ns == XSD_NS && OLD_XSD_NS.contains(&n),
        None => false,
    }
}

fn is(node: Node, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && in_ns(node, ns)
}

fn children<'a, 'input>(
    node: Node<'a, 'input>,
    ns: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children()
        .filter(move |c| c.is_element() && in_ns(*c, ns))
}

/// Where declarations can be added to the root start tag of `text`: the
/// byte offset just after the root element's name (after the prolog's
/// declaration, comments, processing instructions and doctype).
fn root_name_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        if rest.starts_with("<?") {
            i += rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i += rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            // A doctype, possibly with an internal subset.
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match bytes.get(j)? {
                    b'[' => depth += 1,
                    b']' => depth = depth.saturating_sub(1),
                    b'>' if depth == 0 => break,
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
        } else {
            let name = rest[1..].find(|c: char| c.is_whitespace() || c == '/' || c == '>')?;
            return Some(i + 1 + name);
        }
    }
    None
}

/// The text of `xs:annotation/xs:documentation` or `wsdl:documentation`
/// children, whitespace-normalized per paragraph.
fn documentation(node: Node) -> Option<String> {
    let mut parts = Vec::new();
    for child in node.children().filter(|c| c.is_element()) {
        let docs: Vec<Node> = if is(child, XSD_NS, "annotation") {
            children(child, XSD_NS)
                .filter(|d| d.tag_name().name() == "documentation")
                .collect()
        } else if is(child, WSDL_NS, "documentation") {
            vec![child]
        } else {
            continue;
        };
        for d in docs {
            let text: String = d
                .descendants()
                .filter(|t| t.is_text())
                .filter_map(|t| t.text())
                .collect();
            let text = text
                .split("\n\n")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n");
            if !text.is_empty() {
                parts.push(text);
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn parse_max(value: Option<&str>) -> Option<Max> {
    match value {
        None => Some(Max::Bounded(1)),
        Some("unbounded") => Some(Max::Unbounded),
        Some(v) => v.trim().parse().ok().map(Max::Bounded),
    }
}

impl<'a> Loader<'a> {
    /// Whether `node` is nested deeper than [`MAX_SCHEMA_DEPTH`]; if so a
    /// warning says what `what` degrades to.
    fn too_deep(&self, ctx: &Ctx, node: Node, what: &str) -> bool {
        if node.ancestors().nth(MAX_SCHEMA_DEPTH).is_none() {
            return false;
        }
        self.deferred.borrow_mut().push(Diagnostic::warning(
            "wsdl:too-deep",
            self.sources.location(ctx.pos(node)),
            format!(
                "`{}` is nested more than {MAX_SCHEMA_DEPTH} elements deep; {what}",
                node.tag_name().name()
            ),
        ));
        true
    }

    fn invalid(&self, pos: Pos, message: impl Into<String>) -> Error {
        Error::Invalid {
            location: self.sources.location(pos),
            message: message.into(),
        }
    }

    /// Maps a `location` / `schemaLocation` to a spec path: relative to
    /// the importing file, through the catalog for absolute URLs, or (for
    /// an absolute URL the catalog does not map) a local file with the same
    /// path tail in the importing file's folder or one of its ancestors,
    /// with a note naming the file used. `None`: a remote location with no
    /// local copy. Nothing is fetched.
    fn resolve_location(
        &mut self,
        ctx: &Ctx,
        node: Node,
        location: &str,
    ) -> Result<Option<String>, Error> {
        if let Some(local) = self.catalog.get(location) {
            return confine(local).map(Some).map_err(|why| {
                let error = self.invalid(
                    ctx.pos(node),
                    format!("catalog entry `{location}` = `{local}` is not followed: {why}"),
                );
                self.refused.push(self.invalid(
                    ctx.pos(node),
                    format!("catalog entry `{location}` = `{local}` is not followed: {why}"),
                ));
                error
            });
        }
        let Some((_, rest)) = location.split_once("://") else {
            return resolve_reference(&ctx.path, location)
                .map(Some)
                .map_err(|why| {
                    let message = format!("`{location}` is not followed: {why}");
                    self.refused
                        .push(self.invalid(ctx.pos(node), message.clone()));
                    self.invalid(ctx.pos(node), message)
                });
        };
        // Candidates that leave the spec folder are not read (`read_confined`).
        let found = remote_candidates(&ctx.path, rest)
            .into_iter()
            .find(|c| read_confined(self.files, c).is_ok());
        if let Some(path) = &found {
            self.diagnostics.push(Diagnostic::note(
                "wsdl:remote-location",
                self.sources.location(ctx.pos(node)),
                format!("remote location `{location}` is not fetched; using local file `{path}` (same path tail)"),
            ));
        }
        Ok(found)
    }

    /// A remote `location` with no local copy: a warning; references into
    /// `namespace` that nothing else defines degrade.
    fn remote_unresolved(&mut self, ctx: &Ctx, node: Node, location: &str, namespace: &str) {
        self.diagnostics.push(Diagnostic::warning(
            "wsdl:remote-location",
            self.sources.location(ctx.pos(node)),
            format!(
                "remote location `{location}` is not fetched and no local file has its name; map it in the manifest's `catalog`. References into `{namespace}` that nothing else defines become raw XML"
            ),
        ));
        self.schemas.unresolved.insert(namespace.to_string());
    }

    /// Turns the error of reading one component into a warning: the
    /// component is skipped, references to it degrade.
    fn degrade(&mut self, result: Result<(), Error>, what: &str) {
        if let Err(e) = result {
            let (location, message) = match e {
                Error::Invalid { location, message } | Error::Syntax { location, message } => {
                    (location, message)
                }
                other => (crate::Location::default(), other.to_string()),
            };
            self.diagnostics.push(Diagnostic::warning(
                "wsdl:skipped",
                location,
                format!("{what} skipped: {message}"),
            ));
        }
    }

    /// Enters one level of content nesting; an error past [`MAX_NESTING`].
    fn nest<T>(&self, pos: Pos, f: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
        if self.nesting.get() >= MAX_NESTING {
            return Err(self.invalid(
                pos,
                format!("content nested deeper than {MAX_NESTING} levels"),
            ));
        }
        self.nesting.set(self.nesting.get() + 1);
        let out = f();
        self.nesting.set(self.nesting.get() - 1);
        out
    }

    /// Loads `entry` and everything it imports, depth first in document
    /// order, without recursion (a long import chain cannot exhaust the
    /// stack); a file already loaded (an import cycle) is skipped.
    fn load_tree(&mut self, entry: &str) -> Result<(), Error> {
        let mut stack = vec![Pending {
            path: entry.to_string(),
            from: None,
            chameleon: None,
            namespace: None,
        }];
        while let Some(next) = stack.pop() {
            let pending = self.load_file(&next.path, next.from, next.chameleon, next.namespace)?;
            stack.extend(pending.into_iter().rev());
        }
        Ok(())
    }

    /// Loads one file. For the entry (`from` is `None`) a file that cannot
    /// be read, is not well-formed or is neither WSDL 1.1 nor XSD is an
    /// error; for an imported one it is a warning, and `namespace` is
    /// marked unresolved so references into it degrade. Returns the files
    /// it imports.
    fn load_file(
        &mut self,
        path: &str,
        from: Option<Pos>,
        chameleon: Option<String>,
        namespace: Option<String>,
    ) -> Result<Vec<Pending>, Error> {
        match (self.load_one(path, from, chameleon), from) {
            // A file outside the spec folder (a symbolic link out of it) is
            // refused, never degraded.
            (Err(e), Some(_)) if refused_for_confinement(&e) => {
                self.refused.push(e);
                Ok(Vec::new())
            }
            (Err(e), Some(pos)) => {
                let ns = namespace.unwrap_or_default();
                self.diagnostics.push(Diagnostic::warning(
                    "wsdl:import-failed",
                    self.sources.location(pos),
                    format!("`{path}` is not loaded ({e}); references into `{ns}` that nothing else defines become raw XML"),
                ));
                self.schemas.unresolved.insert(ns);
                Ok(Vec::new())
            }
            (result, _) => result,
        }
    }

    fn load_one(
        &mut self,
        path: &str,
        from: Option<Pos>,
        chameleon: Option<String>,
    ) -> Result<Vec<Pending>, Error> {
        if !self.loaded.insert((path.to_string(), chameleon.clone())) {
            return Ok(Vec::new());
        }
        let text = match read_confined(self.files, path) {
            Ok(text) => text,
            Err(message) => {
                return Err(match from {
                    Some(pos) => self.invalid(pos, format!("cannot read `{path}`: {message}")),
                    None => Error::Read {
                        path: path.to_string(),
                        message,
                    },
                })
            }
        };
        let file = self.sources.add(path, &text);
        // No DTDs: roxmltree would expand internal entities (bounded, but a
        // few kilobytes can still expand to many megabytes), and WSDL and
        // XSD files have no use for them. A `<!DOCTYPE` is refused, so no
        // entity is ever defined or expanded (billion laughs, external
        // entities); only the predefined ones and character references are.
        fn options<'a>() -> roxmltree::ParsingOptions<'a> {
            roxmltree::ParsingOptions {
                allow_dtd: false,
                ..Default::default()
            }
        }
        // Undeclared prefixes in element and attribute names are declared
        // on the root (see the module doc), one trial parse per prefix.
        let mut declared: Vec<(String, String)> = Vec::new();
        let mut parsed_text = text.clone();
        let mut inserted = (0, 0);
        let syntax = |e: roxmltree::Error| {
            if let roxmltree::Error::DtdDetected = e {
                let at = text.find("<!DOCTYPE").unwrap_or(0);
                let (line, column) = crate::text::line_col(&text, at);
                return Error::Syntax {
                    location: crate::Location::at(path, line, column),
                    message: "a DTD (`<!DOCTYPE`) is not allowed in WSDL and XSD files; entities are never expanded".into(),
                };
            }
            let p = e.pos();
            Error::Syntax {
                location: crate::Location::at(path, p.row, p.col),
                message: e.to_string(),
            }
        };
        loop {
            let error = match Document::parse_with_options(&parsed_text, options()) {
                Ok(_) => break,
                Err(e) => e,
            };
            let roxmltree::Error::UnknownNamespace(prefix, p) = &error else {
                return Err(syntax(error));
            };
            let at = root_name_end(&text);
            if declared.len() >= 16 || declared.iter().any(|(d, _)| d == prefix) || at.is_none() {
                return Err(syntax(error));
            }
            let at = at.unwrap_or_default();
            let uri = conventional_namespace(prefix)
                .map_or(format!("{UNDECLARED_NS}{prefix}"), str::to_string);
            self.diagnostics.push(Diagnostic::warning(
                "wsdl:undeclared-prefix",
                crate::Location::at(path, p.row, p.col),
                format!("namespace prefix `{prefix}` is used but not declared; read as `{uri}`"),
            ));
            declared.push((prefix.clone(), uri));
            let decls: String = declared
                .iter()
                .map(|(p, u)| format!(" xmlns:{p}=\"{u}\""))
                .collect();
            parsed_text = format!("{}{decls}{}", &text[..at], &text[at..]);
            inserted = (at, decls.len());
        }
        let doc = Document::parse_with_options(&parsed_text, options()).map_err(syntax)?;
        let ctx = Ctx {
            file,
            path: path.to_string(),
            inserted,
        };
        let root = doc.root_element();
        let mut pending = Vec::new();
        if is(root, WSDL_NS, "definitions") {
            self.definitions(&ctx, root, &mut pending)?;
        } else if is(root, XSD_NS, "schema") {
            self.schema(&ctx, root, chameleon.as_deref(), &mut pending)?;
        } else if root.tag_name().namespace() == Some("http://www.w3.org/ns/wsdl") {
            return Err(self.invalid(
                ctx.pos(root),
                "WSDL 2.0 (`description`) is not supported; only WSDL 1.1",
            ));
        } else {
            return Err(self.invalid(
                ctx.pos(root),
                format!(
                    "not a WSDL 1.1 document: expected wsdl:definitions (`{WSDL_NS}`) or xs:schema, found `{}`{}",
                    root.tag_name().name(),
                    root.tag_name()
                        .namespace()
                        .map_or(String::new(), |ns| format!(" in `{ns}`"))
                ),
            ));
        }
        drop(doc);
        Ok(pending)
    }

    /// Resolves a QName attribute value with the declarations in scope.
    fn qname(&self, ctx: &Ctx, node: Node, value: &str) -> Result<QName, Error> {
        let value = value.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        let ns = match prefix {
            Some("xml") => Some("http://www.w3.org/XML/1998/namespace"),
            Some(p) => match node.lookup_namespace_uri(Some(p)) {
                Some(ns) => Some(ns),
                // `tns` conventionally names the target namespace.
                None if p == "tns" => {
                    let tns = node
                        .ancestors()
                        .find_map(|a| a.attribute("targetNamespace"))
                        .unwrap_or("");
                    self.late.borrow_mut().push(Diagnostic::warning(
                        "wsdl:undeclared-prefix",
                        self.sources.location(ctx.pos(node)),
                        format!("undeclared namespace prefix `tns` in `{value}`; read as the target namespace `{tns}`"),
                    ));
                    Some(tns)
                }
                None => {
                    // Degrades: nothing is defined in this namespace, so
                    // the reference does not resolve (warned again there).
                    self.late.borrow_mut().push(Diagnostic::warning(
                        "wsdl:undeclared-prefix",
                        self.sources.location(ctx.pos(node)),
                        format!("undeclared namespace prefix `{p}` in `{value}`"),
                    ));
                    return Ok(QName::new(&format!("{UNDECLARED_NS}{p}"), local));
                }
            },
            None => node.lookup_namespace_uri(None),
        };
        Ok(QName::new(canonical_ns(ns.unwrap_or("")), local))
    }

    fn attr_qname(&self, ctx: &Ctx, node: Node, attr: &str) -> Result<Option<QName>, Error> {
        node.attribute(attr)
            .map(|v| self.qname(ctx, node, v))
            .transpose()
    }

    fn required_attr<'n>(
        &self,
        ctx: &Ctx,
        node: Node<'n, '_>,
        attr: &str,
    ) -> Result<&'n str, Error> {
        node.attribute(attr).ok_or_else(|| {
            self.invalid(
                ctx.pos(node),
                format!("`{}` needs a `{attr}` attribute", node.tag_name().name()),
            )
        })
    }

    // --- WSDL -------------------------------------------------------------

    fn definitions(
        &mut self,
        ctx: &Ctx,
        root: Node,
        pending: &mut Vec<Pending>,
    ) -> Result<(), Error> {
        let tns = root.attribute("targetNamespace").unwrap_or("");
        if self.defs.doc.is_none() {
            self.defs.doc = documentation(root);
        }
        for node in root.children().filter(|n| n.is_element()) {
            if !is(node, WSDL_NS, node.tag_name().name()) {
                continue;
            }
            match node.tag_name().name() {
                "import" => {
                    let Some(location) = node.attribute("location") else {
                        self.degrade(
                            self.required_attr(ctx, node, "location").map(|_| ()),
                            "wsdl:import",
                        );
                        continue;
                    };
                    let namespace = node.attribute("namespace").unwrap_or("").to_string();
                    match self.resolve_location(ctx, node, location)? {
                        Some(path) => pending.push(Pending {
                            path,
                            from: Some(ctx.pos(node)),
                            chameleon: None,
                            namespace: Some(namespace),
                        }),
                        None => self.remote_unresolved(ctx, node, location, &namespace),
                    }
                }
                "types" => {
                    for child in children(node, XSD_NS) {
                        match child.tag_name().name() {
                            "schema" => {
                                let r = self.schema(ctx, child, None, pending);
                                self.degrade(r, "xs:schema");
                            }
                            // Not allowed by WSDL 1.1 (an import belongs in a
                            // schema), but published: read it as if it were.
                            "import" | "include" => {
                                self.diagnostics.push(Diagnostic::note(
                                    "wsdl:import-in-types",
                                    self.sources.location(ctx.pos(child)),
                                    format!(
                                        "xs:{} directly in wsdl:types is read as if it were inside an xs:schema",
                                        child.tag_name().name()
                                    ),
                                ));
                                if let Some(location) = child.attribute("schemaLocation") {
                                    let namespace =
                                        child.attribute("namespace").unwrap_or("").to_string();
                                    match self.resolve_location(ctx, child, location)? {
                                        Some(path) => pending.push(Pending {
                                            path,
                                            from: Some(ctx.pos(child)),
                                            chameleon: None,
                                            namespace: Some(namespace),
                                        }),
                                        None => {
                                            self.remote_unresolved(ctx, child, location, &namespace)
                                        }
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "message" => {
                    let r = self.message(ctx, node, tns);
                    self.degrade(r, "wsdl:message");
                }
                "portType" => {
                    let r = self.port_type(ctx, node, tns);
                    self.degrade(r, "wsdl:portType");
                }
                "binding" => {
                    let r = self.binding(ctx, node, tns);
                    self.degrade(r, "wsdl:binding");
                }
                "service" => {
                    let r = self.service(ctx, node, tns);
                    self.degrade(r, "wsdl:service");
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn message(&mut self, ctx: &Ctx, node: Node, tns: &str) -> Result<(), Error> {
        let name = QName::new(tns, self.required_attr(ctx, node, "name")?);
        let mut parts = Vec::new();
        for part in children(node, WSDL_NS).filter(|p| p.tag_name().name() == "part") {
            parts.push(Part {
                name: self.required_attr(ctx, part, "name")?.to_string(),
                element: self.attr_qname(ctx, part, "element")?,
                ty: self.attr_qname(ctx, part, "type")?,
                pos: ctx.pos(part),
            });
        }
        self.defs.messages.entry(name.clone()).or_insert(Message {
            name,
            parts,
            pos: ctx.pos(node),
        });
        Ok(())
    }

    fn port_type(&mut self, ctx: &Ctx, node: Node, tns: &str) -> Result<(), Error> {
        let name = QName::new(tns, self.required_attr(ctx, node, "name")?);
        let mut operations = Vec::new();
        for op in children(node, WSDL_NS).filter(|p| p.tag_name().name() == "operation") {
            let mut operation = PortOperation {
                name: self.required_attr(ctx, op, "name")?.to_string(),
                input: None,
                output: None,
                faults: Vec::new(),
                doc: documentation(op),
                pos: ctx.pos(op),
            };
            for io in children(op, WSDL_NS) {
                let message = self.attr_qname(ctx, io, "message")?;
                match io.tag_name().name() {
                    "input" => operation.input = message,
                    "output" => operation.output = message,
                    "fault" => {
                        if let Some(message) = message {
                            let fault_name =
                                io.attribute("name").unwrap_or(&message.local).to_string();
                            operation.faults.push((fault_name, message));
                        }
                    }
                    _ => {}
                }
            }
            operations.push(operation);
        }
        self.defs
            .port_types
            .entry(name.clone())
            .or_insert(PortType {
                name,
                operations,
                pos: ctx.pos(node),
            });
        Ok(())
    }

    fn binding(&mut self, ctx: &Ctx, node: Node, tns: &str) -> Result<(), Error> {
        let name = QName::new(tns, self.required_attr(ctx, node, "name")?);
        let type_attr = self.required_attr(ctx, node, "type")?;
        let port_type = self.qname(ctx, node, type_attr)?;
        let mut version = None;
        let mut style = Style::Document;
        for child in node.children().filter(|c| c.is_element()) {
            // The version comes from the namespace URI, never the prefix.
            let v = match child.tag_name().namespace() {
                Some(SOAP11_NS) => SoapVersion::V11,
                Some(SOAP12_NS) => SoapVersion::V12,
                _ => continue,
            };
            if child.tag_name().name() == "binding" {
                version = Some(v);
                if child.attribute("style") == Some("rpc") {
                    style = Style::Rpc;
                }
            }
        }
        let mut operations = Vec::new();
        for op in children(node, WSDL_NS).filter(|p| p.tag_name().name() == "operation") {
            let mut operation = BindingOperation {
                name: self.required_attr(ctx, op, "name")?.to_string(),
                action: String::new(),
                style: None,
                input: BindingIo::default(),
                output: BindingIo::default(),
                pos: ctx.pos(op),
            };
            for child in op.children().filter(|c| c.is_element()) {
                let soap = matches!(child.tag_name().namespace(), Some(SOAP11_NS | SOAP12_NS));
                if soap && child.tag_name().name() == "operation" {
                    operation.action = child.attribute("soapAction").unwrap_or("").to_string();
                    operation.style = match child.attribute("style") {
                        Some("rpc") => Some(Style::Rpc),
                        Some("document") => Some(Style::Document),
                        _ => None,
                    };
                } else if is(child, WSDL_NS, "input") {
                    operation.input = self.binding_io(ctx, child)?;
                } else if is(child, WSDL_NS, "output") {
                    operation.output = self.binding_io(ctx, child)?;
                }
            }
            operations.push(operation);
        }
        self.defs.bindings.entry(name.clone()).or_insert(Binding {
            name,
            port_type,
            version,
            style,
            operations,
            pos: ctx.pos(node),
        });
        Ok(())
    }

    fn binding_io(&self, ctx: &Ctx, node: Node) -> Result<BindingIo, Error> {
        let mut io = BindingIo::default();
        for child in node.children().filter(|c| c.is_element()) {
            if !matches!(child.tag_name().namespace(), Some(SOAP11_NS | SOAP12_NS)) {
                continue;
            }
            match child.tag_name().name() {
                "body" => {
                    io.body_parts = child
                        .attribute("parts")
                        .map(|p| p.split_whitespace().map(str::to_string).collect());
                    io.encoded = child.attribute("use") == Some("encoded");
                    io.namespace = child.attribute("namespace").map(str::to_string);
                    io.encoding_style = child.attribute("encodingStyle").map(str::to_string);
                }
                "header" => {
                    let message = self.required_attr(ctx, child, "message")?;
                    let message = self.qname(ctx, child, message)?;
                    let part = self.required_attr(ctx, child, "part")?.to_string();
                    io.headers.push((message, part, ctx.pos(child)));
                }
                _ => {}
            }
        }
        Ok(io)
    }

    fn service(&mut self, ctx: &Ctx, node: Node, tns: &str) -> Result<(), Error> {
        let name = QName::new(tns, self.required_attr(ctx, node, "name")?);
        let mut ports = Vec::new();
        for port in children(node, WSDL_NS).filter(|p| p.tag_name().name() == "port") {
            let binding = self.required_attr(ctx, port, "binding")?;
            let address = port
                .children()
                .find(|c| {
                    c.is_element()
                        && c.tag_name().name() == "address"
                        && matches!(c.tag_name().namespace(), Some(SOAP11_NS | SOAP12_NS))
                })
                .and_then(|a| a.attribute("location"))
                .map(str::to_string);
            ports.push(Port {
                name: self.required_attr(ctx, port, "name")?.to_string(),
                binding: self.qname(ctx, port, binding)?,
                address,
                pos: ctx.pos(port),
            });
        }
        self.defs
            .services
            .entry(name.clone())
            .or_insert(Service { name, ports });
        Ok(())
    }

    // --- XSD --------------------------------------------------------------

    fn schema(
        &mut self,
        ctx: &Ctx,
        node: Node,
        chameleon: Option<&str>,
        pending: &mut Vec<Pending>,
    ) -> Result<(), Error> {
        let tns = node
            .attribute("targetNamespace")
            .or(chameleon)
            .unwrap_or("")
            .to_string();
        let s = SchemaCtx {
            tns: tns.clone(),
            element_qualified: node.attribute("elementFormDefault") == Some("qualified"),
            attribute_qualified: node.attribute("attributeFormDefault") == Some("qualified"),
        };
        for child in children(node, XSD_NS) {
            let pos = ctx.pos(child);
            match child.tag_name().name() {
                "import" | "include" | "redefine" => {
                    let include = child.tag_name().name() != "import";
                    if child.tag_name().name() == "redefine" {
                        // Applied once every file is loaded (the redefined
                        // schema loads after this one).
                        for r in children(child, XSD_NS) {
                            match self.component(ctx, &s, r) {
                                Ok(Some(c)) => self.redefinitions.push((c, ctx.pos(r))),
                                Ok(None) => {}
                                Err(e) => self.degrade(Err(e), "a component of xs:redefine"),
                            }
                        }
                    }
                    // Without schemaLocation an import resolves by namespace
                    // within the schema set.
                    if let Some(location) = child.attribute("schemaLocation") {
                        let namespace = if include {
                            tns.clone()
                        } else {
                            canonical_ns(child.attribute("namespace").unwrap_or("")).to_string()
                        };
                        match self.resolve_location(ctx, child, location)? {
                            Some(path) => pending.push(Pending {
                                path,
                                from: Some(pos),
                                chameleon: include.then(|| tns.clone()),
                                namespace: Some(namespace),
                            }),
                            // The namespace may still come from another
                            // file of the set; if not, references into it
                            // degrade to raw XML / text (see types.rs).
                            None => self.remote_unresolved(ctx, child, location, &namespace),
                        }
                    }
                }
                "element" => match self.global_element(ctx, &s, child) {
                    Ok(decl) => {
                        self.schemas
                            .elements
                            .entry(decl.name.clone())
                            .or_insert(decl);
                    }
                    Err(e) => self.degrade(Err(e), "xs:element"),
                },
                "complexType" | "simpleType" | "group" | "attributeGroup" => {
                    let component = match self.component(ctx, &s, child) {
                        Ok(c) => c,
                        Err(e) => {
                            let what = format!("xs:{}", child.tag_name().name());
                            self.degrade(Err(e), &what);
                            None
                        }
                    };
                    match component {
                        Some(Component::Type(name, def)) => {
                            self.schemas.types.entry(name).or_insert(def);
                        }
                        Some(Component::Group(name, group)) => {
                            self.schemas.groups.entry(name).or_insert(group);
                        }
                        Some(Component::AttributeGroup(name, items)) => {
                            self.schemas.attribute_groups.entry(name).or_insert(items);
                        }
                        None => {}
                    }
                }
                "attribute" => {
                    let decl = self.required_attr(ctx, child, "name").and_then(|name| {
                        Ok(AttributeDecl {
                            name: QName::new(&tns, name),
                            ty: self.type_ref(ctx, &s, child)?,
                            doc: documentation(child),
                            pos,
                        })
                    });
                    match decl {
                        Ok(decl) => {
                            self.schemas
                                .attributes
                                .entry(decl.name.clone())
                                .or_insert(decl);
                        }
                        Err(e) => self.degrade(Err(e), "xs:attribute"),
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// A named complex type, simple type, group or attribute group (the
    /// components `xs:redefine` may hold).
    fn component(&self, ctx: &Ctx, s: &SchemaCtx, child: Node) -> Result<Option<Component>, Error> {
        let name = || -> Result<QName, Error> {
            Ok(QName::new(&s.tns, self.required_attr(ctx, child, "name")?))
        };
        Ok(match child.tag_name().name() {
            "complexType" => {
                let name = name()?;
                let ty = self.complex_type(ctx, s, child, Some(name.clone()))?;
                Some(Component::Type(name, TypeDef::Complex(ty)))
            }
            "simpleType" => {
                let name = name()?;
                let ty = self.simple_type(ctx, s, child, Some(name.clone()))?;
                Some(Component::Type(name, TypeDef::Simple(ty)))
            }
            "group" => {
                let name = name()?;
                children(child, XSD_NS)
                    .find(|c| matches!(c.tag_name().name(), "sequence" | "choice" | "all"))
                    .map(|c| self.particle(ctx, s, c))
                    .transpose()?
                    .map(|group| Component::Group(name, group))
            }
            "attributeGroup" => {
                let name = name()?;
                let (items, _) = self.attributes(ctx, s, child)?;
                Some(Component::AttributeGroup(name, items))
            }
            _ => None,
        })
    }

    /// Applies the `xs:redefine`s: each redefined component replaces the
    /// one of the redefined schema, which stays under a new name
    /// (`<Name>Original`) that the redefinition's reference to itself (its
    /// base, or its group reference) now points to.
    fn apply_redefinitions(&mut self) {
        for (component, pos) in std::mem::take(&mut self.redefinitions) {
            match component {
                Component::Type(name, mut def) => {
                    let Some(original) = self.schemas.types.remove(&name) else {
                        let e = self.invalid(pos, format!("xs:redefine of unknown type `{name}`"));
                        self.degrade(Err(e), "a redefinition");
                        continue;
                    };
                    let renamed = unique_name(&name, |q| self.schemas.types.contains_key(q));
                    rename_base(&mut def, &name, &renamed);
                    self.schemas.types.insert(renamed, original);
                    self.schemas.types.insert(name, def);
                }
                Component::Group(name, mut group) => {
                    let Some(original) = self.schemas.groups.remove(&name) else {
                        let e = self.invalid(pos, format!("xs:redefine of unknown group `{name}`"));
                        self.degrade(Err(e), "a redefinition");
                        continue;
                    };
                    let renamed = unique_name(&name, |q| self.schemas.groups.contains_key(q));
                    rename_group_ref(&mut group, &name, &renamed);
                    self.schemas.groups.insert(renamed, original);
                    self.schemas.groups.insert(name, group);
                }
                Component::AttributeGroup(name, mut items) => {
                    let Some(original) = self.schemas.attribute_groups.remove(&name) else {
                        let e = self.invalid(
                            pos,
                            format!("xs:redefine of unknown attribute group `{name}`"),
                        );
                        self.degrade(Err(e), "a redefinition");
                        continue;
                    };
                    let renamed =
                        unique_name(&name, |q| self.schemas.attribute_groups.contains_key(q));
                    for item in &mut items {
                        if let AttributeItem::Group(q, _) = item {
                            if *q == name {
                                *q = renamed.clone();
                            }
                        }
                    }
                    self.schemas.attribute_groups.insert(renamed, original);
                    self.schemas.attribute_groups.insert(name, items);
                }
            }
        }
    }

    /// The `type` attribute or the inline `simpleType`/`complexType`.
    fn type_ref(&self, ctx: &Ctx, s: &SchemaCtx, node: Node) -> Result<TypeRef, Error> {
        self.nest(ctx.pos(node), || self.type_ref_at(ctx, s, node))
    }

    fn type_ref_at(&self, ctx: &Ctx, s: &SchemaCtx, node: Node) -> Result<TypeRef, Error> {
        if let Some(t) = node.attribute("type") {
            return Ok(TypeRef::Named(self.qname(ctx, node, t)?, ctx.pos(node)));
        }
        if self.too_deep(ctx, node, "its type is read as raw XML (`xs:anyType`)") {
            return Ok(TypeRef::Unspecified);
        }
        for child in children(node, XSD_NS) {
            match child.tag_name().name() {
                "complexType" => {
                    return Ok(TypeRef::Inline(Box::new(TypeDef::Complex(
                        self.complex_type(ctx, s, child, None)?,
                    ))))
                }
                "simpleType" => {
                    return Ok(TypeRef::Inline(Box::new(TypeDef::Simple(
                        self.simple_type(ctx, s, child, None)?,
                    ))))
                }
                _ => {}
            }
        }
        Ok(TypeRef::Unspecified)
    }

    fn global_element(&self, ctx: &Ctx, s: &SchemaCtx, node: Node) -> Result<ElementDecl, Error> {
        Ok(ElementDecl {
            name: QName::new(&s.tns, self.required_attr(ctx, node, "name")?),
            ty: self.type_ref(ctx, s, node)?,
            nillable: node.attribute("nillable") == Some("true"),
            is_abstract: node.attribute("abstract") == Some("true"),
            substitution_group: self.attr_qname(ctx, node, "substitutionGroup")?,
            doc: documentation(node),
            pos: ctx.pos(node),
        })
    }

    fn occurs(&self, ctx: &Ctx, node: Node) -> Result<(u64, Max), Error> {
        let min = match node.attribute("minOccurs") {
            None => 1,
            Some(v) => v.trim().parse().map_err(|_| {
                self.invalid(ctx.pos(node), format!("minOccurs `{v}` is not a number"))
            })?,
        };
        let max = parse_max(node.attribute("maxOccurs")).ok_or_else(|| {
            self.invalid(
                ctx.pos(node),
                "maxOccurs is neither a number nor `unbounded`",
            )
        })?;
        Ok((min, max))
    }

    fn particle(&self, ctx: &Ctx, s: &SchemaCtx, node: Node) -> Result<Particle, Error> {
        self.nest(ctx.pos(node), || self.particle_at(ctx, s, node))
    }

    fn particle_at(&self, ctx: &Ctx, s: &SchemaCtx, node: Node) -> Result<Particle, Error> {
        let (min, max) = self.occurs(ctx, node)?;
        let pos = ctx.pos(node);
        if self.too_deep(ctx, node, "its content is read as raw XML (`xs:any`)") {
            return Ok(Particle {
                min,
                max,
                term: Term::Any,
            });
        }
        let term = match node.tag_name().name() {
            "element" => {
                if let Some(r) = node.attribute("ref") {
                    Term::Element(LocalElement::Ref(self.qname(ctx, node, r)?, pos))
                } else {
                    let local = self.required_attr(ctx, node, "name")?;
                    let qualified = match node.attribute("form") {
                        Some(form) => form == "qualified",
                        None => s.element_qualified,
                    };
                    let ns = if qualified { s.tns.as_str() } else { "" };
                    Term::Element(LocalElement::Decl {
                        name: QName::new(ns, local),
                        ty: self.type_ref(ctx, s, node)?,
                        nillable: node.attribute("nillable") == Some("true"),
                        doc: documentation(node),
                        pos,
                    })
                }
            }
            "sequence" | "choice" | "all" => {
                let mut items = Vec::new();
                for child in children(node, XSD_NS) {
                    if matches!(
                        child.tag_name().name(),
                        "element" | "sequence" | "choice" | "all" | "group" | "any"
                    ) {
                        items.push(self.particle(ctx, s, child)?);
                    }
                }
                match node.tag_name().name() {
                    "sequence" => Term::Sequence(items),
                    "choice" => Term::Choice(items),
                    _ => Term::All(items),
                }
            }
            "group" => {
                let r = self.required_attr(ctx, node, "ref")?;
                Term::GroupRef(self.qname(ctx, node, r)?, pos)
            }
            "any" => Term::Any,
            other => {
                return Err(self.invalid(pos, format!("unexpected `{other}` in a content model")))
            }
        };
        Ok(Particle { min, max, term })
    }

    /// Attributes, attribute group references and `anyAttribute` of a
    /// complex type, extension or attribute group.
    fn attributes(
        &self,
        ctx: &Ctx,
        s: &SchemaCtx,
        node: Node,
    ) -> Result<(Vec<AttributeItem>, bool), Error> {
        let mut items = Vec::new();
        let mut any = false;
        for child in children(node, XSD_NS) {
            let pos = ctx.pos(child);
            match child.tag_name().name() {
                "attribute" => {
                    if child.attribute("use") == Some("prohibited") {
                        continue;
                    }
                    let required = child.attribute("use") == Some("required");
                    if let Some(r) = child.attribute("ref") {
                        let array_type = child
                            .attribute((WSDL_NS, "arrayType"))
                            .map(|t| {
                                let t = t.split('[').next().unwrap_or(t);
                                self.qname(ctx, child, t)
                            })
                            .transpose()?;
                        items.push(AttributeItem::Ref {
                            name: self.qname(ctx, child, r)?,
                            required,
                            array_type,
                            pos,
                        });
                    } else {
                        let local = self.required_attr(ctx, child, "name")?;
                        let qualified = match child.attribute("form") {
                            Some(form) => form == "qualified",
                            None => s.attribute_qualified,
                        };
                        items.push(AttributeItem::Attribute {
                            decl: AttributeDecl {
                                name: QName::new(if qualified { &s.tns } else { "" }, local),
                                ty: self.type_ref(ctx, s, child)?,
                                doc: documentation(child),
                                pos,
                            },
                            required,
                        });
                    }
                }
                "attributeGroup" => {
                    let r = self.required_attr(ctx, child, "ref")?;
                    items.push(AttributeItem::Group(self.qname(ctx, child, r)?, pos));
                }
                "anyAttribute" => any = true,
                _ => {}
            }
        }
        Ok((items, any))
    }

    fn complex_type(
        &self,
        ctx: &Ctx,
        s: &SchemaCtx,
        node: Node,
        name: Option<QName>,
    ) -> Result<ComplexType, Error> {
        let mut ty = ComplexType {
            name,
            content: Content::Particle(None),
            attributes: Vec::new(),
            any_attribute: false,
            mixed: node.attribute("mixed") == Some("true"),
            is_abstract: node.attribute("abstract") == Some("true"),
            doc: documentation(node),
            pos: ctx.pos(node),
        };
        let (attributes, any) = self.attributes(ctx, s, node)?;
        ty.attributes = attributes;
        ty.any_attribute = any;
        for child in children(node, XSD_NS) {
            match child.tag_name().name() {
                "sequence" | "choice" | "all" | "group" => {
                    ty.content = Content::Particle(Some(self.particle(ctx, s, child)?));
                }
                kind @ ("complexContent" | "simpleContent") => {
                    if child.attribute("mixed") == Some("true") {
                        ty.mixed = true;
                    }
                    let Some(derivation) = children(child, XSD_NS)
                        .find(|d| matches!(d.tag_name().name(), "extension" | "restriction"))
                    else {
                        return Err(self.invalid(
                            ctx.pos(child),
                            format!("`{kind}` needs an extension or restriction"),
                        ));
                    };
                    let pos = ctx.pos(derivation);
                    let base_attr = self.required_attr(ctx, derivation, "base")?;
                    let base = self.qname(ctx, derivation, base_attr)?;
                    let (attributes, any) = self.attributes(ctx, s, derivation)?;
                    ty.attributes.extend(attributes);
                    ty.any_attribute |= any;
                    let particle = children(derivation, XSD_NS)
                        .find(|c| {
                            matches!(c.tag_name().name(), "sequence" | "choice" | "all" | "group")
                        })
                        .map(|c| self.particle(ctx, s, c))
                        .transpose()?;
                    ty.content = match (kind, derivation.tag_name().name()) {
                        ("simpleContent", _) => Content::Simple { base, pos },
                        (_, "extension") => Content::Extension {
                            base,
                            particle,
                            pos,
                        },
                        _ => Content::Restriction {
                            base,
                            particle,
                            pos,
                        },
                    };
                }
                _ => {}
            }
        }
        Ok(ty)
    }

    fn simple_type(
        &self,
        ctx: &Ctx,
        s: &SchemaCtx,
        node: Node,
        name: Option<QName>,
    ) -> Result<SimpleType, Error> {
        let pos = ctx.pos(node);
        let doc = documentation(node);
        if self.too_deep(ctx, node, "it is read as `xs:string`") {
            let string = QName::new(XSD_NS, "string");
            return Ok(SimpleType {
                name,
                kind: SimpleKind::Restriction {
                    base: TypeRef::Named(string, pos),
                    enumerations: Vec::new(),
                    facets: Vec::new(),
                },
                doc,
                pos,
            });
        }
        for child in children(node, XSD_NS) {
            let kind = match child.tag_name().name() {
                "restriction" => {
                    let base = match child.attribute("base") {
                        Some(b) => TypeRef::Named(self.qname(ctx, child, b)?, ctx.pos(child)),
                        None => self.type_ref(ctx, s, child)?,
                    };
                    let enumerations = children(child, XSD_NS)
                        .filter(|e| e.tag_name().name() == "enumeration")
                        .filter_map(|e| {
                            e.attribute("value")
                                .map(|v| (v.to_string(), documentation(e)))
                        })
                        .collect();
                    let facets = children(child, XSD_NS)
                        .filter(|f| {
                            !matches!(
                                f.tag_name().name(),
                                "enumeration" | "annotation" | "simpleType"
                            )
                        })
                        .filter_map(|f| {
                            let value = f.attribute("value")?;
                            Some((f.tag_name().name().to_string(), value.to_string()))
                        })
                        .collect();
                    SimpleKind::Restriction {
                        base,
                        enumerations,
                        facets,
                    }
                }
                "list" => {
                    let item = match child.attribute("itemType") {
                        Some(t) => TypeRef::Named(self.qname(ctx, child, t)?, ctx.pos(child)),
                        None => self.type_ref(ctx, s, child)?,
                    };
                    SimpleKind::List { item }
                }
                "union" => {
                    let mut members = Vec::new();
                    for m in child
                        .attribute("memberTypes")
                        .unwrap_or("")
                        .split_whitespace()
                    {
                        members.push(TypeRef::Named(self.qname(ctx, child, m)?, ctx.pos(child)));
                    }
                    for inline in
                        children(child, XSD_NS).filter(|c| c.tag_name().name() == "simpleType")
                    {
                        members.push(TypeRef::Inline(Box::new(TypeDef::Simple(
                            self.simple_type(ctx, s, inline, None)?,
                        ))));
                    }
                    SimpleKind::Union { members }
                }
                _ => continue,
            };
            return Ok(SimpleType {
                name,
                kind,
                doc,
                pos,
            });
        }
        Err(self.invalid(pos, "simpleType needs a restriction, list or union"))
    }
}

/// Local paths that may hold a copy of the remote `url_rest` (the URL
/// without its scheme): for each folder from `importer`'s up to (not
/// including) the file source's root, the URL path with 0, 1, … leading
/// segments dropped; a last segment without an extension is also tried
/// with `.xsd`.
fn remote_candidates(importer: &str, url_rest: &str) -> Vec<String> {
    let path = url_rest.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    let Some(last) = segments.last() else {
        return Vec::new();
    };
    let mut tails: Vec<String> = (0..segments.len())
        .map(|i| segments[i..].join("/"))
        .collect();
    if !last.contains('.') {
        let with_ext: Vec<String> = tails.iter().map(|t| format!("{t}.xsd")).collect();
        tails.extend(with_ext);
    }
    let mut dirs: Vec<&str> = importer.split('/').collect();
    dirs.pop();
    let mut out = Vec::new();
    while !dirs.is_empty() {
        let dir = dirs.join("/");
        out.extend(tails.iter().map(|t| format!("{dir}/{t}")));
        dirs.pop();
    }
    out
}

/// A component `xs:redefine` can hold.
enum Component {
    Type(QName, TypeDef),
    Group(QName, Particle),
    AttributeGroup(QName, Vec<AttributeItem>),
}

/// `<local>Original` (then `Original2`, …) in `q`'s namespace, not taken.
fn unique_name(q: &QName, taken: impl Fn(&QName) -> bool) -> QName {
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { n.to_string() };
        let candidate = QName::new(&q.ns, &format!("{}Original{suffix}", q.local));
        if !taken(&candidate) {
            return candidate;
        }
        n += 1;
    }
}

/// Points a redefined type's derivation from `from` (itself) to `to`.
fn rename_base(def: &mut TypeDef, from: &QName, to: &QName) {
    match def {
        TypeDef::Complex(c) => match &mut c.content {
            Content::Extension { base, .. }
            | Content::Restriction { base, .. }
            | Content::Simple { base, .. } => {
                if base == from {
                    *base = to.clone();
                }
            }
            Content::Particle(_) => {}
        },
        TypeDef::Simple(s) => {
            if let SimpleKind::Restriction {
                base: TypeRef::Named(q, _),
                ..
            } = &mut s.kind
            {
                if q == from {
                    *q = to.clone();
                }
            }
        }
    }
}

/// Points a redefined group's reference to `from` (itself) to `to`.
fn rename_group_ref(p: &mut Particle, from: &QName, to: &QName) {
    match &mut p.term {
        Term::GroupRef(q, _) if q == from => *q = to.clone(),
        Term::Sequence(items) | Term::Choice(items) | Term::All(items) => {
            for item in items {
                rename_group_ref(item, from, to);
            }
        }
        _ => {}
    }
}

/// Per-schema settings that qualify local names.
struct SchemaCtx {
    tns: String,
    element_qualified: bool,
    attribute_qualified: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryFiles;

    fn load_one(text: &str) -> Result<Loaded, Error> {
        let files = MemoryFiles::new().with("x/svc.wsdl", text);
        load(&files, &["x/svc.wsdl".to_string()], &BTreeMap::new())
    }

    #[test]
    fn dtds_are_refused_and_entities_never_expanded() {
        let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">
  <wsdl:documentation>&lol3;</wsdl:documentation>
</wsdl:definitions>"#;
        let external = r#"<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t">
  <wsdl:documentation>&xxe;</wsdl:documentation>
</wsdl:definitions>"#;
        let harmless =
            "<!DOCTYPE definitions>\n<definitions xmlns=\"http://schemas.xmlsoap.org/wsdl/\"/>";
        for (text, line) in [(billion_laughs, 2), (external, 2), (harmless, 1)] {
            let Err(err) = load_one(text) else {
                panic!("a DTD was accepted: {text}")
            };
            let message = err.to_string();
            assert!(
                message.starts_with(&format!("x/svc.wsdl:{line}:1: a DTD")),
                "{message}"
            );
            assert!(!message.contains("lollol"), "{message}");
        }
        // An entity that is not defined is an error too, not an expansion;
        // predefined entities and character references still read.
        let undefined = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t"><wsdl:documentation>&xxe;</wsdl:documentation></wsdl:definitions>"#;
        let err = load_one(undefined).err().expect("undefined entity read");
        assert!(err.to_string().starts_with("x/svc.wsdl:1:"), "{err}");
        let predefined = r#"<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:t"><wsdl:documentation>a &amp; b &#x41;</wsdl:documentation></wsdl:definitions>"#;
        let loaded = load_one(predefined).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.defs.doc.as_deref(), Some("a & b A"));
    }

    #[test]
    fn import_cycles_and_long_chains_load_without_recursion() {
        // a → b → a (a cycle), and a chain of 20,000 includes.
        let mut files = MemoryFiles::new()
            .with(
                "a.xsd",
                r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a"><xs:import namespace="urn:b" schemaLocation="b.xsd"/><xs:element name="A" type="xs:string"/></xs:schema>"#,
            )
            .with(
                "b.xsd",
                r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b"><xs:import namespace="urn:a" schemaLocation="a.xsd"/><xs:element name="B" type="xs:string"/></xs:schema>"#,
            );
        let loaded = load(&files, &["a.xsd".to_string()], &BTreeMap::new()).unwrap();
        assert_eq!(loaded.schemas.elements.len(), 2);
        let n = 20_000;
        for i in 0..n {
            files = files.with(
                &format!("c/{i}.xsd"),
                &format!(
                    r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:c"><xs:include schemaLocation="{}.xsd"/><xs:element name="E{i}" type="xs:string"/></xs:schema>"#,
                    i + 1
                ),
            );
        }
        files = files.with(
            &format!("c/{n}.xsd"),
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:c"/>"#,
        );
        let loaded = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                load(&files, &["c/0.xsd".to_string()], &BTreeMap::new())
                    .map(|l| l.schemas.elements.len())
            })
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert_eq!(loaded, n);
    }
}
