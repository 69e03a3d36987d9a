//! typify names some enum variants after their values as they are (`plus1`
//! for `"+1"`), which rustc warns about in the user's crate; such enums allow
//! the lint, since the names come from the spec.

use heck::ToUpperCamelCase;
use syn::parse_quote;

/// Adds `#[allow(non_camel_case_types)]` to every enum of `file` with a
/// variant rustc would warn about.
pub fn allow_spec_variant_names(file: &mut syn::File) {
    for item in &mut file.items {
        if let syn::Item::Enum(item) = item
            && item.variants.iter().any(|variant| {
                let name = variant.ident.to_string();
                name.to_upper_camel_case() != name
            })
        {
            item.attrs
                .push(parse_quote!(#[allow(non_camel_case_types)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_enums_with_lowercase_variants_allow_the_lint() {
        let mut file: syn::File = parse_quote! {
            enum Reaction { plus1, Laugh }
            enum Status { Paid }
        };
        allow_spec_variant_names(&mut file);
        let allowed: Vec<bool> = (file.items.iter())
            .map(|item| matches!(item, syn::Item::Enum(item) if !item.attrs.is_empty()))
            .collect();
        assert_eq!(allowed, [true, false]);
    }
}
