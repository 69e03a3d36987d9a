//! A small builder over the oxc AST for the TypeScript the generators emit:
//! types (aliases, interfaces, object types, unions, literals), JSDoc, and
//! the few expressions and statements mock handlers need.
//!
//! oxc prints comments from the program's source text by span, attached to
//! the start of the next node. Synthesized nodes have no source, so the
//! builder writes every JSDoc into a text buffer that becomes the program's
//! source text, and gives the commented node a span starting where its
//! comment ends.

use std::ops::RangeFrom;

use oxc_allocator::{Allocator, CloneIn, Vec as ArenaVec};
pub use oxc_ast::ast::Expression;
use oxc_ast::ast::*;
use oxc_ast::builder::AstBuilder;
use oxc_ast::{Comment, CommentContent, CommentKind, CommentPosition};
use oxc_ast_visit::VisitMut;
use oxc_codegen::{Codegen, CodegenOptions, IndentChar};
use oxc_span::{SPAN, SourceType, Span};
use oxc_syntax::number::NumberBase;

pub struct Ts<'a> {
    alloc: &'a Allocator,
    ast: AstBuilder<'a>,
    /// Comment texts; offset 0 is never a comment, as untouched nodes start there.
    text: String,
    comments: Vec<Comment>,
    /// Where [`Ts::text_of`] prints, reset each time: fresh arenas would
    /// each cost the kernel new zeroed pages.
    scratch: Allocator,
}

impl<'a> Ts<'a> {
    pub fn new(alloc: &'a Allocator) -> Self {
        Ts {
            alloc,
            ast: AstBuilder::new(alloc),
            text: String::from("\n"),
            comments: Vec::new(),
            scratch: Allocator::default(),
        }
    }

    /// Parses fixed TypeScript (a generator's runtime helpers, never text
    /// from a spec) into statements to print with the built ones. Comment
    /// keys are moved past the parsed source, so its spans cannot pick up a
    /// JSDoc meant for a built node.
    pub fn parse(&mut self, source: &'static str) -> Vec<Statement<'a>> {
        let parsed = oxc_parser::Parser::new(self.alloc, source, SourceType::ts()).parse();
        assert!(
            parsed.diagnostics.is_empty(),
            "generator runtime does not parse: {:?}",
            parsed.diagnostics
        );
        if self.text.len() <= source.len() {
            self.text
                .extend(std::iter::repeat_n(' ', source.len() + 1 - self.text.len()));
        }
        parsed.program.body.into_iter().collect()
    }

    fn str(&self, text: &str) -> &'a str {
        self.alloc.alloc_str(text)
    }

