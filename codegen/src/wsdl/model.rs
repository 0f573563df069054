//! The WSDL 1.1 + XSD model the loader builds: owned, keyed by QName in
//! `BTreeMap`s so every walk over it is in a fixed order.
//!
//! The model keeps what the spec says (sequence, choice, all, groups,
//! substitution groups, rpc style, `use`), even where the generator does
//! not use it yet, so later work (issue 5) extends the generator only.

use std::collections::BTreeMap;
use std::fmt;

use crate::Location;

/// A namespace-qualified name; `ns` is empty for no namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct QName {
    pub ns: String,
    pub local: String,
}

impl QName {
    pub fn new(ns: &str, local: &str) -> Self {
        QName {
            ns: ns.to_string(),
            local: local.to_string(),
        }
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() {
            f.write_str(&self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

/// A place in a loaded file: index into [`Sources`] and byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub file: usize,
    pub offset: usize,
}

/// The files read so far, to turn a [`Pos`] into a [`Location`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<(String, Vec<usize>, String)>,
}

impl Sources {
    /// Registers a file; returns its index.
    pub fn add(&mut self, path: &str, text: &str) -> usize {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        self.files
            .push((path.to_string(), starts, text.to_string()));
        self.files.len() - 1
    }

    pub fn path(&self, file: usize) -> &str {
        self.files.get(file).map_or("", |f| f.0.as_str())
    }

    /// File, 1-based line and column (in characters).
    pub fn location(&self, pos: Pos) -> Location {
        let Some((path, starts, text)) = self.files.get(pos.file) else {
            return Location::default();
        };
        let line = starts.partition_point(|&s| s <= pos.offset).max(1);
        let start = starts[line - 1];
        let column = text
            .get(start..pos.offset.min(text.len()))
            .map_or(0, |s| s.chars().count());
        Location::at(path, line as u32, column as u32 + 1)
    }
}

/// `maxOccurs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Max {
    Bounded(u64),
    Unbounded,
}

impl Max {
    pub fn many(self) -> bool {
        !matches!(self, Max::Bounded(0 | 1))
    }
}

/// Every schema of the set, merged: one namespace-qualified name space per
/// kind of component.
#[derive(Debug, Default)]
pub struct SchemaSet {
    pub elements: BTreeMap<QName, ElementDecl>,
    pub types: BTreeMap<QName, TypeDef>,
    pub groups: BTreeMap<QName, Particle>,
    pub attribute_groups: BTreeMap<QName, Vec<AttributeItem>>,
    pub attributes: BTreeMap<QName, AttributeDecl>,
    /// Namespaces imported from a remote location that was not resolved;
    /// a reference into one that the set does not define degrades (raw
    /// XML for types and elements, text for attributes) with a warning.
    pub unresolved: std::collections::BTreeSet<String>,
}

/// A global `xs:element`.
#[derive(Debug, Clone)]
pub struct ElementDecl {
    pub name: QName,
    pub ty: TypeRef,
    pub nillable: bool,
    pub is_abstract: bool,
    pub substitution_group: Option<QName>,
    pub doc: Option<String>,
    pub pos: Pos,
}

/// The type of an element or attribute.
#[derive(Debug, Clone)]
pub enum TypeRef {
    Named(QName, Pos),
    Inline(Box<TypeDef>),
    /// No type given: `xs:anyType` (elements) or `xs:anySimpleType`.
    Unspecified,
}

#[derive(Debug, Clone)]
pub enum TypeDef {
    Simple(SimpleType),
    Complex(ComplexType),
}

impl TypeDef {
    pub fn pos(&self) -> Pos {
        match self {
            TypeDef::Simple(s) => s.pos,
            TypeDef::Complex(c) => c.pos,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SimpleType {
    pub name: Option<QName>,
    pub kind: SimpleKind,
    pub doc: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum SimpleKind {
    /// A restriction; `enumerations` are the `xs:enumeration` values with
    /// their documentation.
    Restriction {
        base: TypeRef,
        enumerations: Vec<(String, Option<String>)>,
        /// The other facets (`maxLength`, `pattern`, …) as `(facet,
        /// value)`, in order; kept as documentation, not checked.
        facets: Vec<(String, String)>,
    },
    List {
        item: TypeRef,
    },
    Union {
        members: Vec<TypeRef>,
    },
}

#[derive(Debug, Clone)]
pub struct ComplexType {
    pub name: Option<QName>,
    pub content: Content,
    pub attributes: Vec<AttributeItem>,
    pub any_attribute: bool,
    pub mixed: bool,
    pub is_abstract: bool,
    pub doc: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Content {
    /// Element content directly in the type (or none).
    Particle(Option<Particle>),
    /// `complexContent/extension`: the base's content, then this.
    Extension {
        base: QName,
        particle: Option<Particle>,
        pos: Pos,
    },
    /// `complexContent/restriction`: this content replaces the base's.
    Restriction {
        base: QName,
        particle: Option<Particle>,
        pos: Pos,
    },
    /// `simpleContent`: a text value of (a type derived from) `base`.
    Simple { base: QName, pos: Pos },
}

#[derive(Debug, Clone)]
pub struct Particle {
    pub min: u64,
    pub max: Max,
    pub term: Term,
}

#[derive(Debug, Clone)]
pub enum Term {
    Element(LocalElement),
    Sequence(Vec<Particle>),
    Choice(Vec<Particle>),
    All(Vec<Particle>),
    GroupRef(QName, Pos),
    /// `xs:any`.
    Any,
}

#[derive(Debug, Clone)]
pub enum LocalElement {
    Decl {
        /// Qualified per `form` / `elementFormDefault`.
        name: QName,
        ty: TypeRef,
        nillable: bool,
        doc: Option<String>,
        pos: Pos,
    },
    Ref(QName, Pos),
}

#[derive(Debug, Clone)]
pub enum AttributeItem {
    Attribute {
        decl: AttributeDecl,
        required: bool,
    },
    Ref {
        name: QName,
        required: bool,
        /// `wsdl:arrayType` (on `soapenc:arrayType`), brackets removed.
        array_type: Option<QName>,
        pos: Pos,
    },
    Group(QName, Pos),
}

#[derive(Debug, Clone)]
pub struct AttributeDecl {
    /// Qualified per `form` / `attributeFormDefault` (global ones always).
    pub name: QName,
    pub ty: TypeRef,
    pub doc: Option<String>,
    pub pos: Pos,
}

// --- WSDL ---------------------------------------------------------------

#[derive(Debug, Default)]
pub struct Definitions {
    pub messages: BTreeMap<QName, Message>,
    pub port_types: BTreeMap<QName, PortType>,
    pub bindings: BTreeMap<QName, Binding>,
    pub services: BTreeMap<QName, Service>,
    /// `wsdl:documentation` of the entry file's definitions.
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub name: QName,
    pub parts: Vec<Part>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    pub element: Option<QName>,
    pub ty: Option<QName>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct PortType {
    pub name: QName,
    pub operations: Vec<PortOperation>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct PortOperation {
    pub name: String,
    pub input: Option<QName>,
    pub output: Option<QName>,
    /// `(fault name, message)`.
    pub faults: Vec<(String, QName)>,
    pub doc: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoapVersion {
    V11,
    V12,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Document,
    Rpc,
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub name: QName,
    pub port_type: QName,
    /// `None` for a binding that is not SOAP (e.g. HTTP GET/POST).
    pub version: Option<SoapVersion>,
    pub style: Style,
    pub operations: Vec<BindingOperation>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub struct BindingOperation {
    pub name: String,
    pub action: String,
    pub style: Option<Style>,
    pub input: BindingIo,
    pub output: BindingIo,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default)]
pub struct BindingIo {
    /// `soap:body parts`; `None` means all parts not bound to headers.
    pub body_parts: Option<Vec<String>>,
    /// `use="encoded"`.
    pub encoded: bool,
    /// `soap:body namespace` (rpc).
    pub namespace: Option<String>,
    /// `soap:body encodingStyle` (encoded).
    pub encoding_style: Option<String>,
    /// `(message, part)` of each `soap:header`.
    pub headers: Vec<(QName, String, Pos)>,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: QName,
    pub ports: Vec<Port>,
}

#[derive(Debug, Clone)]
pub struct Port {
    pub name: String,
    pub binding: QName,
    pub address: Option<String>,
    pub pos: Pos,
}
