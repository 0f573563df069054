//! Model → tokens: the types of the [`TypeTable`] with their
//! `XmlWrite`/`XmlRead` impls, the header structs, fault enums and one
//! client per SOAP binding.
//!
//! Generated code only calls `wiregen_runtime::soap`; every element name is
//! a `soap::Name` literal whose prefix is declared on the envelope.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

use super::load::{SOAPENC_NS, XSD_NS};
use super::model::*;
use super::types::{FieldKind, Item, ItemKind, Occurs, RustTy, Traits, TypeTable};
use crate::naming::{to_ident, Case, Namer};
use crate::{Diagnostic, Error};

const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Namespace URI → prefix (`ns1`, `ns2`, … in URI order).
pub struct Prefixes(BTreeMap<String, String>);

impl Prefixes {
    /// `encoding`: the module writes `xsi:type` / `soapenc:arrayType`
    /// values, so `xsd` and `soapenc` are declared too.
    /// `extra`: further namespaces written (rpc wrapper namespaces).
    pub fn new(schemas: &SchemaSet, encoding: bool, extra: &[&str]) -> Self {
        let mut uris: Vec<&str> = schemas
            .elements
            .keys()
            .chain(schemas.types.keys())
            .chain(schemas.attributes.keys())
            .map(|q| q.ns.as_str())
            .chain(schemas.unresolved.iter().map(String::as_str))
            .chain(extra.iter().copied())
            .filter(|ns| !ns.is_empty() && *ns != XML_NS)
            .collect();
        uris.sort();
        uris.dedup();
        uris.retain(|ns| !(encoding && (*ns == XSD_NS || *ns == SOAPENC_NS)));
        let mut map: BTreeMap<String, String> = uris
            .into_iter()
            .enumerate()
            .map(|(i, ns)| (ns.to_string(), format!("ns{}", i + 1)))
            .collect();
        if encoding {
            map.insert(XSD_NS.to_string(), "xsd".to_string());
            map.insert(SOAPENC_NS.to_string(), "soapenc".to_string());
        }
        Prefixes(map)
    }

    /// The qualified name of a type as written in `xsi:type` and
    /// `soapenc:arrayType` (`xsd:int`, `ns2:Item`).
    fn type_name(&self, q: &QName) -> String {
        match self.0.get(&q.ns) {
            Some(prefix) => format!("{prefix}:{}", q.local),
            None => q.local.clone(),
        }
    }

