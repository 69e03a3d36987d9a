//! Spec descriptions become rustdoc, where a fenced block without a language
//! (and an indented block) is a Rust doctest: `cargo test` of the user's
//! crate would try to compile the spec's shell or JSON samples. Every fence
//! is marked `text`, and indentation that would open a code block is removed.

use syn::visit_mut::VisitMut;

/// Makes every doc comment of `file` free of doctests.
pub fn inert_doc_comments(file: &mut syn::File) {
    Docs.visit_file_mut(file);
}

struct Docs;

impl VisitMut for Docs {
    fn visit_attribute_mut(&mut self, attribute: &mut syn::Attribute) {
        if let syn::Meta::NameValue(meta) = &mut attribute.meta
            && meta.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut meta.value
        {
            let inert = inert(&text.value());
            *text = syn::LitStr::new(&inert, text.span());
        }
    }
}

fn inert(doc: &str) -> String {
    let mut in_fence = false;
    let lines: Vec<String> = doc
        .split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            let fence = ["```", "~~~"]
                .into_iter()
                .find(|fence| trimmed.starts_with(fence));
            match fence {
                Some(fence) => {
                    let marked = if in_fence {
                        fence.to_owned()
                    } else {
                        format!("{fence}text")
                    };
                    in_fence = !in_fence;
                    marked
                }
                None if !in_fence && (line.starts_with("    ") || line.starts_with('\t')) => {
                    trimmed.to_owned()
                }
                None => line.to_owned(),
            }
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_become_text_and_indented_blocks_plain_lines() {
        let doc = "Example:\n\n```\nlet x = ;\n```\n\n```shell\ncurl x\n```\n\n    not code\n\tnor this\n  kept";
        assert_eq!(
            inert(doc),
            "Example:\n\n```text\nlet x = ;\n```\n\n```text\ncurl x\n```\n\nnot code\nnor this\n  kept"
        );
    }

    #[test]
    fn indentation_inside_a_fence_is_kept() {
        assert_eq!(
            inert("```json\n{\n    \"a\": 1\n}\n```"),
            "```text\n{\n    \"a\": 1\n}\n```"
        );
    }
}
