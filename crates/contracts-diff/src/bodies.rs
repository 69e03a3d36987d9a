//! Request bodies, responses (statuses and headers) and the media types of
//! their content, down to the schema walk.

use contracts_model::{MediaType, Operation, Response, StatusCode};
use indexmap::IndexMap;

use crate::schema::Position;
use crate::{Engine, rules};

impl<'c> Engine<'c> {
    pub(crate) fn request_body(&mut self, old: &'c Operation, new: &'c Operation, label: &str) {
        let op = Some(label);
        match (&old.request_body, &new.request_body) {
            (None, None) => {}
            (None, Some(body)) => {
                let id = if body.required {
                    rules::REQUEST_BODY_ADDED_REQUIRED
                } else {
                    rules::REQUEST_BODY_ADDED_OPTIONAL
                };
                self.report(
                    id,
                    op,
                    "a request body was added".into(),
                    Some(&old.loc),
                    Some(&body.loc),
                );
            }
            (Some(body), None) => self.report(
                rules::REQUEST_BODY_REMOVED,
                op,
                "the request body was removed".into(),
                Some(&body.loc),
                Some(&new.loc),
            ),
            (Some(a), Some(b)) => {
                match (a.required, b.required) {
                    (false, true) => self.report(
                        rules::REQUEST_BODY_BECAME_REQUIRED,
                        op,
                        "the request body became required".into(),
                        Some(&a.loc),
                        Some(&b.loc),
                    ),
                    (true, false) => self.report(
                        rules::REQUEST_BODY_BECAME_OPTIONAL,
                        op,
                        "the request body became optional".into(),
                        Some(&a.loc),
                        Some(&b.loc),
                    ),
                    _ => {}
                }
                let position = Position {
                    prefix: "request-body",
                    property_prefix: "request-property",
                    request: true,
                    path: String::new(),
                    operation: label.to_owned(),
                };
                self.content(
                    &a.content,
                    &b.content,
                    &position,
                    (
                        rules::REQUEST_BODY_MEDIA_TYPE_REMOVED,
                        rules::REQUEST_BODY_MEDIA_TYPE_ADDED,
                    ),
                );
            }
        }
    }

    fn content(
        &mut self,
        old: &'c IndexMap<String, MediaType>,
        new: &'c IndexMap<String, MediaType>,
        position: &Position,
        (removed, added): (&str, &str),
    ) {
        let op = Some(position.operation.as_str());
        for (media_type, a) in old {
            match new.get(media_type) {
                None => self.report(
                    removed,
                    op,
                    format!("media type `{media_type}` was removed"),
                    Some(&a.loc),
                    None,
                ),
                Some(b) => {
                    if let (Some(sa), Some(sb)) = (&a.schema, &b.schema) {
                        self.schema(sa, sb, position);
                    }
                }
            }
        }
        for (media_type, b) in new {
            if !old.contains_key(media_type) {
                self.report(
                    added,
                    op,
                    format!("media type `{media_type}` was added"),
                    None,
                    Some(&b.loc),
                );
            }
        }
    }

    pub(crate) fn responses(&mut self, old: &'c Operation, new: &'c Operation, label: &str) {
        let op = Some(label);
        for (status, a) in &old.responses {
            match new.responses.get(status) {
                None => {
                    let id = if status.is_success() {
                        rules::RESPONSE_SUCCESS_STATUS_REMOVED
                    } else {
                        rules::RESPONSE_NON_SUCCESS_STATUS_REMOVED
                    };
                    self.report(
                        id,
                        op,
                        format!("response {status} was removed"),
                        Some(&a.loc),
                        Some(&new.loc),
                    );
                }
                Some(b) => self.response(*status, a, b, label),
            }
        }
        for (status, b) in &new.responses {
            if !old.responses.contains_key(status) {
                let id = if status.is_success() {
                    rules::RESPONSE_SUCCESS_STATUS_ADDED
                } else {
                    rules::RESPONSE_NON_SUCCESS_STATUS_ADDED
                };
                self.report(
                    id,
                    op,
                    format!("response {status} was added"),
                    Some(&old.loc),
                    Some(&b.loc),
                );
            }
        }
    }

    fn response(&mut self, status: StatusCode, old: &'c Response, new: &'c Response, label: &str) {
        let op = Some(label);
        for (name, a) in &old.headers {
            match new
                .headers
                .iter()
                .find(|(other, _)| other.eq_ignore_ascii_case(name))
            {
                None if a.required => self.report(
                    rules::RESPONSE_HEADER_REMOVED,
                    op,
                    format!("response {status} header `{name}` was removed"),
                    Some(&a.loc),
                    Some(&new.loc),
                ),
                None => self.report(
                    rules::OPTIONAL_RESPONSE_HEADER_REMOVED,
                    op,
                    format!("response {status} optional header `{name}` was removed"),
                    Some(&a.loc),
                    Some(&new.loc),
                ),
                Some((_, b)) => {
                    if a.required && !b.required {
                        self.report(
                            rules::RESPONSE_HEADER_BECAME_OPTIONAL,
                            op,
                            format!("response {status} header `{name}` became optional"),
                            Some(&a.loc),
                            Some(&b.loc),
                        );
                    }
                    if let (Some(sa), Some(sb)) = (&a.schema, &b.schema) {
                        let position = Position {
                            prefix: "response-header",
                            property_prefix: "response-property",
                            request: false,
                            path: name.clone(),
                            operation: label.to_owned(),
                        };
                        self.schema(sa, sb, &position);
                    }
                }
            }
        }
        for (name, b) in &new.headers {
            if !old
                .headers
                .keys()
                .any(|other| other.eq_ignore_ascii_case(name))
            {
                self.report(
                    rules::RESPONSE_HEADER_ADDED,
                    op,
                    format!("response {status} header `{name}` was added"),
                    Some(&old.loc),
                    Some(&b.loc),
                );
            }
        }
        let position = Position {
            prefix: "response-body",
            property_prefix: "response-property",
            request: false,
            path: String::new(),
            operation: label.to_owned(),
        };
        self.content(
            &old.content,
            &new.content,
            &position,
            (
                rules::RESPONSE_MEDIA_TYPE_REMOVED,
                rules::RESPONSE_MEDIA_TYPE_ADDED,
            ),
        );
    }
}
