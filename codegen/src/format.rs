//! Turning token streams into formatted source text.

use proc_macro2::TokenStream;

/// Formats `tokens` with prettyplease and prepends the `@generated` header.
/// `api` names the API in the error if the tokens are not valid Rust.
pub fn format_module(api: &str, tokens: TokenStream) -> Result<String, crate::Error> {
    let file: syn::File = syn::parse2(tokens.clone()).map_err(|e| {
        if let Ok(path) = std::env::var("WIREGEN_DUMP_TOKENS") {
            // Debugging aid for generator bugs; never set in normal runs.
            let _ = std::fs::write(path, tokens.to_string());
        }
        crate::Error::Format {
            api: api.to_string(),
            message: e.to_string(),
        }
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{}\n{body}", crate::generated_header("//")))
}
