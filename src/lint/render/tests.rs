//! Golden outputs of every format (`UPDATE_GOLDEN=1` rewrites them) and the
//! SARIF structure GitHub code scanning relies on.

use super::*;
use crate::lint::{registry, registry::RULES, Finding, RuleId, Severity};
use crate::path::JsonPath;
use serde_json::Value;
use std::path::Path;

fn finding(id: RuleId, resource: usize, path: JsonPath, message: String) -> Finding {
    registry::by_id(id)
        .expect("registered rule")
        .finding(resource, path, message)
}

fn sample() -> Vec<Located> {
    let mut info = finding(
        RuleId::Ssl003,
        0,
        JsonPath::root(),
        "sidecar log relies on the Job sidecar terminator".into(),
    );
    info.severity = Severity::Info;
    vec![
        Located {
            finding: finding(
                RuleId::Ssv040,
                0,
                JsonPath::keys(&["spec", "updateStrategy", "partition"]),
                "updateStrategy: Invalid value: \"{...}\": Partition and Selector cannot be used together".into(),
            ),
            object: "SidecarSet/log-agent".into(),
            file: Some("deploy/sidecarset.yaml".into()),
            line: Some(12),
            column: Some(5),
            snippet: Some("    partition: 90".into()),
        },
        Located {
            finding: finding(
                RuleId::Ssl023,
                1,
                JsonPath::root(),
                "sidecar filebeat has a readinessProbe, 100% <odd> & \"quoted\"\nsecond line".into(),
            ),
            object: "SidecarSet/filebeat".into(),
            file: Some("a,b:c.yaml".into()),
            line: Some(3),
            column: Some(1),
            snippet: Some("\treadinessProbe:".into()),
        },
        Located {
            finding: info,
            object: "Job/default/batch".into(),
            file: None,
            line: None,
            column: None,
            snippet: None,
        },
    ]
}

const TEST_TOOL: SarifTool<'static> = SarifTool {
    version: "0.0.0-test",
    repository: None,
};

/// The sample's relative file names are under the root.
fn test_root() -> SrcRoot {
    SrcRoot::new(Path::new("."), Path::new("/src/repo"))
}

fn golden(name: &str, got: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/lint/render/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).expect("golden file (UPDATE_GOLDEN=1 creates it)");
    if let Some((i, (g, w))) = got
        .lines()
        .zip(want.lines())
        .enumerate()
        .find(|(_, (g, w))| g != w)
    {
        panic!(
            "{name}: line {} differs:\n  got:  {g}\n  want: {w}\n(UPDATE_GOLDEN=1 rewrites)",
            i + 1
        );
    }
    assert_eq!(
        got.lines().count(),
        want.lines().count(),
        "{name}: line count differs"
    );
}

#[test]
fn golden_outputs() {
    let s = sample();
    golden("results.json", &json(&s));
    golden("results.sarif", &sarif(&s, RULES, &TEST_TOOL, &test_root()));
    golden("results.junit.xml", &junit(&s, false));
    golden("results.strict.junit.xml", &junit(&s, true));
    golden("results.github.txt", &github(&s));
    golden("results.txt", &human(&s, false));
    golden("results.color.txt", &human(&s, true));
    golden("empty.txt", &human(&[], false));
    golden("empty.junit.xml", &junit(&[], false));
    golden("rules.txt", &rules_text(RULES));
}

#[test]
fn json_is_the_contract() {
    let v: Value = serde_json::from_str(&json(&sample())).expect("json");
    let first = &v["results"][0];
    for k in [
        "rule", "severity", "object", "message", "help", "file", "line", "column",
    ] {
        assert!(first.get(k).is_some(), "missing {k}");
    }
    assert_eq!(first["severity"], "error");
    assert_eq!(v["results"][2]["severity"], "info");
}

#[test]
fn sarif_structure() {
    let v: Value = serde_json::from_str(&sarif(&sample(), RULES, &TEST_TOOL, &test_root()))
        .expect("sarif json");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("%SRCROOT% in originalUriBaseIds");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    assert_eq!(run["tool"]["driver"]["name"], "kubectl-sidecarset");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), RULES.len());
    let mut ids = std::collections::HashSet::new();
    for r in rules {
        assert!(ids.insert(r["id"].as_str().expect("id")));
        assert!(matches!(
            r["defaultConfiguration"]["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(r["shortDescription"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }
    for res in run["results"].as_array().expect("results") {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert!(matches!(
            res["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(res["message"]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
        let loc = &res["locations"][0];
        assert!(loc["logicalLocations"][0]["fullyQualifiedName"].is_string());
        if let Some(phys) = loc.get("physicalLocation") {
            let uri = phys["artifactLocation"]["uri"].as_str().expect("uri");
            assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)),
                "{uri}"
            );
            if let Some(l) = phys["region"]["startLine"].as_u64() {
                assert!(l >= 1);
            }
        }
    }
}

#[test]
fn github_escapes() {
    let out = github(&sample());
    assert!(out.starts_with(
        "::error file=deploy/sidecarset.yaml,line=12,col=5,title=SSV-040 SidecarSet/log-agent::"
    ));
    assert!(out.contains("file=a%2Cb%3Ac.yaml"));
    assert!(out.contains("100%25 <odd>"));
    assert!(out.contains("%0Asecond line"));
    assert!(out.contains("::notice title=SSL-003"));
}

#[test]
fn long_lines_are_windowed() {
    let mut s = sample();
    s[0].snippet = Some(format!("{}X{}", "a".repeat(300), "b".repeat(300)));
    s[0].column = Some(301);
    let out = human(&s[..1], false);
    let lines: Vec<&str> = out.lines().collect();
    let text = lines
        .iter()
        .find(|l| l.contains('X'))
        .expect("snippet line");
    let caret = lines
        .iter()
        .find(|l| l.trim_end().ends_with('^'))
        .expect("caret line");
    assert_eq!(text.find('X'), caret.find('^'));
    assert!(text.len() < 130);
}