    /// `&soap::Name { .. }` for `q`.
    fn name(&self, q: &QName) -> TokenStream {
        let qualified = if q.ns.is_empty() {
            q.local.clone()
        } else if q.ns == XML_NS {
            format!("xml:{}", q.local)
        } else {
            match self.0.get(&q.ns) {
                Some(prefix) => format!("{prefix}:{}", q.local),
                None => q.local.clone(),
            }
        };
        let ns = &q.ns;
        let local = &q.local;
        quote!(&soap::Name { qualified: #qualified, ns: #ns, local: #local })
    }

    pub fn namespaces_tokens(&self) -> TokenStream {
        let items = self
            .0
            .iter()
            .map(|(uri, prefix)| quote!(soap::Ns { prefix: #prefix, uri: #uri }));
        quote! {
            /// Every namespace the module writes, with its prefix; declared
            /// on each envelope.
            pub const NAMESPACES: &[soap::Ns] = &[#(#items),*];
        }
    }
}

fn docs(lines: &[Option<&str>]) -> TokenStream {
    let mut paragraphs: Vec<String> = Vec::new();
    for text in lines.iter().flatten() {
        for p in text.split("\n\n") {
            let p = p.trim();
            if !p.is_empty() {
                paragraphs.push(p.replace('\r', ""));
            }
        }
    }
    let mut out = TokenStream::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.extend(quote!(#[doc = ""]));
        }
        for line in p.lines() {
            let line = format!(" {}", line.trim_end());
            out.extend(quote!(#[doc = #line]));
        }
    }
    out
}

pub struct Gen<'a> {
    pub table: &'a TypeTable,
    pub prefixes: &'a Prefixes,
    pub sources: &'a Sources,
    /// The module has `use="encoded"` operations: element writes are
    /// wrapped in `with_type` so they carry `xsi:type` in those.
    pub encoded: bool,
}

/// What makes an rpc wrapper struct different from a schema type.
pub struct RpcWrapper {
    /// `soap:encodingStyle` written on the wrapper (encoded operations).
    pub encoding_style: Option<String>,
}

impl Gen<'_> {
    fn where_(&self, pos: Pos) -> String {
        let l = self.sources.location(pos);
        format!("{}:{}", l.file, l.line.unwrap_or(0))
    }

    pub fn ty(&self, ty: &RustTy) -> TokenStream {
        match ty {
            // Primitives cannot be shadowed (generated items are
            // PascalCase); `String` can, so it is written as a path.
            RustTy::Builtin("String") => quote!(::std::string::String),
            RustTy::Builtin(name) if name.contains("::") => {
                let path: syn::Path = syn::parse_str(name).expect("a built-in type path");
                quote!(#path)
            }
            RustTy::Builtin(name) => {
                let id = format_ident!("{}", name);
                quote!(#id)
            }
            RustTy::Item(i) => {
                let id = to_ident(&self.table.items[*i].rust);
                quote!(#id)
            }
            RustTy::List(inner) => {
                let inner = self.ty(inner);
                quote!(soap::XsList<#inner>)
            }
            RustTy::AnyContent => quote!(soap::AnyContent),
            RustTy::Local(name) => {
                let id = to_ident(name);
                quote!(#id)
            }
        }
    }

    pub fn items(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for item in &self.table.items {
            out.extend(self.item(item));
        }
        out
    }

    fn item(&self, item: &Item) -> TokenStream {
        let name = to_ident(&item.rust);
        let provenance = format!("From {} ({}).", item.source, self.where_(item.pos));
        let doc = docs(&[item.doc.as_deref(), Some(&provenance)]);
        let derives = derives(item.traits);
        match &item.kind {
            ItemKind::Alias(ty) => {
                let ty = self.ty(ty);
                quote! { #doc pub type #name = #ty; }
            }
            ItemKind::Enum { values } => {
                let variants = values.iter().map(|(v, value, d)| {
                    let v = to_ident(v);
                    let text = format!("`{value}`");
                    let d = docs(&[Some(&text), d.as_deref()]);
                    quote!(#d #v)
                });
                let to = values.iter().map(|(v, value, _)| {
                    let v = to_ident(v);
                    quote!(Self::#v => ::std::borrow::Cow::Borrowed(#value))
                });
                let from = values.iter().map(|(v, value, _)| {
                    let v = to_ident(v);
                    quote!(#value => Self::#v)
                });
                quote! {
                    #doc
                    #derives
                    pub enum #name {
                        #(#variants,)*
                        /// A value the schema does not list, kept as sent.
                        Other(::std::string::String),
                    }
                    impl soap::SimpleValue for #name {
                        fn to_text(&self) -> ::std::borrow::Cow<'_, str> {
                            match self {
                                #(#to,)*
                                Self::Other(other) => ::std::borrow::Cow::Borrowed(other),
                            }
                        }
                        fn from_text(text: &str) -> ::core::result::Result<Self, ::std::string::String> {
                            ::core::result::Result::Ok(match text.trim() {
                                #(#from,)*
                                other => Self::Other(other.to_string()),
                            })
                        }
                    }
                    impl soap::XmlWrite for #name {
                        fn write_element(&self, w: &mut soap::XmlWriter, name: &soap::Name) -> ::core::result::Result<(), soap::XmlError> {
                            soap::write_simple(w, name, self)
                        }
                    }
                    impl soap::XmlRead for #name {
                        fn read_element(r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<Self, soap::XmlError> {
                            soap::read_simple(r, el)
                        }
                    }
                }
            }
            ItemKind::Wrapper {
                item_xml,
                item: item_ty,
                nillable,
                doc: item_doc,
            } => {
                let inner = self.ty(item_ty);
                let inner = if *nillable {
                    quote!(::core::option::Option<#inner>)
                } else {
                    inner
                };
                let el = self.prefixes.name(item_xml);
                let (ns, local) = (&item_xml.ns, &item_xml.local);
                let (write, read) = if *nillable {
                    (
                        quote!(soap::write_all_nillable(w, #el, &self.0)?;),
                        quote!(items.push(soap::read_nillable(r, &child)?);),
                    )
                } else {
                    (
                        quote!(soap::write_all(w, #el, &self.0)?;),
                        quote!(items.push(soap::XmlRead::read_element(r, &child)?);),
                    )
                };
                let field_doc = format!(" The `{local}` elements, in order.");
                let field_doc = match item_doc {
                    Some(d) => docs(&[Some(field_doc.trim()), Some(d)]),
                    None => quote!(#[doc = #field_doc]),
                };
                let vec_impls = vec_newtype_impls(&name, &inner);
                quote! {
                    #doc
                    #derives
                    pub struct #name(#field_doc pub ::std::vec::Vec<#inner>);
                    #vec_impls
                    impl soap::XmlWrite for #name {
                        fn write_element(&self, w: &mut soap::XmlWriter, name: &soap::Name) -> ::core::result::Result<(), soap::XmlError> {
                            w.start(name, &[])?;
                            #write
                            w.end(name)
                        }
                    }
                    impl soap::XmlRead for #name {
                        fn read_element(r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<Self, soap::XmlError> {
                            let mut items = ::std::vec::Vec::new();
                            while let ::core::option::Option::Some(child) = r.next_child(el)? {
                                if child.is(#ns, #local) {
                                    #read
                                } else {
                                    r.skip(&child)?;
                                }
                            }
                            ::core::result::Result::Ok(Self(items))
                        }
                    }
                }
            }
            ItemKind::Struct { fields, text } => {
                self.structure(&name, doc, item.traits, fields, text.as_ref(), None)
            }
            ItemKind::Group { fields } => self.group(&name, doc, item.traits, fields),
            ItemKind::Choice { variants } => self.choice(&name, doc, item.traits, variants),
            ItemKind::Substitution { variants } => {
                let decls = variants.iter().map(|(v, q, ty)| {
                    let v = to_ident(v);
                    let ty = self.ty(ty);
                    let d = format!(" Element `{}`.", q.local);
                    quote!(#[doc = #d] #v(#ty))
                });
                let writes = variants.iter().map(|(v, q, _)| {
                    let v = to_ident(v);
                    let n = self.prefixes.name(q);
                    quote!(Self::#v(value) => soap::XmlWrite::write_element(value, w, #n))
                });
                let reads = variants.iter().map(|(v, q, _)| {
                    let v = to_ident(v);
                    let (ns, local) = (&q.ns, &q.local);
                    quote! {
                        if el.is(#ns, #local) {
                            return soap::XmlRead::read_element(r, el).map(Self::#v);
                        }
                    }
                });
                let expected = variants
                    .iter()
                    .map(|(_, q, _)| q.local.as_str())
                    .collect::<Vec<_>>()
                    .join(" | ");
                quote! {
                    #doc
                    #derives
                    pub enum #name { #(#decls,)* }
                    impl soap::XmlWrite for #name {
                        /// Writes the variant's own element; `name` (the head's) is not used.
                        fn write_element(&self, w: &mut soap::XmlWriter, name: &soap::Name) -> ::core::result::Result<(), soap::XmlError> {
                            let _ = name;
                            match self { #(#writes,)* }
                        }
                    }
                    impl soap::XmlRead for #name {
                        fn read_element(r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<Self, soap::XmlError> {
                            #(#reads)*
                            ::core::result::Result::Err(soap::XmlError::Unexpected { expected: #expected.to_string(), found: el.display_name() })
                        }
                    }
                }
            }
            ItemKind::SoapArray {
                item: item_ty,
                item_type,
            } => {
                let inner = self.ty(item_ty);
                let item_type = self.prefixes.type_name(item_type);
                let vec_impls = vec_newtype_impls(&name, &inner);
                quote! {
                    #doc
                    #derives
                    pub struct #name(
                        /// The items, in order.
                        pub ::std::vec::Vec<#inner>,
                    );
                    #vec_impls
                    impl soap::XmlWrite for #name {
                        fn write_element(&self, w: &mut soap::XmlWriter, name: &soap::Name) -> ::core::result::Result<(), soap::XmlError> {
                            soap::write_array(w, name, &self.0, #item_type)
                        }
                    }
                    impl soap::XmlRead for #name {
                        fn read_element(r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<Self, soap::XmlError> {
                            soap::read_array(r, el).map(Self)
                        }
                    }
                }
            }
        }
    }

    /// The test of whether `child` can start a group with `fields`: any
    /// field up to and including the first required one.
    fn first_tests(&self, fields: &[super::types::Field]) -> TokenStream {
        let mut tests = Vec::new();
        for f in fields {
            match f.kind {
                FieldKind::Element => {
                    let names: Vec<&QName> = if f.alternatives.is_empty() {
                        vec![&f.xml]
                    } else {
                        f.alternatives.iter().collect()
                    };
                    for q in names {
                        let (ns, local) = (&q.ns, &q.local);
                        tests.push(quote!(child.is(#ns, #local)));
                    }
                }
                FieldKind::Content => {
                    let base = self.ty(&f.ty);
                    tests.push(quote!(<#base as soap::XmlContent>::starts_with(child)));
                }
                _ => continue,
            }
            if f.occurs == Occurs::One {
                break;
            }
        }
        if tests.is_empty() {
            quote!(false)
        } else {
            quote!(#(#tests)||*)
        }
    }

    pub fn structure(
        &self,
        name: &syn::Ident,
        doc: TokenStream,
        traits: Traits,
        fields: &[super::types::Field],
        text: Option<&RustTy>,
        rpc: Option<&RpcWrapper>,
    ) -> TokenStream {
        self.structure_or_group(name, doc, traits, fields, text, rpc, false)
    }

    /// A sequence inside a choice: a struct read and written as content
    /// of the element that holds it (`soap::XmlContent`). A child it does
    /// not know, or a second one of a field it already has, ends it.
    fn group(
        &self,
        name: &syn::Ident,
        doc: TokenStream,
        traits: Traits,
        fields: &[super::types::Field],
    ) -> TokenStream {
        self.structure_or_group(name, doc, traits, fields, None, None, true)
    }

    /// The enum of a choice: one variant per branch.
    fn choice(
        &self,
        name: &syn::Ident,
        doc: TokenStream,
        traits: Traits,
        variants: &[(String, super::types::Field)],
    ) -> TokenStream {
        let derives = derives(traits);
        let mut decls = Vec::new();
        let mut tests = Vec::new();
        let mut reads = Vec::new();
        let mut writes = Vec::new();
        let mut expected = Vec::new();
        for (variant, f) in variants {
            let v = to_ident(variant);
            let base = self.ty(&f.ty);
            let base = if f.boxed {
                quote!(::std::boxed::Box<#base>)
            } else {
                base
            };
            if f.kind == FieldKind::Content {
                decls.push(quote!(#[doc = " A sequence or nested choice branch."] #v(#base)));
                tests.push(quote!(<#base as soap::XmlContent>::starts_with(child)));
                reads.push(quote! {
                    if <#base as soap::XmlContent>::starts_with(&first) {
                        let (__v, __next) = soap::XmlContent::read_from(r, el, first)?;
                        return ::core::result::Result::Ok((Self::#v(__v), __next));
                    }
                });
                writes.push(quote!(Self::#v(__v) => soap::XmlContent::write_content(__v, w)));
                expected.push("a sequence".to_string());
                continue;
            }
            let xml = self.prefixes.name(&f.xml);
            let names: Vec<&QName> = if f.alternatives.is_empty() {
                vec![&f.xml]
            } else {
                f.alternatives.iter().collect()
            };
            let is = names
                .iter()
                .map(|q| {
                    let (ns, local) = (&q.ns, &q.local);
                    quote!(first.is(#ns, #local))
                })
                .collect::<Vec<_>>();
            let is_child = names
                .iter()
                .map(|q| {
                    let (ns, local) = (&q.ns, &q.local);
                    quote!(child.is(#ns, #local))
                })
                .collect::<Vec<_>>();
            expected.extend(names.iter().map(|q| q.local.clone()));
            tests.push(quote!((#(#is_child)||*)));
            let d = format!(" Element `{}`.", f.xml.local);
            let field_doc = docs(&[Some(&d), f.doc.as_deref()]);
            let (ty, read, write) = match (f.occurs, f.nillable) {
                (Occurs::Many, false) => (
                    quote!(::std::vec::Vec<#base>),
                    quote! {
                        let (__v, __next) = soap::read_repeated(r, el, first, <#base as soap::XmlRead>::read_element)?;
                        return ::core::result::Result::Ok((Self::#v(__v), __next));
                    },
                    quote!(soap::write_all(w, #xml, __v)),
                ),
                (Occurs::Many, true) => (
                    quote!(::std::vec::Vec<::core::option::Option<#base>>),
                    quote! {
                        let (__v, __next) = soap::read_repeated(r, el, first, soap::read_nillable::<#base>)?;
                        return ::core::result::Result::Ok((Self::#v(__v), __next));
                    },
                    quote!(soap::write_all_nillable(w, #xml, __v)),
                ),
                (_, true) => (
                    quote!(::core::option::Option<#base>),
                    quote! {
                        return ::core::result::Result::Ok((Self::#v(soap::read_nillable(r, &first)?), ::core::option::Option::None));
                    },
                    quote!(soap::write_optional(w, #xml, __v, true)),
                ),
                (_, false) => (
                    base.clone(),
                    quote! {
                        return ::core::result::Result::Ok((Self::#v(soap::XmlRead::read_element(r, &first)?), ::core::option::Option::None));
                    },
                    quote!(soap::XmlWrite::write_element(__v, w, #xml)),
                ),
            };
            decls.push(quote!(#field_doc #v(#ty)));
            reads.push(quote!(if #(#is)||* { #read }));
            writes.push(quote!(Self::#v(__v) => #write));
        }
        let expected = expected.join(" | ");
        quote! {
            #doc
            #derives
            pub enum #name { #(#decls,)* }
            impl soap::XmlContent for #name {
                fn starts_with(child: &soap::Element) -> bool {
                    #(#tests)||*
                }
                fn read_from(r: &mut soap::XmlReader<'_>, el: &soap::Element, first: soap::Element) -> ::core::result::Result<(Self, ::core::option::Option<soap::Element>), soap::XmlError> {
                    let _ = &el;
                    #(#reads)*
                    ::core::result::Result::Err(soap::XmlError::Unexpected { expected: #expected.to_string(), found: first.display_name() })
                }
                fn write_content(&self, w: &mut soap::XmlWriter) -> ::core::result::Result<(), soap::XmlError> {
                    match self { #(#writes,)* }
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn structure_or_group(
        &self,
        name: &syn::Ident,
        doc: TokenStream,
        traits: Traits,
        fields: &[super::types::Field],
        text: Option<&RustTy>,
        rpc: Option<&RpcWrapper>,
        group: bool,
    ) -> TokenStream {
        let derives = derives(traits);
        let mut decls = Vec::new();
        let mut attrs = Vec::new();
        let mut writes = Vec::new();
        let mut locals = Vec::new();
        let mut matches = Vec::new();
        let mut any_arm = quote!(r.skip(&child)?;);
        let mut any_attributes: Option<syn::Ident> = None;
        let mut inits = Vec::new();
        let mut namer = Namer::new();
        let mut has_content = false;
        for f in fields {
            namer.reserve(&f.rust);
        }
        let value_field = text.map(|_| to_ident(&namer.name("value", Case::Snake)));
        if let (Some(t), Some(v)) = (text, &value_field) {
            let t = self.ty(t);
            decls.push(quote!(#[doc = " The text content."] pub #v: #t));
            writes.push(quote!(w.text(&soap::SimpleValue::to_text(&self.#v))?;));
            inits.push(quote!(#v));
        }
        for f in fields {
            let id = to_ident(&f.rust);
            // The local that collects the field while reading; renamed when
            // it would shadow the reader's own variables.
            let v = match f.rust.as_str() {
                "r" | "el" | "child" => format_ident!("f_{}", f.rust),
                _ => id.clone(),
            };
            let init_v = if v == id {
                quote!(#id)
            } else {
                quote!(#id: #v)
            };
            let base = self.ty(&f.ty);
            let base = if f.boxed {
                quote!(::std::boxed::Box<#base>)
            } else {
                base
            };
            let xml = self.prefixes.name(&f.xml);
            let (ns, local) = (&f.xml.ns, &f.xml.local);
            let local_name = f.rust.as_str();
            let field_doc = docs(&[f.doc.as_deref()]);
            match f.kind {
                FieldKind::Attribute => {
                    let (ty, value, read) = if f.occurs == Occurs::One {
                        (
                            base.clone(),
                            quote!(::core::option::Option::Some(soap::SimpleValue::to_text(&self.#id))),
                            quote!(let #v = soap::required(soap::read_attribute::<#base>(el, #ns, #local)?, el, #local)?;),
                        )
                    } else {
                        (
                            quote!(::core::option::Option<#base>),
                            quote!(self.#id.as_ref().map(soap::SimpleValue::to_text)),
                            quote!(let #v = soap::read_attribute::<#base>(el, #ns, #local)?;),
                        )
                    };
                    decls.push(quote!(#field_doc pub #id: #ty));
                    attrs.push(quote!((#xml, #value)));
                    locals.push(read);
                    inits.push(init_v.clone());
                }
                FieldKind::AnyAttribute => {
                    let declared = fields
                        .iter()
                        .filter(|a| a.kind == FieldKind::Attribute)
                        .map(|a| {
                            let (ns, local) = (&a.xml.ns, &a.xml.local);
                            quote!((#ns, #local))
                        });
                    decls.push(quote!(#field_doc pub #id: ::std::vec::Vec<soap::AnyAttribute>));
                    locals.push(quote!(let #v = el.other_attributes(&[#(#declared),*]);));
                    inits.push(init_v.clone());
                    any_attributes = Some(id.clone());
                }
                FieldKind::Any => {
                    decls.push(quote!(#field_doc pub #id: ::std::vec::Vec<soap::AnyElement>));
                    writes.push(
                        quote!(soap::write_all(w, &soap::Name::unqualified(""), &self.#id)?;),
                    );
                    locals.push(quote!(let mut #v = ::std::vec::Vec::new();));
                    any_arm = quote!(#v.push(soap::XmlRead::read_element(r, &child)?););
                    inits.push(init_v.clone());
                }
                FieldKind::Content => {
                    let (ty, write, local_init, store, init) = match f.occurs {
                        Occurs::One => (
                            base.clone(),
                            quote!(soap::XmlContent::write_content(&self.#id, w)?;),
                            quote!(let mut #v = ::core::option::Option::None;),
                            quote!(#v = ::core::option::Option::Some(__v);),
                            quote!(#id: soap::required(#v, el, #local_name)?),
                        ),
                        Occurs::Optional => (
                            quote!(::core::option::Option<#base>),
                            quote!(if let ::core::option::Option::Some(__v) = &self.#id { soap::XmlContent::write_content(__v, w)?; }),
                            quote!(let mut #v = ::core::option::Option::None;),
                            quote!(#v = ::core::option::Option::Some(__v);),
                            init_v.clone(),
                        ),
                        Occurs::Many => (
                            quote!(::std::vec::Vec<#base>),
                            quote!(for __v in &self.#id { soap::XmlContent::write_content(__v, w)?; }),
                            quote!(let mut #v = ::std::vec::Vec::new();),
                            quote!(#v.push(__v);),
                            init_v.clone(),
                        ),
                    };
                    let guard = if group && f.occurs != Occurs::Many {
                        quote!(&& #v.is_none())
                    } else {
                        quote!()
                    };
                    decls.push(quote!(#field_doc pub #id: #ty));
                    writes.push(write);
                    locals.push(local_init);
                    matches.push(quote! {
                        if <#base as soap::XmlContent>::starts_with(&child) #guard {
                            let (__v, __next) = soap::XmlContent::read_from(r, el, child)?;
                            #store
                            __pending = __next;
                        }
                    });
                    inits.push(init);
                    has_content = true;
                }
                FieldKind::Element => {
                    let (ty, write, local_init, arm, init) = match (f.occurs, f.nillable) {
                        (Occurs::One, false) => (
                            base.clone(),
                            quote!(soap::XmlWrite::write_element(&self.#id, w, #xml)?;),
                            quote!(let mut #v = ::core::option::Option::None;),
                            quote!(#v = ::core::option::Option::Some(soap::XmlRead::read_element(r, &child)?);),
                            quote!(#id: soap::required(#v, el, #local)?),
                        ),
                        (Occurs::One, true) | (Occurs::Optional, _) => (
                            quote!(::core::option::Option<#base>),
                            {
                                let nil = f.occurs == Occurs::One;
                                quote!(soap::write_optional(w, #xml, &self.#id, #nil)?;)
                            },
                            quote!(let mut #v = ::core::option::Option::None;),
                            quote!(#v = soap::read_nillable(r, &child)?;),
                            init_v.clone(),
                        ),
                        (Occurs::Many, false) => (
                            quote!(::std::vec::Vec<#base>),
                            quote!(soap::write_all(w, #xml, &self.#id)?;),
                            quote!(let mut #v = ::std::vec::Vec::new();),
                            quote!(#v.push(soap::XmlRead::read_element(r, &child)?);),
                            init_v.clone(),
                        ),
                        (Occurs::Many, true) => (
                            quote!(::std::vec::Vec<::core::option::Option<#base>>),
                            quote!(soap::write_all_nillable(w, #xml, &self.#id)?;),
                            quote!(let mut #v = ::std::vec::Vec::new();),
                            quote!(#v.push(soap::read_nillable(r, &child)?);),
                            init_v.clone(),
                        ),
                    };
                    let write = match (&f.xsi, self.encoded) {
                        (Some(t), true) => {
                            let t = self.prefixes.type_name(t);
                            quote!(w.with_type(#t, |w| { #write ::core::result::Result::Ok(()) })?;)
                        }
                        _ => write,
                    };
                    decls.push(quote!(#field_doc pub #id: #ty));
                    writes.push(write);
                    locals.push(local_init);
                    // The children of an rpc wrapper (the parts) are
                    // matched by local name: servers differ in qualifying them.
                    let guard = if group && f.occurs != Occurs::Many {
                        quote!(&& #v.is_none())
                    } else {
                        quote!()
                    };
                    if rpc.is_some() {
                        matches.push(quote!(if child.local() == #local { #arm }));
                    } else if group {
                        let tests = if f.alternatives.is_empty() {
                            vec![quote!(child.is(#ns, #local))]
                        } else {
                            f.alternatives
                                .iter()
                                .map(|q| {
                                    let (ns, local) = (&q.ns, &q.local);
                                    quote!(child.is(#ns, #local))
                                })
                                .collect()
                        };
                        matches.push(quote!(if (#(#tests)||*) #guard { #arm }));
                    } else if !f.alternatives.is_empty() {
                        let tests = f.alternatives.iter().map(|q| {
                            let (ns, local) = (&q.ns, &q.local);
                            quote!(child.is(#ns, #local))
                        });
                        matches.push(quote!(if #(#tests)||* { #arm }));
                    } else {
                        matches.push(quote!(if child.is(#ns, #local) { #arm }));
                    }
                    inits.push(init);
                }
            }
        }
        if let Some(style) = rpc.and_then(|r| r.encoding_style.as_deref()) {
            attrs.push(quote!((&soap::Name { qualified: "soap:encodingStyle", ns: "", local: "encodingStyle" }, ::core::option::Option::Some(::std::borrow::Cow::Borrowed(#style)))));
        }
        let start = match &any_attributes {
            Some(id) => quote!(w.start_with_any(name, &[#(#attrs),*], &self.#id)?;),
            None => quote!(w.start(name, &[#(#attrs),*])?;),
        };
        let body = if let Some(v) = &value_field {
            quote! {
                let #v = soap::read_text_value(r, el)?;
            }
        } else if has_content {
            quote! {
                let mut __pending: ::core::option::Option<soap::Element> = ::core::option::Option::None;
                loop {
                    let child = match __pending.take() {
                        ::core::option::Option::Some(child) => child,
                        ::core::option::Option::None => match r.next_child(el)? {
                            ::core::option::Option::Some(child) => child,
                            ::core::option::Option::None => break,
                        },
                    };
                    #(#matches else)* { #any_arm }
                }
            }
        } else {
            quote! {
                while let ::core::option::Option::Some(child) = r.next_child(el)? {
                    #(#matches else)* { #any_arm }
                }
            }
        };
        if group {
            let firsts = self.first_tests(fields);
            return quote! {
                #doc
                #derives
                pub struct #name { #(#decls,)* }
                impl soap::XmlContent for #name {
                    fn starts_with(child: &soap::Element) -> bool {
                        #firsts
                    }
                    fn read_from(r: &mut soap::XmlReader<'_>, el: &soap::Element, first: soap::Element) -> ::core::result::Result<(Self, ::core::option::Option<soap::Element>), soap::XmlError> {
                        #(#locals)*
                        let mut __pending = ::core::option::Option::Some(first);
                        let __rest = loop {
                            let child = match __pending.take() {
                                ::core::option::Option::Some(child) => child,
                                ::core::option::Option::None => match r.next_child(el)? {
                                    ::core::option::Option::Some(child) => child,
                                    ::core::option::Option::None => break ::core::option::Option::None,
                                },
                            };
                            #(#matches else)* { break ::core::option::Option::Some(child); }
                        };
                        ::core::result::Result::Ok((Self { #(#inits),* }, __rest))
                    }
                    fn write_content(&self, w: &mut soap::XmlWriter) -> ::core::result::Result<(), soap::XmlError> {
                        #(#writes)*
                        ::core::result::Result::Ok(())
                    }
                }
            };
        }
        quote! {
            #doc
            #derives
            pub struct #name { #(#decls,)* }
            impl soap::XmlWrite for #name {
                fn write_element(&self, w: &mut soap::XmlWriter, name: &soap::Name) -> ::core::result::Result<(), soap::XmlError> {
                    #start
                    #(#writes)*
                    w.end(name)
                }
            }
            impl soap::XmlRead for #name {
                fn read_element(r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<Self, soap::XmlError> {
                    #(#locals)*
                    #body
                    ::core::result::Result::Ok(Self { #(#inits),* })
                }
            }
        }
    }
}

// --- operations and clients -------------------------------------------------

/// One header block of an operation: its element and the field of
/// `InputHeaders` / `OutputHeaders` that holds it.
#[derive(Debug, Clone)]
struct HeaderRef {
    element: QName,
}

/// A document/literal operation of one binding, resolved against the
/// port type, messages and schema.
struct OperationPlan {
    name: String,
    doc: Option<String>,
    action: String,
    input_body: Option<(QName, RustTy)>,
    output_body: Option<(QName, RustTy)>,
    /// The port type operation has an input and no output: a 2xx response
    /// with an empty body is success.
    one_way: bool,
    input_headers: Vec<HeaderRef>,
    faults: Option<String>,
    /// `use="encoded"`: the envelope is written in encoded mode.
    encoded: bool,
    pos: Pos,
}

/// `(port type, operation, output, namespace, encoding style)` of an rpc
/// wrapper struct.
type RpcKey = (QName, String, bool, String, Option<String>);

/// A fault enum of one port type operation.
struct FaultEnum {
    rust: String,
    /// `(variant, element, type)`.
    variants: Vec<(String, QName, RustTy)>,
}

pub struct Services<'a> {
    pub gen: &'a Gen<'a>,
    pub defs: &'a Definitions,
    pub schemas: &'a SchemaSet,
    pub diagnostics: Vec<Diagnostic>,
    pub namer: Namer,
    /// Header element → `(field, type)`.
    input_headers: BTreeMap<QName, (String, RustTy, Option<String>)>,
    output_headers: BTreeMap<QName, (String, RustTy, Option<String>)>,
    faults: BTreeMap<(QName, String), FaultEnum>,
    /// `(portType, operation)` pairs that became methods.
    pub operations: std::collections::BTreeSet<(QName, String)>,
    /// rpc wrapper structs by `(port type, operation, output, namespace,
    /// encoding style)`: the wrapper element and the struct's name.
    rpc_wrappers: BTreeMap<RpcKey, (QName, String)>,
    rpc_tokens: TokenStream,
}

impl<'a> Services<'a> {
    pub fn new(gen: &'a Gen<'a>, defs: &'a Definitions, schemas: &'a SchemaSet) -> Self {
        let mut namer = Namer::new();
        for item in &gen.table.items {
            namer.reserve(&item.rust);
        }
        namer.reserve("InputHeaders");
        namer.reserve("OutputHeaders");
        namer.reserve("NAMESPACES");
        Services {
            gen,
            defs,
            schemas,
            diagnostics: Vec::new(),
            namer,
            input_headers: BTreeMap::new(),
            output_headers: BTreeMap::new(),
            faults: BTreeMap::new(),
            operations: Default::default(),
            rpc_wrappers: BTreeMap::new(),
            rpc_tokens: TokenStream::new(),
        }
    }

    fn skip(&mut self, pos: Pos, what: &str, why: String) {
        self.diagnostics.push(Diagnostic::warning(
            "wsdl:unsupported",
            self.gen.sources.location(pos),
            format!("{what} skipped: {why}"),
        ));
    }

    /// The type of global element `q`; an unknown element degrades to raw
    /// XML with a warning (its name is known, so it is still written and
    /// read under that name).
    fn element_ty(&mut self, q: &QName, pos: Pos) -> RustTy {
        match self.gen.table.element_ty(self.schemas, q) {
            Some(ty) => ty,
            None => {
                self.unresolved(pos, format!("unknown element `{q}`; kept as raw XML"));
                RustTy::AnyContent
            }
        }
    }

    fn unresolved(&mut self, pos: Pos, message: String) {
        self.diagnostics.push(Diagnostic::warning(
            "wsdl:unresolved-reference",
            self.gen.sources.location(pos),
            message,
        ));
    }

    /// Message `q`, or why the operation using it is skipped.
    fn message(&self, q: &QName) -> Result<&'a Message, String> {
        self.defs
            .messages
            .get(q)
            .ok_or_else(|| format!("unknown message `{q}`"))
    }

    /// Header parts of `io` as elements; adds them to the header struct.
    /// Header parts of `io` as elements; adds them to the header struct. A
    /// header that does not resolve (unknown message or part, a part with a
    /// type) is left out with a warning; the operation is still generated.
    fn headers(&mut self, io: &BindingIo, output: bool, what: &str) -> Vec<HeaderRef> {
        let mut out = Vec::new();
        for (message, part_name, pos) in &io.headers {
            let message = match self.message(message) {
                Ok(m) => m,
                Err(why) => {
                    self.skip(*pos, &format!("a header of {what}"), why);
                    continue;
                }
            };
            let Some(part) = message.parts.iter().find(|p| &p.name == part_name) else {
                self.skip(
                    *pos,
                    &format!("a header of {what}"),
                    format!("message `{}` has no part `{part_name}`", message.name),
                );
                continue;
            };
            let Some(element) = &part.element else {
                self.skip(
                    *pos,
                    &format!("a header of {what}"),
                    format!("header part `{part_name}` has a type, not an element"),
                );
                continue;
            };
            let ty = self.element_ty(element, part.pos);
            let doc = self
                .schemas
                .elements
                .get(element)
                .and_then(|e| e.doc.clone());
            let map = if output {
                &mut self.output_headers
            } else {
                &mut self.input_headers
            };
            if !map.contains_key(element) {
                map.insert(element.clone(), (String::new(), ty, doc));
            }
            out.push(HeaderRef {
                element: element.clone(),
            });
        }
        out
    }

    /// The single body element of a document/literal message.
    fn body(
        &mut self,
        message: Option<&QName>,
        io: &BindingIo,
    ) -> Result<Option<(QName, RustTy)>, String> {
        let Some(message) = message else {
            return Ok(None);
        };
        let message = self.message(message)?;
        let parts = body_parts(message, io);
        match parts.as_slice() {
            [] => Ok(None),
            [part] => match &part.element {
                Some(element) => Ok(Some((element.clone(), self.element_ty(element, part.pos)))),
                None => Err(format!(
                    "body part `{}` has a type, not an element (document style needs an element)",
                    part.name
                )),
            },
            _ => Err(format!(
                "message `{}` has {} body parts (document style needs one element)",
                message.name,
                parts.len()
            )),
        }
    }

    /// The wrapper struct of an rpc message: one field per body part,
    /// named after the part (unqualified) or the part's element. The input
    /// wrapper is the operation name in the `soap:body` namespace; the
    /// output wrapper is read whatever its name (WSDL 1.1 §3.5).
    fn rpc_body(
        &mut self,
        port_type: &PortType,
        pt_op: &PortOperation,
        message: Option<&QName>,
        io: &BindingIo,
        output: bool,
    ) -> Result<Option<(QName, RustTy)>, String> {
        let Some(message) = message else {
            return Ok(None);
        };
        let message = self.message(message)?;
        let ns = io.namespace.clone().unwrap_or_default();
        let style = io
            .encoded
            .then(|| io.encoding_style.clone().unwrap_or(SOAPENC_NS.to_string()));
        let key = (
            port_type.name.clone(),
            pt_op.name.clone(),
            output,
            ns.clone(),
            style.clone(),
        );
        if let Some((q, rust)) = self.rpc_wrappers.get(&key) {
            return Ok(Some((q.clone(), RustTy::Local(rust.clone()))));
        }
        let mut namer = Namer::new();
        let mut fields = Vec::new();
        for part in body_parts(message, io) {
            let (xml, ty, xsi) = match (&part.element, &part.ty) {
                (Some(element), _) => (element.clone(), self.element_ty(element, part.pos), None),
                (None, Some(t)) => {
                    let ty = match self.gen.table.named_ty(t) {
                        Some(ty) => ty,
                        None => {
                            self.unresolved(
                                part.pos,
                                format!(
                                    "unknown type `{t}` of part `{}`; kept as raw XML",
                                    part.name
                                ),
                            );
                            RustTy::AnyContent
                        }
                    };
                    (QName::new("", &part.name), ty, Some(t.clone()))
                }
                (None, None) => {
                    return Err(format!(
                        "part `{}` has neither a type nor an element",
                        part.name
                    ))
                }
            };
            fields.push(super::types::Field {
                rust: namer.name(&part.name, Case::Snake),
                xml,
                ty,
                occurs: Occurs::One,
                nillable: false,
                kind: FieldKind::Element,
                doc: None,
                boxed: false,
                xsi,
                alternatives: Vec::new(),
            });
        }
        let local = if output {
            format!("{}Response", pt_op.name)
        } else {
            pt_op.name.clone()
        };
        let rust = self.namer.name(
            &format!(
                "{}{}",
                pt_op.name,
                if output { "Response" } else { "Request" }
            ),
            Case::Pascal,
        );
        let doc = format!(
            " The {} of rpc operation `{}` of port type `{}`: element `{local}`{}, one child per part of message `{}`.",
            if output { "output" } else { "input" },
            pt_op.name,
            port_type.name.local,
            if ns.is_empty() { String::new() } else { format!(" in `{ns}`") },
            message.name.local,
        );
        let ident = to_ident(&rust);
        let traits = self.gen.table.fields_traits(&fields);
        let tokens = self.gen.structure(
            &ident,
            quote!(#[doc = #doc]),
            traits,
            &fields,
            None,
            Some(&RpcWrapper {
                encoding_style: style,
            }),
        );
        self.rpc_tokens.extend(tokens);
        // The output wrapper's name is not significant: match any.
        let q = if output {
            QName::default()
        } else {
            QName::new(&ns, &local)
        };
        self.rpc_wrappers.insert(key, (q.clone(), rust.clone()));
        Ok(Some((q, RustTy::Local(rust))))
    }

    /// The plan of one binding operation, or `None` (with a warning) when
    /// it cannot be generated; nothing here fails the whole WSDL.
    fn plan(
        &mut self,
        binding: &Binding,
        port_type: &PortType,
        op: &BindingOperation,
    ) -> Option<OperationPlan> {
        let what = format!(
            "operation `{}` of binding `{}`",
            op.name, binding.name.local
        );
        let Some(pt_op) = port_type.operations.iter().find(|o| o.name == op.name) else {
            self.skip(
                op.pos,
                &what,
                format!(
                    "port type `{}` has no operation `{}`",
                    port_type.name, op.name
                ),
            );
            return None;
        };
        let rpc = op.style.unwrap_or(binding.style) == Style::Rpc;
        let bodies = if rpc {
            self.rpc_body(port_type, pt_op, pt_op.input.as_ref(), &op.input, false)
                .and_then(|input| {
                    let output =
                        self.rpc_body(port_type, pt_op, pt_op.output.as_ref(), &op.output, true)?;
                    Ok((input, output))
                })
        } else {
            self.body(pt_op.input.as_ref(), &op.input)
                .and_then(|input| {
                    let output = self.body(pt_op.output.as_ref(), &op.output)?;
                    Ok((input, output))
                })
        };
        let (input_body, output_body) = match bodies {
            Ok(b) => b,
            Err(why) => {
                self.skip(op.pos, &what, why);
                return None;
            }
        };
        let input_headers = self.headers(&op.input, false, &what);
        self.headers(&op.output, true, &what);
        let faults = self.fault_enum(port_type, pt_op);
        self.operations
            .insert((port_type.name.clone(), op.name.clone()));
        Some(OperationPlan {
            name: op.name.clone(),
            doc: pt_op.doc.clone(),
            action: op.action.clone(),
            input_body,
            output_body,
            one_way: pt_op.input.is_some() && pt_op.output.is_none(),
            input_headers,
            faults,
            encoded: op.input.encoded || op.output.encoded,
            pos: op.pos,
        })
    }

    fn fault_enum(&mut self, port_type: &PortType, op: &PortOperation) -> Option<String> {
        if op.faults.is_empty() {
            return None;
        }
        let key = (port_type.name.clone(), op.name.clone());
        if let Some(e) = self.faults.get(&key) {
            return Some(e.rust.clone());
        }
        let mut variants = Vec::new();
        let mut namer = Namer::new();
        for (fault_name, message) in &op.faults {
            let message = match self.message(message) {
                Ok(m) => m,
                Err(why) => {
                    self.skip(
                        op.pos,
                        &format!("fault `{fault_name}` of operation `{}`", op.name),
                        why,
                    );
                    continue;
                }
            };
            if let Some(element) = message.parts.first().and_then(|p| p.element.clone()) {
                let ty = self.element_ty(&element, message.pos);
                variants.push((namer.name(fault_name, Case::Pascal), element, ty));
            }
        }
        if variants.is_empty() {
            return None;
        }
        let rust = self.namer.name(&format!("{}Fault", op.name), Case::Pascal);
        self.faults.insert(
            key,
            FaultEnum {
                rust: rust.clone(),
                variants,
            },
        );
        Some(rust)
    }

    /// Tokens of every client, header struct and fault enum.
    pub fn generate(&mut self) -> Result<TokenStream, Error> {
        let mut clients = TokenStream::new();
        let bindings: Vec<&Binding> = self.defs.bindings.values().collect();
        let mut plans = Vec::new();
        for binding in bindings {
            let Some(version) = binding.version else {
                self.diagnostics.push(Diagnostic::note(
                    "wsdl:not-soap",
                    self.gen.sources.location(binding.pos),
                    format!(
                        "binding `{}` is not a SOAP binding; no client",
                        binding.name.local
                    ),
                ));
                continue;
            };
            let Some(port_type) = self.defs.port_types.get(&binding.port_type) else {
                self.skip(
                    binding.pos,
                    &format!("binding `{}`", binding.name.local),
                    format!("unknown port type `{}`", binding.port_type),
                );
                continue;
            };
            let mut ops = Vec::new();
            for op in &binding.operations {
                if let Some(plan) = self.plan(binding, port_type, op) {
                    ops.push(plan);
                }
            }
            plans.push((binding, version, ops));
        }
        // Header field names, now that all headers are known.
        for map in [&mut self.input_headers, &mut self.output_headers] {
            let mut namer = Namer::new();
            for (q, entry) in map.iter_mut() {
                entry.0 = namer.name(&q.local, Case::Snake);
            }
        }
        for (binding, version, ops) in plans {
            clients.extend(self.client(binding, version, &ops));
        }
        let headers = self.header_structs();
        let faults = self.fault_enums();
        let rpc = &self.rpc_tokens;
        Ok(quote!(#headers #faults #clients #rpc))
    }

    fn header_structs(&self) -> TokenStream {
        let field = |(_, (name, ty, doc)): (&QName, &(String, RustTy, Option<String>))| {
            let id = to_ident(name);
            let ty = self.gen.ty(ty);
            let doc = docs(&[doc.as_deref()]);
            quote!(#doc pub #id: ::core::option::Option<#ty>)
        };
        // Every field is an `Option`: `Default` always holds.
        let traits = |map: &BTreeMap<QName, (String, RustTy, Option<String>)>| {
            derives(map.values().fold(Traits::ALL, |acc, (_, ty, _)| Traits {
                default: true,
                eq_hash: acc.eq_hash && self.gen.table.ty_traits(ty).eq_hash,
            }))
        };
        let input_derives = traits(&self.input_headers);
        let output_derives = traits(&self.output_headers);
        let input_fields = self.input_headers.iter().map(field);
        let output_fields = self.output_headers.iter().map(field);
        let reads = self.output_headers.iter().map(|(q, (name, _, _))| {
            let id = to_ident(name);
            let (ns, local) = (&q.ns, &q.local);
            quote! {
                if el.is(#ns, #local) {
                    self.#id = soap::read_nillable(r, el)?;
                    return ::core::result::Result::Ok(true);
                }
            }
        });
        quote! {
            /// Input header blocks. Set them once on a client (its `headers`
            /// field) or per call (`*_with_headers`); a per-call value wins.
            /// Each operation sends only the blocks its binding declares.
            #input_derives
            pub struct InputHeaders { #(#input_fields,)* }

            /// Output header blocks of a response; each is `None` when the
            /// response does not carry it (or carries it as `xsi:nil`).
            #output_derives
            pub struct OutputHeaders { #(#output_fields,)* }

            impl soap::ReadHeaders for OutputHeaders {
                fn read_header(&mut self, r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<bool, soap::XmlError> {
                    #(#reads)*
                    let _ = (r, el);
                    ::core::result::Result::Ok(false)
                }
            }
        }
    }

    fn fault_enums(&self) -> TokenStream {
        let mut out = TokenStream::new();
        for ((pt, op), e) in &self.faults {
            let name = to_ident(&e.rust);
            let doc = format!(
                " The faults `wsdl:fault` declares for operation `{op}` of port type `{}`.",
                pt.local
            );
            let derives = derives(Traits {
                default: false,
                eq_hash: e
                    .variants
                    .iter()
                    .all(|(_, _, ty)| self.gen.table.ty_traits(ty).eq_hash),
            });
            let variants = e.variants.iter().map(|(v, q, ty)| {
                let v = to_ident(v);
                let ty = self.gen.ty(ty);
                let d = format!(" Fault element `{}`.", q.local);
                quote!(#[doc = #d] #v(#ty))
            });
            let reads = e.variants.iter().map(|(v, q, _)| {
                let v = to_ident(v);
                let (ns, local) = (&q.ns, &q.local);
                quote! {
                    if el.is(#ns, #local) {
                        return soap::XmlRead::read_element(r, el).map(|d| ::core::option::Option::Some(Self::#v(d)));
                    }
                }
            });
            out.extend(quote! {
                #[doc = #doc]
                #derives
                pub enum #name { #(#variants,)* }
                impl soap::FaultDetail for #name {
                    fn read_detail(r: &mut soap::XmlReader<'_>, el: &soap::Element) -> ::core::result::Result<::core::option::Option<Self>, soap::XmlError> {
                        #(#reads)*
                        ::core::result::Result::Ok(::core::option::Option::None)
                    }
                }
            });
        }
        out
    }

    fn client(
        &mut self,
        binding: &Binding,
        version: SoapVersion,
        ops: &[OperationPlan],
    ) -> TokenStream {
        let name = to_ident(
            &self
                .namer
                .name(&format!("{}Client", binding.name.local), Case::Pascal),
        );
        let version_tokens = match version {
            SoapVersion::V11 => quote!(soap::SoapVersion::V11),
            SoapVersion::V12 => quote!(soap::SoapVersion::V12),
        };
        let port = self
            .defs
            .services
            .values()
            .flat_map(|s| s.ports.iter().map(move |p| (s, p)))
            .find(|(_, p)| p.binding == binding.name && p.address.is_some());
        let version_text = match version {
            SoapVersion::V11 => "SOAP 1.1",
            SoapVersion::V12 => "SOAP 1.2",
        };
        let doc = format!(
            "Client of binding `{}` ({version_text}) of port type `{}`; from {}.",
            binding.name.local,
            binding.port_type.local,
            self.gen.where_(binding.pos)
        );
        let endpoint = port.and_then(|(service, p)| {
            let address = p.address.clone()?;
            let d = format!(
                " The address of port `{}` of service `{}`.",
                p.name, service.name.local
            );
            Some(quote! {
                #[doc = #d]
                pub const DEFAULT_ENDPOINT: &'static str = #address;

                /// A client for [`Self::DEFAULT_ENDPOINT`].
                pub fn new() -> ::core::result::Result<Self, ::wiregen_runtime::http::BuildError> {
                    Self::with_endpoint(Self::DEFAULT_ENDPOINT)
                }
            })
        });
        let mut methods = Namer::new();
        for reserved in [
            "new",
            "with_endpoint",
            "from_api_client",
            "api_client",
            "with_headers",
        ] {
            methods.reserve(reserved);
        }
        let mut method_tokens = Vec::new();
        for op in ops {
            let method = methods.name(&op.name, Case::Snake);
            let method_with = methods.name(&format!("{method}_with_headers"), Case::Snake);
            let method_id = to_ident(&method);
            let method_with_id = to_ident(&method_with);
            let (param, param_use, body_arg) = match &op.input_body {
                Some((q, ty)) => {
                    let ty = self.gen.ty(ty);
                    let n = self.gen.prefixes.name(q);
                    (
                        quote!(request: &#ty,),
                        quote!(request,),
                        quote!(::core::option::Option::Some((#n, request))),
                    )
                }
                None => (quote!(), quote!(), quote!(::core::option::Option::None)),
            };
            let (out_ty, out_name) = match &op.output_body {
                Some((q, ty)) => {
                    let n = self.gen.prefixes.name(q);
                    (self.gen.ty(ty), quote!(::core::option::Option::Some(#n)))
                }
                None => (quote!(()), quote!(::core::option::Option::None)),
            };
            let fault_ty = match &op.faults {
                Some(f) => {
                    let id = to_ident(f);
                    quote!(#id)
                }
                None => quote!(()),
            };
            let blocks = op.input_headers.iter().map(|h| {
                let field = to_ident(&self.input_headers[&h.element].0);
                let n = self.gen.prefixes.name(&h.element);
                quote! {
                    if let ::core::option::Option::Some(value) = headers.#field.as_ref().or(self.headers.#field.as_ref()) {
                        blocks.push((#n, value));
                    }
                }
            });
            let op_name = &op.name;
            let action = &op.action;
            let provenance = format!(
                "`{op_name}`, SOAP action `{action}` ({}).",
                self.gen.where_(op.pos)
            );
            let doc = docs(&[op.doc.as_deref(), Some(&provenance)]);
            let ret = quote!(::core::result::Result<soap::Response<#out_ty, OutputHeaders>, soap::SoapError<#fault_ty>>);
            let with_doc = format!(" [`Self::{method}`] with header blocks for this call only.");
            let blocks_decl = if op.input_headers.is_empty() {
                quote!(let blocks: ::std::vec::Vec<soap::HeaderBlock<'_>> = { let _ = headers; ::std::vec::Vec::new() };)
            } else {
                quote! {
                    let mut blocks: ::std::vec::Vec<soap::HeaderBlock<'_>> = ::std::vec::Vec::new();
                    #(#blocks)*
                }
            };
            let build = if op.encoded {
                quote!(soap::build_encoded_envelope)
            } else {
                quote!(soap::build_envelope)
            };
            let call = if op.one_way {
                quote!(soap::call_one_way)
            } else {
                quote!(soap::call)
            };
            method_tokens.push(quote! {
                #doc
                pub async fn #method_id(&self, #param) -> #ret {
                    self.#method_with_id(#param_use &InputHeaders::default()).await
                }

                #[doc = #with_doc]
                pub async fn #method_with_id(&self, #param headers: &InputHeaders) -> #ret {
                    // Header blocks borrow trait objects: scoped, so none is
                    // held across the `.await` and the future stays `Send`.
                    let envelope = {
                        #blocks_decl
                        #build(#version_tokens, NAMESPACES, &blocks, #body_arg)
                            .map_err(soap::invalid_request)?
                    };
                    let operation = soap::Operation { name: #op_name, version: #version_tokens, action: #action };
                    #call(&self.client, &operation, envelope, #out_name).await
                }
            });
        }
        let doc = docs(&[Some(&doc)]);
        let send_checks = crate::send_check::client(&name, &method_tokens);
        quote! {
            #doc
            #[derive(::core::fmt::Debug, ::core::clone::Clone)]
            pub struct #name {
                client: ::wiregen_runtime::ApiClient,
                /// Header blocks sent with every call.
                pub headers: InputHeaders,
            }

            impl #name {
                #endpoint

                /// A client for `endpoint` (the service URL).
                pub fn with_endpoint(endpoint: &str) -> ::core::result::Result<Self, ::wiregen_runtime::http::BuildError> {
                    ::core::result::Result::Ok(Self::from_api_client(::wiregen_runtime::ClientBuilder::new(endpoint).build()?))
                }

                /// A client on a configured transport; its base URL is the endpoint.
                pub fn from_api_client(client: ::wiregen_runtime::ApiClient) -> Self {
                    Self { client, headers: InputHeaders::default() }
                }

                /// Sets the header blocks sent with every call.
                pub fn with_headers(mut self, headers: InputHeaders) -> Self {
                    self.headers = headers;
                    self
                }

                /// The transport.
                pub fn api_client(&self) -> &::wiregen_runtime::ApiClient {
                    &self.client
                }

                #(#method_tokens)*
            }

            #send_checks
        }
    }
}

/// The parts of `message` in the body: those `soap:body parts` lists, or
/// all that no `soap:header` of `io` takes.
fn body_parts<'m>(message: &'m Message, io: &BindingIo) -> Vec<&'m Part> {
    let header_parts: Vec<&str> = io
        .headers
        .iter()
        .filter(|(m, _, _)| m == &message.name)
        .map(|(_, p, _)| p.as_str())
        .collect();
    message
        .parts
        .iter()
        .filter(|p| match &io.body_parts {
            Some(listed) => listed.contains(&p.name),
            None => !header_parts.contains(&p.name.as_str()),
        })
        .collect()
}

/// The module's inner doc comment.
pub fn module_doc(defs: &Definitions, api: &str) -> TokenStream {
    let mut lines = vec![format!(" SOAP client `{api}`, generated from WSDL 1.1.")];
    if let Some(doc) = &defs.doc {
        lines.push(String::new());
        for p in doc.split("\n\n") {
            lines.push(format!(" {}", p.trim()));
        }
    }
    let attrs = lines.iter().map(|l| quote!(#![doc = #l]));
    quote!(#(#attrs)*)
}

/// The derives of a generated type: `Debug`, `Clone` and `PartialEq`
/// always, the others where [`Traits`] (decided in `types.rs`) says every
/// field supports them. Paths are absolute so no schema type can shadow them.
pub fn derives(traits: Traits) -> TokenStream {
    let default = traits.default.then(|| quote!(::core::default::Default,));
    let eq_hash = traits
        .eq_hash
        .then(|| quote!(::core::cmp::Eq, ::core::hash::Hash,));
    quote! {
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, #eq_hash #default)]
    }
}

/// `From<Vec<T>>`, `Deref` and `DerefMut` for a list newtype `name(Vec<inner>)`.
fn vec_newtype_impls(name: &impl ToTokens, inner: &impl ToTokens) -> TokenStream {
    quote! {
        impl ::core::convert::From<::std::vec::Vec<#inner>> for #name {
            fn from(items: ::std::vec::Vec<#inner>) -> Self { Self(items) }
        }
        impl ::std::ops::Deref for #name {
            type Target = ::std::vec::Vec<#inner>;
            fn deref(&self) -> &::std::vec::Vec<#inner> { &self.0 }
        }
        impl ::std::ops::DerefMut for #name {
            fn deref_mut(&mut self) -> &mut ::std::vec::Vec<#inner> { &mut self.0 }
        }
    }
}
