//! WSDL 1.1 + XSD pipeline.
//!
//! 1. [`load`]: roxmltree reads the entry WSDL and everything it imports
//!    (through the [`FileSource`], never the network) into the
//!    [`model`]: one [`model::SchemaSet`] and the WSDL definitions.
//! 2. [`types`]: every XSD type and every element with an inline type
//!    becomes one Rust item with a unique name.
//! 3. [`gen`]: items become structs/enums with `XmlWrite`/`XmlRead`
//!    impls; each SOAP binding becomes a client whose methods call
//!    `wiregen_runtime::soap`.
//!
//! Document/literal operations with one body element are generated, the
//! request being the body element's type (a request struct for wrapped
//! operations). rpc operations, literal or encoded, get wrapper structs
//! with one field per part; encoded ones write `xsi:type` and
//! `soapenc:Array` (see ARCHITECTURE.md).

pub mod gen;
pub mod load;
pub mod model;
pub mod types;

use quote::quote;

use crate::{ApiSpec, Error, FileSource, Output};

/// Generates the SOAP client module for `api`.
pub fn generate(files: &dyn FileSource, api: &ApiSpec) -> Result<Output, Error> {
    let entries: Vec<String> = api.files.iter().map(|f| f.path.clone()).collect();
    let loaded = load::load(files, &entries, &api.catalog)?;
    let (table, mut diagnostics) = types::build(&loaded.schemas, &loaded.sources)?;
    let encoded = loaded.defs.bindings.values().any(|b| {
        b.operations
            .iter()
            .any(|o| o.input.encoded || o.output.encoded)
    });
    let arrays = table
        .items
        .iter()
        .any(|i| matches!(i.kind, types::ItemKind::SoapArray { .. }));
    let rpc_namespaces: Vec<&str> = loaded
        .defs
        .bindings
        .values()
        .flat_map(|b| &b.operations)
        .flat_map(|o| [&o.input.namespace, &o.output.namespace])
        .filter_map(|ns| ns.as_deref())
        .collect();
    let prefixes = gen::Prefixes::new(&loaded.schemas, encoded || arrays, &rpc_namespaces);
    let generator = gen::Gen {
        table: &table,
        prefixes: &prefixes,
        sources: &loaded.sources,
        encoded,
    };
    let mut services = gen::Services::new(&generator, &loaded.defs, &loaded.schemas);
    let clients = services.generate()?;
    let items = generator.items();
    let namespaces = prefixes_tokens(&prefixes);
    let doc = gen::module_doc(&loaded.defs, &api.name);
    let tokens = quote! {
        #doc
        #![allow(clippy::large_enum_variant, clippy::enum_variant_names, clippy::result_large_err)]

        use ::wiregen_runtime::soap;

        #namespaces
        #clients
        #items
    };
    let mut all = loaded.diagnostics;
    all.append(&mut diagnostics);
    all.append(&mut services.diagnostics);
    let operations = services.operations.len();
    let code = crate::format::format_module(&api.name, tokens)?;
    // `xs:decimal` is `rust_decimal::Decimal`; every other built-in type
    // is a primitive or the runtime's.
    let crates = if code.contains(types::DECIMAL) {
        vec!["rust_decimal".to_string()]
    } else {
        Vec::new()
    };
    Ok(Output {
        code,
        diagnostics: all,
        operations,
        crates,
    })
}

fn prefixes_tokens(p: &gen::Prefixes) -> proc_macro2::TokenStream {
    p.namespaces_tokens()
}

#[cfg(test)]
mod tests;
