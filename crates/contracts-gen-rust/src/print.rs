//! Printing generated items one at a time. typify hands over the whole
//! module as one token stream; a syntax tree of all of it (for a 20 MB spec,
//! millions of tokens) costs several times the stream, so items are cut from
//! the stream, parsed, polished and printed in turn, and freed.

use std::collections::HashSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::{docs, lints};

/// How many candidate ends an item may pass before the stream is declared
/// unparsable: an item ends at a top-level `;` or `{...}` except when that
/// brace is inside it (`const X: T = T { a: 1 };`), which one more end fixes.
const MAX_ENDS_PER_ITEM: usize = 8;

/// Prints `stream`'s items into `out` (when given), exactly as
/// `prettyplease::unparse` prints them in one file; without `out`, only
/// checks that every item parses.
pub(crate) fn items(stream: TokenStream, mut out: Option<&mut String>) -> Result<(), String> {
    each_file(stream, |file| {
        if let Some(out) = out.as_deref_mut() {
            print(file, out);
        }
    })
}

/// Parses `stream` item by item, handing each parsed piece to `take`.
fn each_file(stream: TokenStream, mut take: impl FnMut(syn::File)) -> Result<(), String> {
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
                take(file);
                pending.clear();
                failed_ends = 0;
            }
            Err(error) if failed_ends + 1 == MAX_ENDS_PER_ITEM => return Err(error.to_string()),
            Err(_) => failed_ends += 1,
        }
    }
    if !pending.is_empty() {
        take(syn::parse2(pending.into_iter().collect()).map_err(|error| error.to_string())?);
    }
    Ok(())
}

/// The module typify's batches (see `batches`) print into. Each batch
/// brings its own `defaults` and `error` modules; they are joined and
/// printed last, where typify puts them. A name defined twice (by two
/// batches, which cannot see each other, or by typify itself when an
/// inline type takes a definition's name) is kept from its first
/// definition, with that one's impls.
#[derive(Default)]
pub(crate) struct Module {
    items: Vec<Printed>,
    defined: HashSet<String>,
    defaults: Option<syn::ItemMod>,
    error: Option<syn::ItemMod>,
}

/// One printed item, and the names that decide whether a module keeps it.
struct Printed {
    text: String,
    /// The name it defines (see [`defined_name`]).
    defines: Option<String>,
    /// For an `impl` block, the type it is for.
    implements: Option<String>,
}

/// What one batch printed, apart from the module it joins: batches print
/// on several threads, and syn's items cannot leave theirs, so `defaults`
/// and `error` travel as token text.
pub(crate) struct Batch {
    items: Vec<Printed>,
    defaults: Option<String>,
    error: Option<String>,
}