    fn vec<T>(&self, items: impl IntoIterator<Item = T>) -> ArenaVec<'a, T> {
        ArenaVec::from_iter_in(items, &self.alloc)
    }

    /// A span to give the node that `lines` document, or `SPAN` when there is nothing to say.
    /// Text from the spec cannot close the comment early: `*/` is written `*\/`.
    pub fn doc(&mut self, lines: &[String]) -> Span {
        if lines.is_empty() {
            return SPAN;
        }
        let start = self.text.len() as u32;
        let lines: Vec<String> = lines
            .iter()
            .flat_map(|line| line.lines())
            .map(|line| line.replace("*/", "*\\/"))
            .collect();
        let kind = if let [line] = lines.as_slice() {
            self.text.push_str("/** ");
            self.text.push_str(line);
            self.text.push_str(" */");
            CommentKind::SingleLineBlock
        } else {
            self.text.push_str("/**\n");
            for line in &lines {
                self.text.push_str(" * ");
                self.text.push_str(line);
                self.text.push('\n');
            }
            self.text.push_str(" */");
            CommentKind::MultiLineBlock
        };
        let end = self.text.len() as u32;
        self.text.push('\n');
        let mut comment = Comment::new(start, end, kind);
        comment.attached_to = end;
        comment.position = CommentPosition::Leading;
        comment.content = CommentContent::Jsdoc;
        comment.set_preceded_by_newline(true);
        comment.set_followed_by_newline(true);
        self.comments.push(comment);
        Span::new(end, end)
    }

    pub fn string(&self) -> TSType<'a> {
        TSType::new_ts_string_keyword(SPAN, &self.ast)
    }

    pub fn number(&self) -> TSType<'a> {
        TSType::new_ts_number_keyword(SPAN, &self.ast)
    }

    pub fn boolean(&self) -> TSType<'a> {
        TSType::new_ts_boolean_keyword(SPAN, &self.ast)
    }

    pub fn null(&self) -> TSType<'a> {
        TSType::new_ts_null_keyword(SPAN, &self.ast)
    }

    pub fn unknown(&self) -> TSType<'a> {
        TSType::new_ts_unknown_keyword(SPAN, &self.ast)
    }

    pub fn never(&self) -> TSType<'a> {
        TSType::new_ts_never_keyword(SPAN, &self.ast)
    }

    pub fn literal_string(&self, value: &str) -> TSType<'a> {
        let literal = TSLiteral::new_string_literal(SPAN, self.str(value), None, &self.ast);
        TSType::new_ts_literal_type(SPAN, literal, &self.ast)
    }

    pub fn literal_bool(&self, value: bool) -> TSType<'a> {
        TSType::new_ts_literal_type(
            SPAN,
            TSLiteral::new_boolean_literal(SPAN, value, &self.ast),
            &self.ast,
        )
    }

    /// A number literal printed as written in the spec (`raw`), so large integers stay exact.
    pub fn literal_number(&self, value: f64, raw: &str) -> TSType<'a> {
        let literal = if value < 0.0 {
            // A negative literal is a unary minus over the number.
            let number = Expression::new_numeric_literal(
                SPAN,
                -value,
                Some(self.str(&raw[1..]).into()),
                NumberBase::Decimal,
                &self.ast,
            );
            let negated =
                UnaryExpression::boxed(SPAN, UnaryOperator::UnaryNegation, number, &self.ast);
            TSLiteral::UnaryExpression(negated)
        } else {
            TSLiteral::new_numeric_literal(
                SPAN,
                value,
                Some(self.str(raw).into()),
                NumberBase::Decimal,
                &self.ast,
            )
        };
        TSType::new_ts_literal_type(SPAN, literal, &self.ast)
    }

    /// `A | B`; one member is itself, none is `never`. Nested unions are flattened.
    pub fn union(&self, members: Vec<TSType<'a>>) -> TSType<'a> {
        let mut types = Vec::with_capacity(members.len());
        for member in members {
            match member {
                TSType::TSUnionType(union) => types.extend(union.unbox().types),
                other => types.push(other),
            }
        }
        match types.len() {
            0 => self.never(),
            1 => types.remove(0),
            _ => TSType::new_ts_union_type(SPAN, self.vec(types), &self.ast),
        }
    }

    /// `A & B`; one member is itself, none is `unknown`.
    pub fn intersection(&self, mut types: Vec<TSType<'a>>) -> TSType<'a> {
        match types.len() {
            0 => self.unknown(),
            1 => types.remove(0),
            _ => TSType::new_ts_intersection_type(SPAN, self.vec(types), &self.ast),
        }
    }

    pub fn array(&self, element: TSType<'a>) -> TSType<'a> {
        TSType::new_ts_array_type(SPAN, element, &self.ast)
    }

    /// `readonly T`, for an array or tuple type.
    pub fn readonly(&self, ty: TSType<'a>) -> TSType<'a> {
        TSType::new_ts_type_operator_type(SPAN, TSTypeOperatorOperator::Readonly, ty, &self.ast)
    }

    /// `[A, B, ...R[]]`.
    pub fn tuple(&self, elements: Vec<TSType<'a>>, rest: Option<TSType<'a>>) -> TSType<'a> {
        let mut items: Vec<TSTupleElement<'a>> =
            elements.into_iter().map(TSTupleElement::from).collect();
        if let Some(rest) = rest {
            items.push(TSTupleElement::new_ts_rest_type(
                SPAN,
                self.array(rest),
                &self.ast,
            ));
        }
        TSType::new_ts_tuple_type(SPAN, self.vec(items), &self.ast)
    }

    /// `` `a${A}b` ``: `texts` around `types` (one more text than types). The
    /// texts are escaped (`\\`, `` ` ``, `${`), so they cannot leave the literal.
    pub fn template(&self, texts: &[&str], types: Vec<TSType<'a>>) -> TSType<'a> {
        let last = texts.len().saturating_sub(1);
        let quasis = texts.iter().enumerate().map(|(index, text)| {
            let raw = text
                .replace('\\', "\\\\")
                .replace('`', "\\`")
                .replace("${", "\\${");
            let value = TemplateElementValue {
                raw: self.str(&raw).into(),
                cooked: Some(self.str(text).into()),
            };
            TemplateElement::new(SPAN, value, index == last, &self.ast)
        });
        TSType::new_ts_template_literal_type(SPAN, self.vec(quasis), self.vec(types), &self.ast)
    }

    /// `root["a"]["b"]`: a path into an exported interface.
    pub fn indexed(&self, root: &str, keys: &[&str]) -> TSType<'a> {
        let name = TSTypeName::new_identifier_reference(SPAN, self.str(root), &self.ast);
        let mut ty = TSType::new_ts_type_reference(SPAN, name, None, &self.ast);
        for key in keys {
            ty = TSType::new_ts_indexed_access_type(SPAN, ty, self.literal_string(key), &self.ast);
        }
        ty
    }

    /// `ty[key]`, for any key type (`T["a"]`, `T[string]`).
    pub fn index(&self, ty: TSType<'a>, key: TSType<'a>) -> TSType<'a> {
        TSType::new_ts_indexed_access_type(SPAN, ty, key, &self.ast)
    }

    /// `Name<A, B>`.
    pub fn generic(&self, name: &str, arguments: Vec<TSType<'a>>) -> TSType<'a> {
        let type_name = TSTypeName::new_identifier_reference(SPAN, self.str(name), &self.ast);
        let arguments = (!arguments.is_empty())
            .then(|| TSTypeParameterInstantiation::boxed(SPAN, self.vec(arguments), &self.ast));
        TSType::new_ts_type_reference(SPAN, type_name, arguments, &self.ast)
    }

    /// One property of an object type; keys that are not identifiers are quoted.
    pub fn member(
        &self,
        span: Span,
        key: &str,
        optional: bool,
        readonly: bool,
        ty: TSType<'a>,
    ) -> TSSignature<'a> {
        let key = self.property_key(key);
        let annotation = TSTypeAnnotation::boxed(SPAN, ty, &self.ast);
        TSSignature::new_ts_property_signature(
            span,
            false,
            optional,
            readonly,
            key,
            Some(annotation),
            &self.ast,
        )
    }

    /// `[name: string]: T`, or `readonly [name: string]: T`.
    pub fn index_signature(&self, name: &str, readonly: bool, ty: TSType<'a>) -> TSSignature<'a> {
        self.index_signature_of(name, self.string(), readonly, ty)
    }

    /// `[name: K]: T`, or `readonly [name: K]: T`.
    pub fn index_signature_of(
        &self,
        name: &str,
        key: TSType<'a>,
        readonly: bool,
        ty: TSType<'a>,
    ) -> TSSignature<'a> {
        let key_type = TSTypeAnnotation::boxed(SPAN, key, &self.ast);
        let parameter = TSIndexSignatureName::new(SPAN, self.str(name), key_type, &self.ast);
        let annotation = TSTypeAnnotation::boxed(SPAN, ty, &self.ast);
        TSSignature::new_ts_index_signature(SPAN, parameter, annotation, readonly, false, &self.ast)
    }

    pub fn object(&self, members: Vec<TSSignature<'a>>) -> TSType<'a> {
        TSType::new_ts_type_literal(SPAN, self.vec(members), &self.ast)
    }

    /// `export interface Name { ... }`.
    pub fn export_interface(
        &self,
        span: Span,
        name: &str,
        members: Vec<TSSignature<'a>>,
    ) -> Statement<'a> {
        let id = BindingIdentifier::new(SPAN, self.str(name), &self.ast);
        let body = TSInterfaceBody::boxed(SPAN, self.vec(members), &self.ast);
        let declaration = Declaration::new_ts_interface_declaration(
            SPAN,
            id,
            None,
            self.vec([]),
            body,
            false,
            &self.ast,
        );
        Statement::new_export_declaration(span, declaration, &self.ast)
    }

    /// `export type Name = T;`.
    pub fn export_type(&self, span: Span, name: &str, ty: TSType<'a>) -> Statement<'a> {
        let id = BindingIdentifier::new(SPAN, self.str(name), &self.ast);
        let declaration =
            Declaration::new_ts_type_alias_declaration(SPAN, id, None, ty, false, &self.ast);
        Statement::new_export_declaration(span, declaration, &self.ast)
    }

    /// `export enum Name { A = "a", ... }`.
    pub fn export_enum(
        &self,
        span: Span,
        name: &str,
        members: Vec<(String, TSType<'a>)>,
    ) -> Statement<'a> {
        let id = BindingIdentifier::new(SPAN, self.str(name), &self.ast);
        let members = members.into_iter().filter_map(|(member, value)| {
            let initializer = match value {
                TSType::TSLiteralType(literal) => match literal.unbox().literal {
                    TSLiteral::StringLiteral(string) => Expression::StringLiteral(string),
                    TSLiteral::NumericLiteral(number) => Expression::NumericLiteral(number),
                    TSLiteral::UnaryExpression(unary) => Expression::UnaryExpression(unary),
                    _ => return None,
                },
                _ => return None,
            };
            let member_id = if is_identifier(&member) {
                TSEnumMemberName::new_identifier(SPAN, self.str(&member), &self.ast)
            } else {
                TSEnumMemberName::new_string(SPAN, self.str(&member), None, &self.ast)
            };
            Some(TSEnumMember::new(
                SPAN,
                member_id,
                Some(initializer),
                &self.ast,
            ))
        });
        let body = TSEnumBody::new(SPAN, self.vec(members), &self.ast);
        let declaration =
            Declaration::new_ts_enum_declaration(SPAN, id, body, false, false, &self.ast);
        Statement::new_export_declaration(span, declaration, &self.ast)
    }

    // ---- expressions and statements -------------------------------------

    pub fn ident(&self, name: &str) -> Expression<'a> {
        Expression::new_identifier(SPAN, self.str(name), &self.ast)
    }

    pub fn string_expression(&self, value: &str) -> Expression<'a> {
        Expression::new_string_literal(SPAN, self.str(value), None, &self.ast)
    }

    /// `object.property`.
    pub fn property_access(&self, object: Expression<'a>, property: &str) -> Expression<'a> {
        let name = IdentifierName::new(SPAN, self.str(property), &self.ast);
        Expression::new_static_member_expression(SPAN, object, name, false, &self.ast)
    }

    /// `callee(arguments...)`.
    pub fn call(&self, callee: Expression<'a>, arguments: Vec<Expression<'a>>) -> Expression<'a> {
        let arguments = arguments.into_iter().map(Argument::from);
        Expression::new_call_expression(SPAN, callee, None, self.vec(arguments), false, &self.ast)
    }

    /// `expression satisfies Type`.
    pub fn satisfies(&self, expression: Expression<'a>, ty: TSType<'a>) -> Expression<'a> {
        Expression::new_ts_satisfies_expression(SPAN, expression, ty, &self.ast)
    }

    /// `[a, b]`.
    pub fn array_expression(&self, items: Vec<Expression<'a>>) -> Expression<'a> {
        let items = items.into_iter().map(ArrayExpressionElement::from);
        Expression::new_array_expression(SPAN, self.vec(items), &self.ast)
    }

    /// `{ key: value, ... }`; keys quoted when not identifiers, numeric for status codes.
    pub fn object_expression(&self, entries: Vec<(String, Expression<'a>)>) -> Expression<'a> {
        let properties = entries.into_iter().map(|(key, value)| {
            let key = self.property_key(&key);
            ObjectPropertyKind::new_object_property(
                SPAN,
                PropertyKind::Init,
                key,
                value,
                false,
                false,
                false,
                &self.ast,
            )
        });
        Expression::new_object_expression(SPAN, self.vec(properties), &self.ast)
    }

    /// A JSON value as a literal expression.
    pub fn json(&self, value: &serde_json::Value) -> Expression<'a> {
        use serde_json::Value;
        match value {
            Value::Null => Expression::new_null_literal(SPAN, &self.ast),
            Value::Bool(flag) => Expression::new_boolean_literal(SPAN, *flag, &self.ast),
            Value::Number(number) => {
                let raw = number.to_string();
                let float = number.as_f64().unwrap_or_default();
                if float < 0.0 {
                    let positive = Expression::new_numeric_literal(
                        SPAN,
                        -float,
                        Some(self.str(&raw[1..]).into()),
                        NumberBase::Decimal,
                        &self.ast,
                    );
                    Expression::new_unary_expression(
                        SPAN,
                        UnaryOperator::UnaryNegation,
                        positive,
                        &self.ast,
                    )
                } else {
                    Expression::new_numeric_literal(
                        SPAN,
                        float,
                        Some(self.str(&raw).into()),
                        NumberBase::Decimal,
                        &self.ast,
                    )
                }
            }
            Value::String(text) => self.string_expression(text),
            Value::Array(items) => {
                self.array_expression(items.iter().map(|item| self.json(item)).collect())
            }
            Value::Object(map) => self.object_expression(
                map.iter()
                    .map(|(key, value)| (key.clone(), self.json(value)))
                    .collect(),
            ),
        }
    }

    /// `export const name = value;`.
    pub fn export_const(&self, span: Span, name: &str, value: Expression<'a>) -> Statement<'a> {
        self.export_const_typed(span, name, None, value)
    }

    /// `export const name: Type = value;` (or without the type).
    pub fn export_const_typed(
        &self,
        span: Span,
        name: &str,
        ty: Option<TSType<'a>>,
        value: Expression<'a>,
    ) -> Statement<'a> {
        let declaration = self.const_declaration(name, ty, value);
        Statement::new_export_declaration(span, declaration, &self.ast)
    }

    /// `const name = value;`, not exported.
    pub fn local_const(&self, name: &str, value: Expression<'a>) -> Statement<'a> {
        Statement::from(self.const_declaration(name, None, value))
    }

    fn const_declaration(
        &self,
        name: &str,
        ty: Option<TSType<'a>>,
        value: Expression<'a>,
    ) -> Declaration<'a> {
        let id = BindingPattern::new_binding_identifier(SPAN, self.str(name), &self.ast);
        let annotation = ty.map(|ty| TSTypeAnnotation::boxed(SPAN, ty, &self.ast));
        let declarator =
            VariableDeclarator::new(SPAN, id, annotation, Some(value), false, &self.ast);
        Declaration::new_variable_declaration(
            SPAN,
            VariableDeclarationKind::Const,
            self.vec([declarator]),
            false,
            &self.ast,
        )
    }

    /// `import type { names } from "module";`.
    pub fn import_types(&self, span: Span, names: &[&str], module: &str) -> Statement<'a> {
        let specifiers = names.iter().map(|name| {
            let imported = ModuleExportName::new_identifier_name(SPAN, self.str(name), &self.ast);
            let local = BindingIdentifier::new(SPAN, self.str(name), &self.ast);
            ImportDeclarationSpecifier::new_import_specifier(
                SPAN,
                imported,
                local,
                ImportOrExportKind::Value,
                &self.ast,
            )
        });
        let source = StringLiteral::new(SPAN, self.str(module), None, &self.ast);
        Statement::new_import_declaration(
            span,
            Some(self.vec(specifiers)),
            source,
            None,
            None,
            ImportOrExportKind::Type,
            &self.ast,
        )
    }

    /// `200`, not `"200"`, for status codes: openapi-fetch matches them as number literals.
    fn property_key(&self, key: &str) -> PropertyKey<'a> {
        if is_identifier(key) {
            PropertyKey::new_static_identifier(SPAN, self.str(key), &self.ast)
        } else if let Some(number) = canonical_integer(key) {
            PropertyKey::new_numeric_literal(
                SPAN,
                number,
                Some(self.str(key).into()),
                NumberBase::Decimal,
                &self.ast,
            )
        } else {
            PropertyKey::new_string_literal(SPAN, self.str(key), None, &self.ast)
        }
    }

    /// Prints the statements as a TypeScript module, four-space indented.
    pub fn print(self, statements: Vec<Statement<'a>>) -> String {
        let source_text = self.str(&self.text);
        let comments = self.vec(self.comments.iter().copied());
        print_program(source_text, comments, self.vec(statements), &self.ast)
    }

    /// Where the JSDoc written from now on starts, for [`Ts::text_of`].
    pub fn docs_mark(&self) -> RangeFrom<usize> {
        self.comments.len()..
    }

    /// `ty` printed (as `type T = ...;`) with the JSDoc written since
    /// `docs`, which must hold all of its own: two types with the same text
    /// are the same type documented the same way.
    pub fn text_of(&mut self, ty: &TSType<'a>, docs: RangeFrom<usize>) -> String {
        self.scratch.reset();
        let alloc = &self.scratch;
        let ast = AstBuilder::new(alloc);
        let id = BindingIdentifier::new(SPAN, "T", &ast);
        let mut ty = ty.clone_in(alloc);
        // The printer reserves the whole source text: give it only these
        // docs' text, every span moved back by where it starts.
        let comments = &self.comments[docs];
        let base = comments.first().map_or(0, |comment| comment.span.start);
        ShiftSpans(base).visit_ts_type(&mut ty);
        let comments = comments.iter().map(|comment| {
            let mut comment = *comment;
            comment.span = Span::new(comment.span.start - base, comment.span.end - base);
            comment.attached_to -= base;
            comment
        });
        let comments = ArenaVec::from_iter_in(comments, &ast);
        let declaration =
            Declaration::new_ts_type_alias_declaration(SPAN, id, None, ty, false, &ast);
        let statement = Statement::new_export_declaration(SPAN, declaration, &ast);
        let body = ArenaVec::from_iter_in([statement], &ast);
        print_program(&self.text[base as usize..], comments, body, &ast)
    }
}

