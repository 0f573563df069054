//! XSD → Rust items: every global type and every element with an inline
//! type becomes one item with a unique name.
//!
//! - complexType → struct (sequence/all in order; a choice of two or more
//!   branches becomes an enum held by one field, a sequence branch a
//!   struct without an element of its own; complexContent extension flattens the base's fields
//!   first; restriction uses its own content; simpleContent keeps the text
//!   as `value` beside the attributes).
//! - A complexType whose only content is one repeated element (`ArrayOfX`,
//!   WCF dictionaries) → a newtype over `Vec`.
//! - Enumerations → enums with an `Other(String)` variant that keeps
//!   unknown values; `xs:list` → `XsList<T>`; unions → `String`.
//! - `xs:anyType` → `AnyContent`, `xs:any` → `Vec<AnyElement>`,
//!   `xs:anyAttribute` → `Vec<AnyAttribute>`.
//! - A reference to a substitution group's head → an enum of the elements
//!   that may stand there; a `soapenc:Array` restriction → a newtype over
//!   `Vec` written with `soapenc:arrayType`.
//! - A reference into a namespace whose remote schema was not loaded →
//!   raw XML (text for attributes), with a warning.
//! - Names: global types first, then elements with inline types (an
//!   element that shares its type's name becomes `<Name>Element`), then
//!   inline types of local elements. The same local name in two
//!   namespaces gets a numeric suffix.

use std::collections::{BTreeMap, BTreeSet};

use super::load::{SOAPENC_NS, XSD_NS};
use super::model::*;
use crate::naming::{rust_name, Case, Namer};
use crate::{Diagnostic, Error};

/// The Rust type of a field, attribute, header or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RustTy {
    /// A built-in: `String`, `i32`, `bool`, …
    Builtin(&'static str),
    /// A generated item (index into [`TypeTable::items`]).
    Item(usize),
    /// `xs:list` of the inner type.
    List(Box<RustTy>),
    /// `xs:anyType` content kept as raw XML.
    AnyContent,
    /// A struct generated outside the table (an rpc wrapper), by name.
    Local(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurs {
    One,
    Optional,
    Many,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust: String,
    pub xml: QName,
    pub ty: RustTy,
    pub occurs: Occurs,
    pub nillable: bool,
    pub kind: FieldKind,
    pub doc: Option<String>,
    /// Set for fields that would make the type infinitely large.
    pub boxed: bool,
    /// The named XSD type, written as `xsi:type` in encoded operations.
    pub xsi: Option<QName>,
    /// Every element name the field reads (a substitution group's head and
    /// members); empty: just `xml`.
    pub alternatives: Vec<QName>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Element,
    Attribute,
    /// `xs:any`: every element no other field takes.
    Any,
    /// `xs:anyAttribute`: every attribute no other field takes.
    AnyAttribute,
    /// Content without an element of its own, read and written through
    /// `soap::XmlContent`: a choice (its type an [`ItemKind::Choice`]) or
    /// a sequence inside a choice (an [`ItemKind::Group`]).
    Content,
}

#[derive(Debug, Clone)]
pub enum ItemKind {
    Struct {
        fields: Vec<Field>,
        /// simpleContent: the type of the text value.
        text: Option<RustTy>,
    },
    /// One repeated child element, as a newtype over `Vec`.
    Wrapper {
        item_xml: QName,
        item: RustTy,
        nillable: bool,
        doc: Option<String>,
    },
    /// A SOAP-encoded array (a `soapenc:Array` restriction): a newtype
    /// over `Vec` written with `soapenc:arrayType`.
    SoapArray {
        item: RustTy,
        /// The item type's XSD name (`soapenc:arrayType` without `[]`).
        item_type: QName,
    },
    /// The elements that may stand where a substitution group's head is
    /// referenced: the head (unless abstract) and every member, each with
    /// its own type.
    Substitution {
        /// `(variant, element, type)`.
        variants: Vec<(String, QName, RustTy)>,
    },
    /// An `xs:choice` of two or more branches: one variant per branch, each
    /// a field (an element, or a [`FieldKind::Content`] field whose type is
    /// a [`ItemKind::Group`] for a sequence, group or nested choice).
    Choice {
        /// `(variant, field)`.
        variants: Vec<(String, Field)>,
    },
    /// A sequence (or `all`, group reference, nested choice) that is one
    /// branch of a choice: a struct without an element of its own.
    Group {
        fields: Vec<Field>,
    },
    Enum {
        /// `(variant, value, doc)`.
        values: Vec<(String, String, Option<String>)>,
    },
    Alias(RustTy),
}

#[derive(Debug, Clone)]
pub struct Item {
    pub rust: String,
    pub kind: ItemKind,
    pub doc: Option<String>,
    /// Where the item comes from, e.g. ``complex type `{ns}Name` ``.
    pub source: String,
    pub pos: Pos,
    /// The traits every field supports, so the item may derive them.
    pub traits: Traits,
}

/// Traits beyond `Debug`, `Clone` and `PartialEq` (which every generated
/// type derives) that a type supports. Decided here, for every item, by
/// one fixpoint ([`TypeTable::ty_traits`] for a field list), and turned into
/// derives by `gen::derives` alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Traits {
    /// `Default`: every required field has a default.
    pub default: bool,
    /// `Eq` and `Hash`: no field holds a float.
    pub eq_hash: bool,
}

impl Traits {
    pub const ALL: Traits = Traits {
        default: true,
        eq_hash: true,
    };

    fn and(self, other: Traits) -> Traits {
        Traits {
            default: self.default && other.default,
            eq_hash: self.eq_hash && other.eq_hash,
        }
    }
}

/// All items of the schema set, with lookups by QName.
pub struct TypeTable {
    pub items: Vec<Item>,
    pub named: BTreeMap<QName, usize>,
    pub elements: BTreeMap<QName, usize>,
}

struct Builder<'a> {
    schemas: &'a SchemaSet,
    sources: &'a Sources,
    namer: Namer,
    /// Lowercased names of global components, so inline types of local
    /// elements avoid them.
    global_names: BTreeSet<String>,
    items: Vec<Item>,
    named: BTreeMap<QName, usize>,
    elements: BTreeMap<QName, usize>,
    /// Head element → its members, transitively, in name order.
    substitutes: BTreeMap<QName, Vec<QName>>,
    /// Head element → its `Substitution` item.
    substitution_items: BTreeMap<QName, usize>,
    diagnostics: Vec<Diagnostic>,
}