impl Batch {
    /// Prints `stream`'s items (when `keep`), leaving out a name defined a
    /// second time in it and what follows for that name; without `keep`,
    /// only checks that every item parses.
    pub(crate) fn print(stream: TokenStream, keep: bool) -> Result<Batch, String> {
        let mut batch = Module::default();
        let mut repeated = HashSet::new();
        each_file(stream, |file| {
            if !keep {
                return;
            }
            for item in file.items {
                match item {
                    syn::Item::Mod(module) if module.ident == "defaults" => {
                        batch.join_defaults(module);
                    }
                    syn::Item::Mod(module) if module.ident == "error" => {
                        batch.error.get_or_insert(module);
                    }
                    item => batch.push(printed(item), &mut repeated),
                }
            }
        })?;
        let text = |module: Option<syn::ItemMod>| module.map(|module| quote!(#module).to_string());
        Ok(Batch {
            items: batch.items,
            defaults: text(batch.defaults),
            error: text(batch.error),
        })
    }
}

impl Module {
    /// Takes in what a batch printed, leaving out the names this module
    /// defines already, with their impls that follow in the batch.
    pub(crate) fn join(&mut self, batch: Batch) -> Result<(), String> {
        let mut repeated = HashSet::new();
        for item in batch.items {
            self.push(item, &mut repeated);
        }
        let parse = |text: Option<String>| {
            (text.map(|text| syn::parse_str::<syn::ItemMod>(&text)))
                .transpose()
                .map_err(|error| error.to_string())
        };
        if let Some(defaults) = parse(batch.defaults)? {
            self.join_defaults(defaults);
        }
        if self.error.is_none() {
            self.error = parse(batch.error)?;
        }
        Ok(())
    }

    /// Adds `item` unless it defines a name defined already (which then
    /// counts as `repeated`) or implements a `repeated` name.
    fn push(&mut self, item: Printed, repeated: &mut HashSet<String>) {
        let kept = match (&item.implements, &item.defines) {
            (Some(name), _) => !repeated.contains(name),
            (None, Some(name)) if self.defined.contains(name) => {
                repeated.insert(name.clone());
                false
            }
            (None, Some(name)) => {
                self.defined.insert(name.clone());
                true
            }
            (None, None) => true,
        };
        if kept {
            self.items.push(item);
        }
    }

    /// Adds the functions of a `defaults` module not already there.
    fn join_defaults(&mut self, module: syn::ItemMod) {
        let Some(into) = &mut self.defaults else {
            self.defaults = Some(module);
            return;
        };
        let Some((_, items)) = module.content else {
            return;
        };
        let into = &mut into.content.get_or_insert_with(Default::default).1;
        let present: HashSet<String> = into.iter().filter_map(defined_name).collect();
        into.extend(
            (items.into_iter())
                .filter(|item| defined_name(item).is_none_or(|name| !present.contains(&name))),
        );
    }

    /// The module's text, the joined `defaults` and `error` modules last.
    pub(crate) fn finish(self) -> String {
        let mut code: String = self.items.into_iter().map(|item| item.text).collect();
        for module in [self.defaults, self.error].into_iter().flatten() {
            let file = syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: vec![syn::Item::Mod(module)],
            };
            print(file, &mut code);
        }
        code
    }
}

/// The name an item defines in the module's namespace of types and values.
fn defined_name(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Struct(item) => &item.ident,
        syn::Item::Enum(item) => &item.ident,
        syn::Item::Type(item) => &item.ident,
        syn::Item::Union(item) => &item.ident,
        syn::Item::Fn(item) => &item.sig.ident,
        syn::Item::Const(item) => &item.ident,
        syn::Item::Static(item) => &item.ident,
        syn::Item::Mod(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// The name of the type an `impl` block is for (`X` in `impl From<&X> for X`).
fn type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|last| last.ident.to_string()),
        _ => None,
    }
}

/// `item` printed alone, as it prints in a file of many (see
/// `items_print_as_one_file_prints_them`).
fn printed(item: syn::Item) -> Printed {
    let defines = defined_name(&item);
    let implements = match &item {
        syn::Item::Impl(block) => type_name(&block.self_ty),
        _ => None,
    };
    let mut text = String::new();
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    };
    print(file, &mut text);
    Printed {
        text,
        defines,
        implements,
    }
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

    #[test]
    fn a_name_defined_again_keeps_its_first_definition_and_impls() {
        let printed_once = |stream: TokenStream| {
            let mut module = Module::default();
            module.join(Batch::print(stream, true).unwrap()).unwrap();
            module.finish()
        };
        let first = quote! {
            pub struct A { x: u8 }
            impl A { fn first() {} }
            pub mod defaults { pub(super) fn one() -> u8 { 1 } }
            pub mod error { pub struct ConversionError; }
        };
        let again = quote! {
            pub enum A { X }
            impl A { fn again() {} }
            pub struct B;
            pub mod defaults { pub(super) fn one() -> u8 { 1 } pub(super) fn two() -> u8 { 2 } }
            pub mod error { pub struct ConversionError; }
        };
        let expected = printed(quote! {
            pub struct A { x: u8 }
            impl A { fn first() {} }
            pub struct B;
            pub mod defaults { pub(super) fn one() -> u8 { 1 } pub(super) fn two() -> u8 { 2 } }
            pub mod error { pub struct ConversionError; }
        });
        // Within one batch (typify naming an inline type like a definition)
        // and across two.
        let mut together = first.clone();
        together.extend(again.clone());
        assert_eq!(printed_once(together), expected);
        let mut module = Module::default();
        for stream in [first, again] {
            module.join(Batch::print(stream, true).unwrap()).unwrap();
        }
        assert_eq!(module.finish(), expected);
    }
}
