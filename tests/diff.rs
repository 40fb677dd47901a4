//! `diff` between releases and between artifacts, pinned by snapshots.

use cwasm_spec::diff::{changelog_releases, diff_artifacts, diff_releases, render_text};
use cwasm_spec::Release;
use std::path::Path;

fn release(text: &str) -> Release {
    Release::parse(text).unwrap()
}

#[test]
fn lts_to_lts_names_the_format_changes() {
    let changes = diff_releases(release("36.0.20"), release("48.0.8"));
    let has = |area: &str, change: &str, name: &str| {
        changes
            .iter()
            .any(|c| c.area == area && c.change == change && c.name == name)
    };
    // The version string went from the full version to the major.
    assert!(has("version", "changed", "form"));
    // 48 no longer checks OS/ABI.
    assert!(has("elf", "changed", "OS/ABI and ABI version checked"));
    // Tunables fields added since 36.
    for field in [
        "debug_native",
        "operator_cost",
        "gc_heap_reservation",
        "branch_hinting",
    ] {
        assert!(has("tunables.fields", "added", field), "{field}");
    }
    insta::assert_snapshot!("releases-36.0.20-48.0.8", render_text(&changes));
    insta::assert_snapshot!(
        "releases-36.0.20-48.0.8-json",
        serde_json::to_string_pretty(&changes).unwrap()
    );
}

#[test]
fn patches_of_a_full_version_release_differ_in_their_string_only() {
    let changes = diff_releases(release("36.0.0"), release("36.0.20"));
    assert_eq!(
        render_text(&changes),
        "version              changed   string: 36.0.0 -> 36.0.20\n"
    );
    assert!(diff_releases(release("48.0.0"), release("48.0.8")).is_empty());
}

/// Every change of layout or of the `.wasmtime.info` schema from 24.0.0 to
/// 50.0.1, as a changelog.
#[test]
fn every_layout_change() {
    let changes = changelog_releases();
    let mut text = String::new();
    for pair in changes.windows(2) {
        text.push_str(&format!("## {} -> {}\n", pair[0], pair[1]));
        text.push_str(&render_text(&diff_releases(pair[0], pair[1])));
        text.push('\n');
    }
    insta::assert_snapshot!("every-layout-change", text);
}

#[test]
fn two_artifacts_field_by_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let read = |p: &str| std::fs::read(dir.join(p)).unwrap();
    let a = read("v42/official/artifacts/default.cwasm");
    let b = read("v42/official/artifacts/fuel.cwasm");
    let text = render_text(&diff_artifacts(&a, &b).unwrap());
    assert_eq!(
        text,
        "tunables             changed   consume_fuel: false -> true\n"
    );
    let across = diff_artifacts(&a, &read("v48/official/artifacts/default.cwasm")).unwrap();
    insta::assert_snapshot!("artifacts-42-48-default", render_text(&across));
    assert!(diff_artifacts(&a, &a).unwrap().is_empty());
}
