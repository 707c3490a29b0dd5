//! The import graph of the crate's top-level modules, read from the
//! sources: no cycle, nothing in the engine reaches the command line, and
//! the controller model (`plan`) does not link the webhook. A change that
//! breaks one of these fails here with the edge that did.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `crate::NAME` references of `text`, outside its `#[cfg(test)]` part.
fn references(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let module_of = |p: &Path| -> Option<String> {
        let rel = p.strip_prefix(&src).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        let name = first.strip_suffix(".rs").unwrap_or(first);
        (!matches!(name, "lib" | "main")).then(|| name.to_string())
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|p| module_of(p)).collect();
    let mut g = Graph::new();
    for f in &files {
        let Some(m) = module_of(f) else { continue };
        let text = std::fs::read_to_string(f).expect("source readable");
        let deps = g.entry(m.clone()).or_default();
        for r in references(&text) {
            if r != m && modules.contains(&r) {
                deps.insert(r);
            }
        }
    }
    g
}

/// Every module `from` reaches, following edges.
fn reach(g: &Graph, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_string()];
    while let Some(m) = todo.pop() {
        for d in g.get(&m).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn the_module_graph_has_no_cycle() {
    let g = graph();
    assert!(g.len() > 20, "only {} modules found", g.len());
    for m in g.keys() {
        assert!(
            !reach(&g, m).contains(m),
            "{m} reaches itself: {m} -> {:?}",
            g[m]
        );
    }
}

#[test]
fn the_engine_does_not_reach_the_command_line() {
    let g = graph();
    for m in g.keys().filter(|m| *m != "cli") {
        assert!(
            !reach(&g, m).contains("cli"),
            "{m} reaches cli; the engine must build without it"
        );
    }
}

#[test]
fn the_controller_model_does_not_link_the_webhook() {
    let g = graph();
    let plan = reach(&g, "plan");
    for webhook in ["inject", "pod_webhook", "whatif", "lint", "admission"] {
        assert!(
            !plan.contains(webhook),
            "plan reaches {webhook}: {:?}",
            g["plan"]
        );
    }
}

#[test]
fn references_are_read_from_code_not_tests() {
    let r = references("use crate::a::b;\nfn f() { crate::c_d::e() }\n#[cfg(test)]\nuse crate::x;");
    assert_eq!(
        r.into_iter().collect::<Vec<_>>(),
        ["a".to_string(), "c_d".to_string()]
    );
}
