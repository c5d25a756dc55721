//! Every method of every generated resource type says which errors it can end with: the
//! checked-in area crates (kept fresh by the `fresh` test) are read back and each public method
//! taking `&self` must carry an `# Errors` section.

use std::path::Path;

#[test]
fn every_generated_operation_documents_its_errors() {
    let areas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/areas");
    let mut methods = 0;
    let mut undocumented = Vec::new();
    for area in std::fs::read_dir(&areas).expect("generated/areas is readable") {
        let source = area.expect("an area folder").path().join("src");
        for file in std::fs::read_dir(&source).expect("an area's src is readable") {
            let path = file.expect("a source file").path();
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            let parsed = syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            for item in parsed.items {
                let syn::Item::Impl(block) = item else { continue };
                for member in block.items {
                    let syn::ImplItem::Fn(function) = member else { continue };
                    let public = matches!(function.vis, syn::Visibility::Public(_));
                    if !public || !function.sig.receiver().is_some_and(|receiver| receiver.reference.is_some()) {
                        continue;
                    }
                    methods += 1;
                    let documented = function.attrs.iter().any(|attribute| {
                        attribute.path().is_ident("doc")
                            && matches!(&attribute.meta, syn::Meta::NameValue(pair)
                                if matches!(&pair.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })
                                    if text.value().trim() == "# Errors"))
                    });
                    if !documented {
                        undocumented.push(format!("{}: {}", path.display(), function.sig.ident));
                    }
                }
            }
        }
    }
    assert!(methods > 1000, "only {methods} methods found");
    assert!(undocumented.is_empty(), "methods without an `# Errors` section: {undocumented:#?}");
}