/// How deep group references may nest (a deeper one refers to itself).
const MAX_GROUP_DEPTH: usize = 32;

/// The Rust type of `xs:decimal`; a module that uses it depends on
/// `rust_decimal` (`Output::crates`).
pub const DECIMAL: &str = "::rust_decimal::Decimal";

fn builtin(local: &str) -> RustTy {
    RustTy::Builtin(match local {
        "boolean" => "bool",
        "float" => "f32",
        "double" => "f64",
        "byte" => "i8",
        "short" => "i16",
        "int" => "i32",
        "long" => "i64",
        // Unbounded in XSD: 128 bits, a larger value is a decode error.
        "integer" | "nonPositiveInteger" | "negativeInteger" => "i128",
        "unsignedByte" => "u8",
        "unsignedShort" => "u16",
        "unsignedInt" => "u32",
        "unsignedLong" => "u64",
        "nonNegativeInteger" | "positiveInteger" => "u128",
        // Paths (see `gen::Gen::ty`); `rust_decimal` is reported in
        // `Output::crates`, the others are the runtime's.
        "decimal" => DECIMAL,
        "dateTime" => "soap::xsd::DateTime",
        "date" => "soap::xsd::Date",
        "time" => "soap::xsd::Time",
        "duration" => "soap::xsd::Duration",
        "base64Binary" => "soap::xsd::Base64Binary",
        "hexBinary" => "soap::xsd::HexBinary",
        // `soapenc:Array` / `soapenc:Struct` used directly as a type.
        "anyType" | "Array" | "Struct" => return RustTy::AnyContent,
        _ => "String",
    })
}

/// Whether an `xs:choice` with these branches becomes an enum: two or
/// more branches and no `xs:any` in them (which would take the elements
/// after the choice too); otherwise its branches are optional fields.
fn typed_choice(branches: &[Particle]) -> bool {
    fn has_any(p: &Particle) -> bool {
        match &p.term {
            Term::Any => true,
            Term::Sequence(items) | Term::All(items) | Term::Choice(items) => {
                items.iter().any(has_any)
            }
            Term::Element(_) | Term::GroupRef(..) => false,
        }
    }
    branches.len() >= 2 && !branches.iter().any(has_any)
}

/// Every head element's substitution group members, transitively (a
/// member of a member is a member), each list in name order.
fn substitution_members(schemas: &SchemaSet) -> BTreeMap<QName, Vec<QName>> {
    let mut out: BTreeMap<QName, Vec<QName>> = BTreeMap::new();
    for decl in schemas.elements.values() {
        let mut head = decl.substitution_group.as_ref();
        let mut seen = BTreeSet::new();
        while let Some(h) = head {
            if !seen.insert(h.clone()) {
                break;
            }
            out.entry(h.clone()).or_default().push(decl.name.clone());
            head = schemas
                .elements
                .get(h)
                .and_then(|e| e.substitution_group.as_ref());
        }
    }
    for members in out.values_mut() {
        members.sort();
        members.dedup();
    }
    out
}

