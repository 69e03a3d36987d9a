//! URL path templates (`/users/{id}`): their parameter names and shape.

/// The names of `{param}` segments in a path template, in order.
pub fn template_names(path: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(length) = rest[start..].find('}') else {
            break;
        };
        names.push(&rest[start + 1..start + length]);
        rest = &rest[start + length + 1..];
    }
    names
}

/// A template with every parameter name blanked, to compare path shapes:
/// `/a/{x}` and `/a/{y}` are the same path.
pub fn template_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_parameter = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_parameter = true;
                shape.push('{');
            }
            '}' => {
                in_parameter = false;
                shape.push('}');
            }
            _ if in_parameter => {}
            _ => shape.push(c),
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y}.json"), ["x", "y"]);
        assert!(template_names("/plain").is_empty());
    }

    #[test]
    fn shapes_ignore_parameter_names() {
        assert_eq!(template_shape("/u/{id}/x"), template_shape("/u/{userId}/x"));
        assert_ne!(template_shape("/u/{id}"), template_shape("/v/{id}"));
    }
}
