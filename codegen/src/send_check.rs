//! Compile-time `Send` checks written next to every generated client.
//!
//! Users spawn generated calls on multi-threaded runtimes and share clients
//! between tasks, so every client must be `Send + Sync + Clone` and every
//! method's future `Send`. Both pipelines call [`client`] with the client's
//! name and its method tokens; it writes one anonymous `const` block that
//! mirrors each `async fn` as a free function calling it and handing the
//! future to a function that requires `Send`. A future that stops being
//! `Send` (a non-`Send` value kept across an `.await`) then fails the
//! build of the generated crate, not a user's.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};

/// The `const _: () = { … };` block asserting that `client` is
/// `Send + Sync + Clone` and that every `async fn` with a `&self` receiver
/// in `methods` returns a `Send` future. Tokens that do not parse as
/// methods give no checks (the formatter reports the real error).
pub fn client(client: &impl ToTokens, methods: &[TokenStream]) -> TokenStream {
    let Ok(block) = syn::parse2::<syn::ItemImpl>(quote!(impl __Client { #(#methods)* })) else {
        return TokenStream::new();
    };
    let checks = block.items.iter().filter_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.asyncness.is_some() => method_check(client, &f.sig),
        _ => None,
    });
    quote! {
        /// Compile-time check: the client can be shared between threads and
        /// every method's future can be spawned on a multi-threaded runtime.
        #[allow(dead_code, deprecated, clippy::all)]
        const _: () = {
            fn __assert_send<T: ::core::marker::Send>(_: T) {}
            fn __assert_client<T: ::core::marker::Send + ::core::marker::Sync + ::core::clone::Clone + 'static>() {}
            const _: fn() = __assert_client::<#client>;
            #(#checks)*
        };
    }
}

/// `fn <method><generics>(__client: &Client, __a0: A0, …) { __assert_send(__client.<method>(__a0, …)); }`
fn method_check(client: &impl ToTokens, sig: &syn::Signature) -> Option<TokenStream> {
    let mut inputs = sig.inputs.iter();
    let syn::FnArg::Receiver(receiver) = inputs.next()? else {
        return None;
    };
    let syn::ReceiverKind::Reference(_, lifetime, None) = &receiver.kind else {
        return None;
    };
    let mut params = Vec::new();
    let mut args = Vec::new();
    for (i, input) in inputs.enumerate() {
        let syn::FnArg::Typed(typed) = input else {
            return None;
        };
        let arg = format_ident!("__a{i}");
        let ty = &typed.ty;
        params.push(quote!(#arg: #ty));
        args.push(arg);
    }
    let name = &sig.ident;
    let generics = &sig.generics;
    let where_clause = &sig.generics.where_clause;
    Some(quote! {
        fn #name #generics (__client: & #lifetime #client, #(#params),*) #where_clause {
            __assert_send(__client.#name(#(#args),*));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_every_async_method_and_the_client() {
        let methods = vec![
            quote! {
                pub async fn get_pet(&self, id: i64, body: Option<&types::Pet>) -> Result<(), ()> { todo!() }
                pub fn not_async(&self) {}
            },
            quote! {
                #[deprecated]
                pub async fn r#type<'a>(&'a self, body: PetBody<'a>) -> Result<(), ()> { todo!() }
            },
        ];
        let code = client(&quote!(Client), &methods).to_string();
        assert!(code.contains("__assert_client :: < Client >"), "{code}");
        assert!(
            code.contains(
                "fn get_pet (__client : & Client , __a0 : i64 , __a1 : Option < & types :: Pet >)"
            ),
            "{code}"
        );
        assert!(
            code.contains("__assert_send (__client . get_pet (__a0 , __a1))"),
            "{code}"
        );
        assert!(
            code.contains("fn r#type < 'a > (__client : & 'a Client , __a0 : PetBody < 'a >)"),
            "{code}"
        );
        assert!(!code.contains("not_async"), "{code}");
        syn::parse2::<syn::File>(client(&quote!(Client), &methods)).expect("parses");
    }
}
