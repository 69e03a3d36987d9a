//! Printing generated items one at a time. typify hands over the whole
//! module as one token stream; a syntax tree of all of it (for a 20 MB spec,
//! millions of tokens) costs several times the stream, so items are cut from
//! the stream, parsed, polished and printed in turn, and freed.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

use crate::{docs, lints};

/// How many candidate ends an item may pass before the stream is declared
/// unparsable: an item ends at a top-level `;` or `{...}` except when that
/// brace is inside it (`const X: T = T { a: 1 };`), which one more end fixes.
const MAX_ENDS_PER_ITEM: usize = 8;

/// Prints `stream`'s items into `out` (when given), exactly as
/// `prettyplease::unparse` prints them in one file; without `out`, only
/// checks that every item parses.
pub(crate) fn items(stream: TokenStream, mut out: Option<&mut String>) -> Result<(), String> {
    let mut pending: Vec<TokenTree> = Vec::new();
    let mut failed_ends = 0;
    for tree in stream {
        let ends_item = match &tree {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
            _ => false,
        };
        pending.push(tree);
        if !ends_item {
            continue;
        }
        match syn::parse2::<syn::File>(pending.iter().cloned().collect()) {
            Ok(file) => {
                if let Some(out) = out.as_deref_mut() {
                    print(file, out);
                }
                pending.clear();
                failed_ends = 0;
            }
            Err(error) if failed_ends + 1 == MAX_ENDS_PER_ITEM => return Err(error.to_string()),
            Err(_) => failed_ends += 1,
        }
    }
    if pending.is_empty() {
        return Ok(());
    }
    let file = syn::parse2::<syn::File>(pending.into_iter().collect())
        .map_err(|error| error.to_string())?;
    if let Some(out) = out {
        print(file, out);
    }
    Ok(())
}

fn print(mut file: syn::File, out: &mut String) {
    docs::inert_doc_comments(&mut file);
    lints::allow_spec_variant_names(&mut file);
    out.push_str(&prettyplease::unparse(&file));
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    fn printed(stream: TokenStream) -> String {
        let mut out = String::new();
        items(stream, Some(&mut out)).unwrap();
        out
    }

    #[test]
    fn items_print_as_one_file_prints_them() {
        let stream = quote! {
            #[doc = " A pet."]
            pub struct Pet { pub name: String }
            pub struct Id(pub u64);
            const ORIGIN: Point = Point { x: 0, y: 0 };
            impl Pet { fn name(&self) -> &str { &self.name } }
            pub mod defaults { pub fn one() -> u64 { 1 } }
            type Alias = Pet;
        };
        let whole: syn::File = syn::parse2(stream.clone()).unwrap();
        assert_eq!(printed(stream), prettyplease::unparse(&whole));
    }

    #[test]
    fn an_unparsable_item_is_an_error_not_a_search_to_the_end() {
        let mut stream = quote!(pub struct 1 {});
        for _ in 0..100 {
            stream.extend(quote!(
                pub struct A {}
            ));
        }
        assert!(items(stream, None).is_err());
    }
}
