//! The source check of `quid measures check` ([`quid_engine::sources`]): one invalid fixture per
//! message (`tests/fixtures/sources/*.toml`), each refused with exactly that message, and the
//! valid fixtures passing.

use quid_core::HsCode;
use quid_engine::{sources, MeasureFile, Policy};

/// The problems the source check finds in one fixture.
fn check(name: &str) -> Vec<String> {
    let path = format!(
        "{}/tests/fixtures/sources/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture");
    let file: MeasureFile = toml::from_str(&text).expect("the fixture parses");
    let files = [(format!("{name}.toml"), file)];
    let lists = |r: &str| -> Result<Vec<HsCode>, String> { Err(format!("no list {r}")) };
    let policy = Policy::compile(&files, &lists, true).expect("the fixture compiles");
    sources::check(&files, &policy)
}

#[test]
fn a_measure_with_a_primary_instrument_at_an_official_address_passes() {
    assert_eq!(check("valid"), Vec::<String>::new());
}

#[test]
fn a_threat_with_no_instrument_needs_no_primary_citation() {
    assert_eq!(check("announced_without_instrument"), Vec::<String>::new());
}

#[test]
fn a_citation_without_a_kind_is_refused() {
    assert_eq!(
        check("no_kind"),
        ["no_kind.toml: measure T-NO-KIND: field citations: citation 2 (\"A broker note\") has no kind; \
          expected one of executive_order, proclamation, federal_register, htsus_note, cbp_csms, \
          canada_gazette, justice_laws, finance_canada, court, statute, secondary"]
    );
}

#[test]
fn a_link_to_a_home_page_is_refused() {
    assert_eq!(
        check("home_page"),
        ["home_page.toml: measure T-HOME-PAGE: field citations: citation 2 links to a site's home \
          page (https://example.com); cite the document's own page"]
    );
}

#[test]
fn a_link_to_a_repository_root_is_refused() {
    assert_eq!(
        check("repository_root"),
        ["repository_root.toml: measure T-REPOSITORY-ROOT: field citations: citation 2 links to a \
          repository root (https://github.com/example/tracker); cite the document's own page"]
    );
}

#[test]
fn a_link_to_a_month_of_presidential_actions_is_refused() {
    assert_eq!(
        check("index_page"),
        ["index_page.toml: measure T-INDEX-PAGE: field citations: citation 1 links to an index of \
          documents (https://www.whitehouse.gov/presidential-actions/2025/06/); cite the document's \
          own page"]
    );
}

#[test]
fn a_measure_without_a_primary_instrument_at_an_official_address_is_refused() {
    assert_eq!(
        check("no_primary"),
        [
            "no_primary.toml: measure T-NO-PRIMARY: field citations: no primary instrument at an \
          official address (a citation whose kind is not secondary, on federalregister.gov, \
          govinfo.gov, whitehouse.gov, cbp.gov, usitc.gov, supremecourt.gov, ustr.gov, \
          gazette.gc.ca, laws-lois.justice.gc.ca, canada.ca, fin.gc.ca, cbsa-asfc.gc.ca, \
          uscode.house.gov)"
        ]
    );
}

#[test]
fn a_title_saying_the_list_is_not_bundled_is_refused_when_the_scope_selects_products() {
    assert_eq!(
        check("empty_scope_wording"),
        ["empty_scope_wording.toml: measure T-EMPTY-SCOPE-WORDING: field title: says \"list not \
          bundled\" but the scope selects 1 HS prefix; say what the scope holds"]
    );
}

#[test]
fn a_note_saying_the_measure_never_applies_is_refused_when_it_is_in_force_with_a_scope() {
    assert_eq!(
        check("no_effect_wording"),
        ["no_effect_wording.toml: measure T-NO-EFFECT-WORDING: field notes: says \"never applies\" \
          but the measure is in force and its scope selects 1 HS prefix"]
    );
}

#[test]
fn a_rule_note_saying_it_has_no_effect_is_refused_when_the_rule_can_fire() {
    assert_eq!(
        check("rule_no_effect_wording"),
        ["rule_no_effect_wording.toml: rule T-STACK: field notes: says \"no effect\" but the rule \
          can fire (T-STEEL over T-IEEPA)"]
    );
}