/// The documentation of a simple type, followed by its facets (which are
/// not checked).
fn facet_doc(s: &SimpleType) -> Option<String> {
    let facets = match &s.kind {
        SimpleKind::Restriction { facets, .. } if !facets.is_empty() => facets,
        _ => return s.doc.clone(),
    };
    let list = facets
        .iter()
        .map(|(facet, value)| format!("`{facet}` `{value}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let line = format!("Facets (not checked): {list}.");
    Some(match &s.doc {
        Some(doc) => format!("{doc}\n\n{line}"),
        None => line,
    })
}

/// The name of a named type.
fn named(t: &TypeRef) -> Option<QName> {
    match t {
        TypeRef::Named(q, _) => Some(q.clone()),
        _ => None,
    }
}

/// XSD and SOAP-encoding names are built-in types.
fn builtin_ns(ns: &str) -> bool {
    ns == XSD_NS || ns == SOAPENC_NS
}

/// Builds the items for every global type and element of `schemas`.
pub fn build(
    schemas: &SchemaSet,
    sources: &Sources,
) -> Result<(TypeTable, Vec<Diagnostic>), Error> {
    let mut b = Builder {
        schemas,
        sources,
        namer: Namer::new(),
        global_names: BTreeSet::new(),
        items: Vec::new(),
        named: BTreeMap::new(),
        elements: BTreeMap::new(),
        substitutes: substitution_members(schemas),
        substitution_items: BTreeMap::new(),
        diagnostics: Vec::new(),
    };
    // The module's own names. Prelude names (`Option`, `String`, …) stay
    // free: generated code refers to std/core items by absolute paths, so a
    // schema type called `Option` shadows nothing (the hygiene fixture).
    for name in ["InputHeaders", "OutputHeaders"] {
        b.namer.reserve(name);
    }
    for q in schemas.types.keys().chain(schemas.elements.keys()) {
        b.global_names
            .insert(rust_name(&q.local, Case::Pascal).to_ascii_lowercase());
    }
    // Reserve indexes first so references and recursion resolve.
    for (q, def) in &schemas.types {
        let rust = b.namer.name(&q.local, Case::Pascal);
        let kind = if matches!(def, TypeDef::Simple(_)) {
            "simple type"
        } else {
            "complex type"
        };
        let idx = b.placeholder(rust, format!("XSD {kind} `{q}`"), def.pos());
        b.named.insert(q.clone(), idx);
    }
    let type_names: BTreeSet<String> = schemas
        .types
        .keys()
        .map(|t| rust_name(&t.local, Case::Pascal))
        .collect();
    for (q, decl) in &schemas.elements {
        if let TypeRef::Inline(_) = decl.ty {
            let base = rust_name(&q.local, Case::Pascal);
            let rust = if type_names.contains(&base) {
                b.namer.name(&format!("{}Element", q.local), Case::Pascal)
            } else {
                b.namer.name(&q.local, Case::Pascal)
            };
            let idx = b.placeholder(rust, format!("XSD element `{q}`"), decl.pos);
            b.elements.insert(q.clone(), idx);
        }
    }
    for (q, def) in &schemas.types {
        let idx = b.named[q];
        b.fill(idx, def)?;
    }
    for (q, decl) in &schemas.elements {
        if let (TypeRef::Inline(def), Some(&idx)) = (&decl.ty, b.elements.get(q)) {
            b.fill(idx, def)?;
            if b.items[idx].doc.is_none() {
                b.items[idx].doc = decl.doc.clone();
            }
        }
    }
    // Every element's named type must exist, referenced or not.
    for decl in schemas.elements.values() {
        if let TypeRef::Named(q, pos) = &decl.ty {
            if !builtin_ns(&q.ns) && !b.named.contains_key(q) {
                b.missing("type", q, *pos, "kept as raw XML")?;
            }
        }
    }
    b.break_alias_cycles();
    b.box_recursion();
    b.derive_traits();
    Ok((
        TypeTable {
            items: b.items,
            named: b.named,
            elements: b.elements,
        },
        b.diagnostics,
    ))
}

/// The traits of type `ty` given the items' current traits.
fn ty_traits(items: &[Item], ty: &RustTy) -> Traits {
    match ty {
        RustTy::Builtin("f32" | "f64") => Traits {
            default: true,
            eq_hash: false,
        },
        RustTy::Item(j) => items[*j].traits,
        RustTy::List(inner) => Traits {
            default: true,
            ..ty_traits(items, inner)
        },
        RustTy::Builtin(_) | RustTy::AnyContent => Traits::ALL,
        // rpc wrappers are never fields of schema types.
        RustTy::Local(_) => Traits::ALL,
    }
}

/// The traits a struct with `fields` (and simpleContent `text`) supports:
/// `Default` when every required field has one (an `Option` or `Vec`
/// always has), `Eq`/`Hash` when every field has them.
fn fields_traits(items: &[Item], fields: &[Field], text: Option<&RustTy>) -> Traits {
    let mut out = text.map_or(Traits::ALL, |t| ty_traits(items, t));
    for f in fields {
        let t = ty_traits(items, &f.ty);
        let required = f.occurs == Occurs::One && !f.nillable;
        out = out.and(Traits {
            default: t.default || !required,
            eq_hash: t.eq_hash,
        });
    }
    out
}

/// The traits of an item of kind `kind` given the items' current traits.
fn item_traits(items: &[Item], kind: &ItemKind) -> Traits {
    let no_default = |t: Traits| Traits {
        default: false,
        ..t
    };
    match kind {
        ItemKind::Struct { fields, text } => fields_traits(items, fields, text.as_ref()),
        ItemKind::Group { fields } => fields_traits(items, fields, None),
        ItemKind::Choice { variants } => {
            no_default(variants.iter().fold(Traits::ALL, |acc, (_, f)| {
                acc.and(Traits {
                    default: true,
                    ..ty_traits(items, &f.ty)
                })
            }))
        }
        ItemKind::Wrapper { item, .. } | ItemKind::SoapArray { item, .. } => Traits {
            default: true,
            ..ty_traits(items, item)
        },
        ItemKind::Substitution { variants } => no_default(
            variants
                .iter()
                .fold(Traits::ALL, |acc, (_, _, t)| acc.and(ty_traits(items, t))),
        ),
        ItemKind::Enum { .. } => no_default(Traits::ALL),
        ItemKind::Alias(t) => ty_traits(items, t),
    }
}

impl TypeTable {
    /// The traits a struct with these fields supports (rpc wrappers).
    pub fn fields_traits(&self, fields: &[Field]) -> Traits {
        fields_traits(&self.items, fields, None)
    }

    /// The traits of one type.
    pub fn ty_traits(&self, ty: &RustTy) -> Traits {
        ty_traits(&self.items, ty)
    }

    /// The type of global element `name`.
    pub fn element_ty(&self, schemas: &SchemaSet, name: &QName) -> Option<RustTy> {
        if let Some(&idx) = self.elements.get(name) {
            return Some(RustTy::Item(idx));
        }
        let Some(decl) = schemas.elements.get(name) else {
            return schemas
                .unresolved
                .contains(&name.ns)
                .then_some(RustTy::AnyContent);
        };
        match &decl.ty {
            TypeRef::Named(q, _) if schemas.unresolved.contains(&q.ns) => {
                Some(self.named_ty(q).unwrap_or(RustTy::AnyContent))
            }
            TypeRef::Named(q, _) => self.named_ty(q),
            TypeRef::Unspecified => Some(RustTy::AnyContent),
            TypeRef::Inline(_) => None,
        }
    }

    pub fn named_ty(&self, q: &QName) -> Option<RustTy> {
        if builtin_ns(&q.ns) {
            return Some(builtin(&q.local));
        }
        self.named.get(q).map(|&i| RustTy::Item(i))
    }
}

impl<'a> Builder<'a> {
    fn placeholder(&mut self, rust: String, source: String, pos: Pos) -> usize {
        self.items.push(Item {
            rust,
            kind: ItemKind::Alias(RustTy::Builtin("String")),
            doc: None,
            source,
            pos,
            traits: Traits::ALL,
        });
        self.items.len() - 1
    }

    /// An unknown reference: a located warning, and the caller degrades
    /// (raw XML for types and elements, text for attributes, nothing for
    /// base types and groups). Never an error: the rest of the WSDL still
    /// generates.
    fn missing(&mut self, what: &str, q: &QName, pos: Pos, instead: &str) -> Result<(), Error> {
        let why = if self.schemas.unresolved.contains(&q.ns) {
            "is in a namespace whose schema was not loaded"
        } else {
            "is not defined by any loaded schema"
        };
        self.warn(pos, format!("{what} `{q}` {why}; {instead}"));
        Ok(())
    }

    fn warn(&mut self, pos: Pos, message: String) {
        self.diagnostics.push(Diagnostic::warning(
            "wsdl:unresolved-reference",
            self.sources.location(pos),
            message,
        ));
    }

    fn ty(&mut self, tref: &TypeRef, anon_name: &str, anon_source: &str) -> Result<RustTy, Error> {
        match tref {
            TypeRef::Named(q, pos) => {
                if builtin_ns(&q.ns) {
                    return Ok(builtin(&q.local));
                }
                if let Some(&i) = self.named.get(q) {
                    return Ok(RustTy::Item(i));
                }
                self.missing("type", q, *pos, "kept as raw XML")?;
                Ok(RustTy::AnyContent)
            }
            TypeRef::Unspecified => Ok(RustTy::AnyContent),
            TypeRef::Inline(def) => {
                let base = rust_name(anon_name, Case::Pascal);
                let rust = if self.global_names.contains(&base.to_ascii_lowercase()) {
                    self.namer.name(&format!("{anon_name}Type"), Case::Pascal)
                } else {
                    self.namer.name(anon_name, Case::Pascal)
                };
                let idx = self.placeholder(rust, anon_source.to_string(), def.pos());
                self.fill(idx, def)?;
                Ok(RustTy::Item(idx))
            }
        }
    }

    fn fill(&mut self, idx: usize, def: &TypeDef) -> Result<(), Error> {
        let name = self.items[idx].rust.clone();
        let source = self.items[idx].source.clone();
        let (kind, doc) = match def {
            TypeDef::Simple(s) => (self.simple(&name, &source, s)?, facet_doc(s)),
            TypeDef::Complex(c) => (self.complex(&name, &source, c)?, c.doc.clone()),
        };
        let item = &mut self.items[idx];
        item.kind = kind;
        item.doc = doc;
        Ok(())
    }

    fn simple(&mut self, name: &str, source: &str, s: &SimpleType) -> Result<ItemKind, Error> {
        Ok(match &s.kind {
            SimpleKind::Restriction {
                enumerations, base, ..
            } if enumerations.is_empty() => ItemKind::Alias(self.ty(
                base,
                &format!("{name}Base"),
                &format!("base of {source}"),
            )?),
            SimpleKind::Restriction { enumerations, .. } => {
                let mut namer = Namer::new();
                namer.reserve("Other");
                let mut seen = BTreeSet::new();
                let values = enumerations
                    .iter()
                    .filter(|(v, _)| seen.insert(v.clone()))
                    .map(|(v, doc)| (namer.name(v, Case::Pascal), v.clone(), doc.clone()))
                    .collect();
                ItemKind::Enum { values }
            }
            SimpleKind::List { item } => ItemKind::Alias(RustTy::List(Box::new(self.ty(
                item,
                &format!("{name}Item"),
                &format!("item type of {source}"),
            )?))),
            SimpleKind::Union { .. } => ItemKind::Alias(RustTy::Builtin("String")),
        })
    }

    fn complex(&mut self, name: &str, source: &str, c: &ComplexType) -> Result<ItemKind, Error> {
        if let Content::Restriction { base, particle, .. }
        | Content::Extension { base, particle, .. } = &c.content
        {
            if *base == QName::new(SOAPENC_NS, "Array") {
                return self.soap_array(name, source, c, particle.as_ref());
            }
        }
        let mut namer = Namer::new();
        let mut fields = Vec::new();
        let mut seen = BTreeSet::new();
        let text = self.content(name, source, c, &mut namer, &mut fields, &mut seen)?;
        let only_repeated_element = fields.len() == 1
            && fields[0].kind == FieldKind::Element
            && fields[0].alternatives.is_empty()
            && fields[0].occurs == Occurs::Many
            && text.is_none()
            && matches!(c.content, Content::Particle(_));
        if only_repeated_element {
            let f = fields.remove(0);
            return Ok(ItemKind::Wrapper {
                item_xml: f.xml,
                item: f.ty,
                nillable: f.nillable,
                doc: f.doc,
            });
        }
        Ok(ItemKind::Struct { fields, text })
    }

    /// The type of global element `q`.
    fn global_element_ty(
        &mut self,
        q: &QName,
        decl: &ElementDecl,
        source: &str,
    ) -> Result<RustTy, Error> {
        match self.elements.get(q) {
            Some(&i) => Ok(RustTy::Item(i)),
            None => self.ty(&decl.ty, &q.local, source),
        }
    }

    /// The `Substitution` item of head element `head` (made once) and the
    /// element names it reads.
    fn substitution(&mut self, head: &QName, source: &str) -> Result<(usize, Vec<QName>), Error> {
        let mut names = Vec::new();
        let mut elements = vec![head.clone()];
        elements.extend(self.substitutes.get(head).cloned().unwrap_or_default());
        let mut candidates = Vec::new();
        for q in &elements {
            let Some(decl) = self.schemas.elements.get(q) else {
                continue;
            };
            if !decl.is_abstract {
                names.push(q.clone());
                candidates.push((q.clone(), decl.clone()));
            }
        }
        if let Some(&idx) = self.substitution_items.get(head) {
            return Ok((idx, names));
        }
        let rust = self
            .namer
            .name(&format!("{}Substitution", head.local), Case::Pascal);
        let pos = self
            .schemas
            .elements
            .get(head)
            .map_or(Pos::default(), |d| d.pos);
        let idx = self.placeholder(
            rust,
            format!("XSD substitution group of element `{head}`"),
            pos,
        );
        self.substitution_items.insert(head.clone(), idx);
        let mut namer = Namer::new();
        let mut variants = Vec::new();
        for (q, decl) in candidates {
            let ty = self.global_element_ty(&q, &decl, source)?;
            variants.push((namer.name(&q.local, Case::Pascal), q, ty));
        }
        self.items[idx].kind = ItemKind::Substitution { variants };
        self.items[idx].doc = Some(format!(
            "An element of the substitution group of `{}`: the head (unless abstract) or a member.",
            head.local
        ));
        Ok((idx, names))
    }

    /// A `soapenc:Array` restriction: the item type comes from
    /// `wsdl:arrayType`, else from the one element of the content, else
    /// it is raw XML.
    fn soap_array(
        &mut self,
        name: &str,
        source: &str,
        c: &ComplexType,
        particle: Option<&Particle>,
    ) -> Result<ItemKind, Error> {
        let declared = c.attributes.iter().find_map(|a| match a {
            AttributeItem::Ref {
                array_type: Some(t),
                pos,
                ..
            } => Some((t.clone(), *pos)),
            _ => None,
        });
        if let Some((t, pos)) = declared {
            let item = self.ty(&TypeRef::Named(t.clone(), pos), name, source)?;
            return Ok(ItemKind::SoapArray { item, item_type: t });
        }
        let mut fields = Vec::new();
        if let Some(p) = particle {
            self.particle(
                name,
                source,
                p,
                false,
                false,
                &mut Namer::new(),
                &mut fields,
                0,
            )?;
        }
        Ok(match fields.as_slice() {
            [f] if f.kind == FieldKind::Element => ItemKind::SoapArray {
                item: f.ty.clone(),
                item_type: f.xsi.clone().unwrap_or(QName::new(XSD_NS, "anyType")),
            },
            _ => ItemKind::SoapArray {
                item: RustTy::AnyContent,
                item_type: QName::new(XSD_NS, "anyType"),
            },
        })
    }

    /// Fields of `c` (base fields first); returns the text type for
    /// simpleContent.
    fn content(
        &mut self,
        name: &str,
        source: &str,
        c: &ComplexType,
        namer: &mut Namer,
        fields: &mut Vec<Field>,
        seen: &mut BTreeSet<QName>,
    ) -> Result<Option<RustTy>, Error> {
        let mut text = None;
        match &c.content {
            Content::Particle(p) => {
                if let Some(p) = p {
                    self.particle(name, source, p, false, false, namer, fields, 0)?;
                }
            }
            Content::Extension {
                base,
                particle,
                pos,
            } => {
                text = self.base_content(name, source, base, *pos, namer, fields, seen)?;
                if let Some(p) = particle {
                    self.particle(name, source, p, false, false, namer, fields, 0)?;
                }
            }
            Content::Restriction {
                base,
                particle,
                pos,
            } => {
                if !(builtin_ns(&base.ns) || self.schemas.types.contains_key(base)) {
                    self.missing("base type", base, *pos, "its content is not inherited")?;
                }
                if let Some(p) = particle {
                    self.particle(name, source, p, false, false, namer, fields, 0)?;
                }
            }
            Content::Simple { base, pos } => {
                text = self.base_content(name, source, base, *pos, namer, fields, seen)?;
                if text.is_none() {
                    text = Some(RustTy::Builtin("String"));
                }
            }
        }
        self.attributes(name, source, &c.attributes, namer, fields, 0)?;
        if c.any_attribute && !fields.iter().any(|f| f.kind == FieldKind::AnyAttribute) {
            fields.push(Field {
                rust: namer.name("other_attributes", Case::Snake),
                xml: QName::default(),
                ty: RustTy::AnyContent,
                occurs: Occurs::Many,
                nillable: false,
                kind: FieldKind::AnyAttribute,
                doc: Some("Attributes matched by `xs:anyAttribute`.".to_string()),
                boxed: false,
                xsi: None,
                alternatives: Vec::new(),
            });
        }
        Ok(text)
    }

    /// The content a derivation inherits from `base`.
    #[allow(clippy::too_many_arguments)]
    fn base_content(
        &mut self,
        name: &str,
        source: &str,
        base: &QName,
        pos: Pos,
        namer: &mut Namer,
        fields: &mut Vec<Field>,
        seen: &mut BTreeSet<QName>,
    ) -> Result<Option<RustTy>, Error> {
        if builtin_ns(&base.ns) {
            return Ok(match builtin(&base.local) {
                RustTy::AnyContent => None,
                other => Some(other),
            });
        }
        if !seen.insert(base.clone()) {
            self.warn(
                pos,
                format!("type derivation of `{base}` is circular; its content is inherited once"),
            );
            return Ok(None);
        }
        match self.schemas.types.get(base) {
            None => {
                self.missing("base type", base, pos, "its content is not inherited")?;
                Ok(None)
            }
            Some(TypeDef::Simple(_)) => Ok(self.named.get(base).map(|&i| RustTy::Item(i))),
            Some(TypeDef::Complex(bc)) => {
                let bc = bc.clone();
                self.content(name, source, &bc, namer, fields, seen)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn particle(
        &mut self,
        parent: &str,
        source: &str,
        p: &Particle,
        optional: bool,
        many: bool,
        namer: &mut Namer,
        fields: &mut Vec<Field>,
        depth: usize,
    ) -> Result<(), Error> {
        let optional = optional || p.min == 0;
        let many = many || p.max.many();
        let occurs = if many {
            Occurs::Many
        } else if optional {
            Occurs::Optional
        } else {
            Occurs::One
        };
        match &p.term {
            Term::Element(LocalElement::Decl {
                name,
                ty,
                nillable,
                doc,
                ..
            }) => {
                let anon = if self
                    .global_names
                    .contains(&rust_name(&name.local, Case::Pascal).to_ascii_lowercase())
                {
                    format!("{parent}{}", name.local)
                } else {
                    name.local.clone()
                };
                let xsi = named(ty);
                let ty = self.ty(
                    ty,
                    &anon,
                    &format!("inline type of element `{}` in {source}", name.local),
                )?;
                fields.push(Field {
                    rust: namer.name(&name.local, Case::Snake),
                    xml: name.clone(),
                    ty,
                    occurs,
                    nillable: *nillable,
                    kind: FieldKind::Element,
                    doc: doc.clone(),
                    boxed: false,
                    xsi,
                    alternatives: Vec::new(),
                });
            }
            Term::Element(LocalElement::Ref(q, pos)) => {
                let Some(decl) = self.schemas.elements.get(q) else {
                    self.missing("element", q, *pos, "kept as raw XML")?;
                    fields.push(Field {
                        rust: namer.name(&q.local, Case::Snake),
                        xml: q.clone(),
                        ty: RustTy::AnyContent,
                        occurs,
                        nillable: false,
                        kind: FieldKind::Element,
                        doc: None,
                        boxed: false,
                        xsi: None,
                        alternatives: Vec::new(),
                    });
                    return Ok(());
                };
                let decl = decl.clone();
                let (ty, alternatives) = if self.substitutes.contains_key(q) {
                    let (idx, names) = self.substitution(q, source)?;
                    (RustTy::Item(idx), names)
                } else {
                    (self.global_element_ty(q, &decl, source)?, Vec::new())
                };
                fields.push(Field {
                    rust: namer.name(&q.local, Case::Snake),
                    xml: q.clone(),
                    ty,
                    occurs,
                    nillable: decl.nillable,
                    kind: FieldKind::Element,
                    doc: decl.doc.clone(),
                    boxed: false,
                    xsi: if alternatives.is_empty() {
                        named(&decl.ty)
                    } else {
                        None
                    },
                    alternatives,
                });
            }
            Term::Sequence(items) | Term::All(items) => {
                for item in items {
                    self.particle(parent, source, item, optional, many, namer, fields, depth)?;
                }
            }
            Term::Choice(items) if typed_choice(items) => {
                let idx = self.choice(parent, source, items, depth)?;
                let empty = optional || items.iter().any(|b| self.may_be_empty(b, 0));
                let variants = match &self.items[idx].kind {
                    ItemKind::Choice { variants } => variants
                        .iter()
                        .map(|(_, f)| match f.kind {
                            FieldKind::Content => "a sequence".to_string(),
                            _ => format!("`{}`", f.xml.local),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ => String::new(),
                };
                fields.push(Field {
                    rust: namer.name("choice", Case::Snake),
                    xml: QName::default(),
                    ty: RustTy::Item(idx),
                    occurs: if many {
                        Occurs::Many
                    } else if empty {
                        Occurs::Optional
                    } else {
                        Occurs::One
                    },
                    nillable: false,
                    kind: FieldKind::Content,
                    doc: Some(format!("A choice of {variants}.")),
                    boxed: false,
                    xsi: None,
                    alternatives: Vec::new(),
                });
            }
            Term::Choice(items) => {
                for item in items {
                    self.particle(parent, source, item, true, many, namer, fields, depth)?;
                }
            }
            Term::GroupRef(q, pos) => {
                let Some(group) = self.schemas.groups.get(q) else {
                    return self.missing("group", q, *pos, "its elements are skipped");
                };
                if depth > MAX_GROUP_DEPTH {
                    self.warn(
                        *pos,
                        format!("group `{q}` refers to itself; the reference is skipped"),
                    );
                    return Ok(());
                }
                let group = group.clone();
                self.particle(
                    parent,
                    source,
                    &group,
                    optional,
                    many,
                    namer,
                    fields,
                    depth + 1,
                )?;
            }
            Term::Any => {
                if !fields.iter().any(|f| f.kind == FieldKind::Any) {
                    fields.push(Field {
                        rust: namer.name("any", Case::Snake),
                        xml: QName::default(),
                        ty: RustTy::AnyContent,
                        occurs: Occurs::Many,
                        nillable: false,
                        kind: FieldKind::Any,
                        doc: Some("Elements matched by `xs:any`, as raw XML.".to_string()),
                        boxed: false,
                        xsi: None,
                        alternatives: Vec::new(),
                    });
                }
            }
        }
        Ok(())
    }

    fn attributes(
        &mut self,
        parent: &str,
        source: &str,
        items: &[AttributeItem],
        namer: &mut Namer,
        fields: &mut Vec<Field>,
        depth: usize,
    ) -> Result<(), Error> {
        for item in items {
            let (decl, required) = match item {
                AttributeItem::Attribute { decl, required } => (decl.clone(), *required),
                AttributeItem::Ref {
                    name,
                    required,
                    pos,
                    ..
                } => match self.schemas.attributes.get(name) {
                    Some(decl) => (decl.clone(), *required),
                    None if name.ns == "http://www.w3.org/XML/1998/namespace" => (
                        AttributeDecl {
                            name: name.clone(),
                            ty: TypeRef::Named(QName::new(XSD_NS, "string"), *pos),
                            doc: None,
                            pos: *pos,
                        },
                        *required,
                    ),
                    None => {
                        self.missing("attribute", name, *pos, "read as text")?;
                        (
                            AttributeDecl {
                                name: name.clone(),
                                ty: TypeRef::Named(QName::new(XSD_NS, "string"), *pos),
                                doc: None,
                                pos: *pos,
                            },
                            *required,
                        )
                    }
                },
                AttributeItem::Group(q, pos) => {
                    let Some(group) = self.schemas.attribute_groups.get(q) else {
                        self.missing("attribute group", q, *pos, "its attributes are skipped")?;
                        continue;
                    };
                    if depth > MAX_GROUP_DEPTH {
                        self.warn(
                            *pos,
                            format!(
                                "attribute group `{q}` refers to itself; the reference is skipped"
                            ),
                        );
                        continue;
                    }
                    let group = group.clone();
                    self.attributes(parent, source, &group, namer, fields, depth + 1)?;
                    continue;
                }
            };
            if fields
                .iter()
                .any(|f| f.kind == FieldKind::Attribute && f.xml == decl.name)
            {
                continue;
            }
            let mut ty = self.ty(&decl.ty, &format!("{parent}{}", decl.name.local), source)?;
            if ty == RustTy::AnyContent {
                ty = RustTy::Builtin("String");
            }
            fields.push(Field {
                rust: namer.name(&decl.name.local, Case::Snake),
                xml: decl.name.clone(),
                ty,
                occurs: if required {
                    Occurs::One
                } else {
                    Occurs::Optional
                },
                nillable: false,
                kind: FieldKind::Attribute,
                doc: decl.doc.clone(),
                boxed: false,
                xsi: None,
                alternatives: Vec::new(),
            });
        }
        Ok(())
    }

    /// A type alias that refers back to itself (a simple type restricting
    /// or listing itself, directly or not) would not compile: it becomes
    /// `String`, with a warning.
    fn break_alias_cycles(&mut self) {
        fn target(ty: &RustTy) -> Option<usize> {
            match ty {
                RustTy::Item(j) => Some(*j),
                RustTy::List(inner) => target(inner),
                _ => None,
            }
        }
        for i in 0..self.items.len() {
            let mut seen = BTreeSet::new();
            let mut at = i;
            let cyclic = loop {
                let ItemKind::Alias(ty) = &self.items[at].kind else {
                    break false;
                };
                let Some(next) = target(ty) else {
                    break false;
                };
                if next == i {
                    break true;
                }
                if !seen.insert(next) {
                    break false;
                }
                at = next;
            };
            if cyclic {
                let pos = self.items[i].pos;
                let source = self.items[i].source.clone();
                self.warn(
                    pos,
                    format!("{source} is derived from itself; read as text"),
                );
                self.items[i].kind = ItemKind::Alias(RustTy::Builtin("String"));
            }
        }
    }

    /// Items reachable from `from` by value (not through `Vec`).
    fn reaches(&self, from: usize, target: usize) -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(i) = stack.pop() {
            if i == target {
                return true;
            }
            if !seen.insert(i) {
                continue;
            }
            match &self.items[i].kind {
                ItemKind::Struct { fields, .. } | ItemKind::Group { fields } => {
                    for f in fields {
                        if let (RustTy::Item(j), false, false) =
                            (&f.ty, f.occurs == Occurs::Many, f.boxed)
                        {
                            stack.push(*j);
                        }
                    }
                }
                ItemKind::Alias(RustTy::Item(j)) => stack.push(*j),
                ItemKind::Substitution { variants } => {
                    for (_, _, t) in variants {
                        if let RustTy::Item(j) = t {
                            stack.push(*j);
                        }
                    }
                }
                ItemKind::Choice { variants } => {
                    for (_, f) in variants {
                        if let (RustTy::Item(j), false) =
                            (&f.ty, f.occurs == Occurs::Many || f.boxed)
                        {
                            stack.push(*j);
                        }
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// Items held by value (not through `Vec` or `Box`) by item `i`.
    fn by_value(&self, i: usize) -> Vec<usize> {
        match &self.items[i].kind {
            ItemKind::Choice { variants } => variants
                .iter()
                .map(|(_, f)| f)
                .filter(|f| f.occurs != Occurs::Many && !f.boxed)
                .filter_map(|f| match f.ty {
                    RustTy::Item(j) => Some(j),
                    _ => None,
                })
                .collect(),
            ItemKind::Struct { fields, .. } | ItemKind::Group { fields } => fields
                .iter()
                .filter(|f| f.occurs != Occurs::Many && !f.boxed)
                .filter_map(|f| match f.ty {
                    RustTy::Item(j) => Some(j),
                    _ => None,
                })
                .collect(),
            ItemKind::Alias(RustTy::Item(j)) => vec![*j],
            ItemKind::Substitution { variants } => variants
                .iter()
                .filter_map(|(_, _, t)| match t {
                    RustTy::Item(j) => Some(*j),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The strongly connected component of every item in the by-value
    /// graph (iterative Tarjan); only items of one component can reach
    /// each other, so only those need the (costlier) `reaches` test.
    fn components(&self) -> Vec<usize> {
        let n = self.items.len();
        let edges: Vec<Vec<usize>> = (0..n).map(|i| self.by_value(i)).collect();
        let mut index = vec![usize::MAX; n];
        let mut low = vec![0; n];
        let mut on_stack = vec![false; n];
        let mut comp = vec![usize::MAX; n];
        let mut stack = Vec::new();
        let mut next = 0;
        let mut comps = 0;
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (v, ref mut e)) = work.last_mut() {
                if *e == 0 && index[v] == usize::MAX {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&w) = edges[v].get(*e) {
                    *e += 1;
                    if index[w] == usize::MAX {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = comps;
                        if w == v {
                            break;
                        }
                    }
                    comps += 1;
                }
            }
        }
        comp
    }

    /// The item of an `xs:choice` in `parent`: an enum with one variant
    /// per branch (a sequence, group or nested choice branch becomes a
    /// [`ItemKind::Group`] struct).
    fn choice(
        &mut self,
        parent: &str,
        source: &str,
        branches: &[Particle],
        depth: usize,
    ) -> Result<usize, Error> {
        let pos = self
            .items
            .iter()
            .rev()
            .find(|i| i.rust == parent)
            .map(|i| i.pos)
            .unwrap_or_default();
        let rust = self.namer.name(&format!("{parent}Choice"), Case::Pascal);
        let idx = self.placeholder(rust.clone(), format!("a choice in {source}"), pos);
        let mut variant_names = Namer::new();
        let mut variants = Vec::new();
        for branch in branches {
            let mut fields = Vec::new();
            let mut namer = Namer::new();
            match &branch.term {
                Term::Element(_) => {
                    // The branch's own `minOccurs` is the choice's: an
                    // absent branch is an absent choice.
                    let one = Particle {
                        min: 1,
                        max: branch.max,
                        term: branch.term.clone(),
                    };
                    self.particle(
                        &rust,
                        source,
                        &one,
                        false,
                        false,
                        &mut namer,
                        &mut fields,
                        depth + 1,
                    )?;
                    let Some(field) = fields.pop() else { continue };
                    let variant = variant_names.name(&field.xml.local, Case::Pascal);
                    variants.push((variant, field));
                }
                _ => {
                    let variant = variant_names.name(
                        match branch.term {
                            Term::Choice(_) => "Choice",
                            _ => "Sequence",
                        },
                        Case::Pascal,
                    );
                    // Items inside a sequence branch are named after its struct.
                    let group_name = match branch.term {
                        Term::Choice(_) => None,
                        _ => Some(self.namer.name(&format!("{rust}{variant}"), Case::Pascal)),
                    };
                    let inner_parent = group_name.clone().unwrap_or_else(|| rust.clone());
                    self.particle(
                        &inner_parent,
                        source,
                        branch,
                        false,
                        false,
                        &mut namer,
                        &mut fields,
                        depth + 1,
                    )?;
                    // A nested choice is its own enum, without a struct around it.
                    if let [f] = fields.as_slice() {
                        if f.kind == FieldKind::Content && f.occurs != Occurs::Many {
                            let mut f = fields.remove(0);
                            f.occurs = Occurs::One;
                            variants.push((variant, f));
                            continue;
                        }
                    }
                    let group_name = match group_name {
                        Some(name) => name,
                        None => self.namer.name(&format!("{rust}{variant}"), Case::Pascal),
                    };
                    let group =
                        self.placeholder(group_name, format!("a choice branch in {source}"), pos);
                    self.items[group].kind = ItemKind::Group { fields };
                    variants.push((
                        variant,
                        Field {
                            rust: String::new(),
                            xml: QName::default(),
                            ty: RustTy::Item(group),
                            occurs: Occurs::One,
                            nillable: false,
                            kind: FieldKind::Content,
                            doc: None,
                            boxed: false,
                            xsi: None,
                            alternatives: Vec::new(),
                        },
                    ));
                }
            }
        }
        self.items[idx].kind = ItemKind::Choice { variants };
        Ok(idx)
    }

    /// Whether particle `p` may match no element at all.
    fn may_be_empty(&self, p: &Particle, depth: usize) -> bool {
        if p.min == 0 {
            return true;
        }
        match &p.term {
            Term::Sequence(items) | Term::All(items) => {
                items.iter().all(|i| self.may_be_empty(i, depth + 1))
            }
            Term::Choice(items) => items.iter().any(|i| self.may_be_empty(i, depth + 1)),
            Term::GroupRef(q, _) => match self.schemas.groups.get(q) {
                Some(g) if depth < MAX_GROUP_DEPTH => self.may_be_empty(g, depth + 1),
                _ => true,
            },
            Term::Element(_) | Term::Any => false,
        }
    }

    fn box_recursion(&mut self) {
        let comp = self.components();
        for i in 0..self.items.len() {
            let fields: Vec<&Field> = match &self.items[i].kind {
                ItemKind::Struct { fields, .. } | ItemKind::Group { fields } => {
                    fields.iter().collect()
                }
                ItemKind::Choice { variants } => variants.iter().map(|(_, f)| f).collect(),
                _ => continue,
            };
            let candidates: Vec<usize> = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.occurs != Occurs::Many)
                .filter_map(|(n, f)| match f.ty {
                    RustTy::Item(j) => Some((n, j)),
                    _ => None,
                })
                .filter(|&(_, j)| comp[j] == comp[i] && self.reaches(j, i))
                .map(|(n, _)| n)
                .collect();
            match &mut self.items[i].kind {
                ItemKind::Struct { fields, .. } | ItemKind::Group { fields } => {
                    for n in candidates {
                        fields[n].boxed = true;
                    }
                }
                ItemKind::Choice { variants } => {
                    for n in candidates {
                        variants[n].1.boxed = true;
                    }
                }
                _ => {}
            }
        }
    }

    /// The traits of every item: the greatest fixpoint, starting from
    /// [`Traits::ALL`] and removing what a field does not support.
    fn derive_traits(&mut self) {
        loop {
            let mut changed = false;
            for i in 0..self.items.len() {
                let now = item_traits(&self.items, &self.items[i].kind);
                let old = self.items[i].traits;
                let new = old.and(now);
                if new != old {
                    self.items[i].traits = new;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
}
