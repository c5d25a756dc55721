//! Rust names for spec names: the only user of heck, and the one place that makes names safe
//! (keywords, leading digits, characters identifiers cannot hold).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; a field or method with one of these names becomes a raw identifier.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; these get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// A snake_case name for a field, parameter, method or module, made safe to emit.
pub fn snake(name: &str) -> String {
    safe_snake(name.to_snake_case())
}

/// Makes an already snake_case name safe: keywords become raw, digits get a prefix.
pub fn safe_snake(name: String) -> String {
    if name.is_empty() {
        return "_empty".to_owned();
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    name
}

/// An UpperCamelCase name for a type or variant, made safe to emit.
pub fn camel(name: &str) -> String {
    let camel = name.to_upper_camel_case();
    if camel.is_empty() {
        return "Empty".to_owned();
    }
    if camel == "Self" {
        return "Self_".to_owned();
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("N{camel}");
    }
    camel
}

/// The Rust name of an enum: Nexudus prefixes enum names with a lowercase `e`
/// (`eCrmOpportunitySource`), which the Rust name drops.
pub fn enum_type(name: &str) -> String {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some('e'), Some(second)) if second.is_ascii_uppercase() => camel(&name[1..]),
        _ => camel(name),
    }
}

/// The resource handle's type name: the plural of the resource (`CrmOpportunities`).
pub fn plural_camel(name: &str) -> String {
    camel(&plural(name))
}

/// The resource accessor's method name: snake_case plural (`crm_opportunities`).
pub fn plural_snake(name: &str) -> String {
    snake(&plural(name))
}

fn plural(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if let Some(stem) =
        name.strip_suffix('y').filter(|_| !lower.ends_with("ay") && !lower.ends_with("ey") && !lower.ends_with("oy"))
    {
        format!("{stem}ies")
    } else if lower.ends_with('s') || lower.ends_with('x') || lower.ends_with("ch") || lower.ends_with("sh") {
        format!("{name}es")
    } else {
        format!("{name}s")
    }
}

/// The wire name serde derives from a Rust field name under `rename_all = "PascalCase"`, so
/// that an explicit rename is emitted only where this differs from the real wire name.
pub fn serde_pascal_case(rust_name: &str) -> String {
    let name = rust_name.strip_prefix("r#").unwrap_or(rust_name);
    let mut out = String::with_capacity(name.len());
    let mut capitalize = true;
    for c in name.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            out.extend(c.to_uppercase());
            capitalize = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether `name` can be emitted as an identifier (raw identifiers included).
pub fn is_identifier(name: &str) -> bool {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    let mut chars = bare.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && bare != "_"
}

/// Why a name written in the spec as a Rust name (`rust_name`, `accessor`) cannot be emitted as
/// it is, if it cannot: `self`, `super`, `crate` and `Self` cannot be identifiers even raw, and
/// another keyword must be written raw (`r#match`), as Rust would.
pub fn keyword_problem(name: &str) -> Option<(String, String)> {
    if let Some(raw) = name.strip_prefix("r#") {
        return NOT_RAW.contains(&raw).then(|| {
            (
                format!("'{name}' is not a Rust identifier: '{raw}' cannot be a raw identifier"),
                format!("write '{raw}_'"),
            )
        });
    }
    if NOT_RAW.contains(&name) {
        return Some((
            format!("'{name}' is a Rust keyword that cannot be an identifier, not even a raw one"),
            format!("write '{name}_'"),
        ));
    }
    KEYWORDS
        .contains(&name)
        .then(|| (format!("'{name}' is a Rust keyword"), format!("write the raw identifier 'r#{name}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(actual: String, expected: &str) {
        assert_eq!(actual, expected);
    }

    #[test]
    fn snake_names_are_safe() {
        check(snake("CrmBoardColumnId"), "crm_board_column_id");
        check(snake("RedirectURL"), "redirect_url");
        check(snake("Type"), "r#type");
        check(snake("self"), "self_");
        check(snake("Crate"), "crate_");
        check(snake("3dModel"), "_3d_model");
        check(snake("My Field"), "my_field");
    }

    #[test]
    fn camel_names_are_safe() {
        check(enum_type("eCrmOpportunitySource"), "CrmOpportunitySource");
        check(enum_type("eSortDirection"), "SortDirection");
        check(enum_type("element"), "Element");
        check(camel("self"), "Self_");
        check(camel("24Hours"), "N24hours");
    }

    #[test]
    fn plurals() {
        check(plural_camel("CrmOpportunity"), "CrmOpportunities");
        check(plural_snake("Coworker"), "coworkers");
        check(plural_snake("CoworkerInvoice"), "coworker_invoices");
        check(plural_snake("Business"), "businesses");
        check(plural_snake("Day"), "days");
    }

    #[test]
    fn serde_rename_rule() {
        check(serde_pascal_case("crm_board_column_id"), "CrmBoardColumnId");
        check(serde_pascal_case("r#type"), "Type");
        check(serde_pascal_case("redirect_url"), "RedirectUrl");
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("r#type"));
        assert!(is_identifier("_3d"));
        assert!(!is_identifier("a-b"));
        assert!(!is_identifier("_"));
        assert!(!is_identifier("Evil½"));
        assert!(!is_identifier("ümlaut"));
    }

    #[test]
    fn keywords_written_as_names() {
        assert!(keyword_problem("match").is_some());
        assert!(keyword_problem("r#match").is_none());
        assert!(keyword_problem("self").is_some());
        assert!(keyword_problem("r#self").is_some());
        assert!(keyword_problem("r#Self").is_some());
        assert!(keyword_problem("matches").is_none());
    }
}