/// Moves spans from `self.0` on back by `self.0`; no node before it can carry a doc.
struct ShiftSpans(u32);

impl VisitMut<'_> for ShiftSpans {
    fn visit_span(&mut self, span: &mut Span) {
        *span = match span.start.checked_sub(self.0) {
            Some(start) if span.start != 0 => Span::new(start, span.end - self.0),
            _ => SPAN,
        };
    }
}

fn print_program<'b>(
    source_text: &'b str,
    comments: ArenaVec<'b, Comment>,
    body: ArenaVec<'b, Statement<'b>>,
    ast: &AstBuilder<'b>,
) -> String {
    let empty = ArenaVec::new_in(ast);
    let program = Program::new(
        SPAN,
        SourceType::ts(),
        source_text,
        comments,
        None,
        empty,
        body,
        ast,
    );
    let options = CodegenOptions {
        indent_char: IndentChar::Space,
        indent_width: 4,
        ..CodegenOptions::default()
    };
    Codegen::new().with_options(options).build(&program).code
}

/// `key` as a number when it is a plain decimal integer that reads back the same (`200`, not `007`).
fn canonical_integer(key: &str) -> Option<f64> {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty() && key.len() < 16);
    (canonical && key.bytes().all(|b| b.is_ascii_digit()))
        .then(|| key.parse().ok())
        .flatten()
}

/// A name TypeScript accepts unquoted as a property key.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}
