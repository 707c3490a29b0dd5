//! Upstream OpenKruise v1.9.0 test vectors for the rollout ordering and
//! arithmetic (`docs/spec/rollout.md` §5–§6), ported from:
//!
//! * `pkg/util/updatesort/scatter_sort_test.go`: `TestScatterPodsByRule`, `TestSort`;
//! * `pkg/util/updatesort/priority_sort_test.go`: `TestCompare`, `Test_prioritySort_Sort`;
//! * `pkg/controller/sidecarset/sidecarset_strategy_test.go`: `TestParseUpdateScatterTerms`
//!   (through [`scatter`]) and the partition / maxUnavailable arithmetic of
//!   `TestGetNextUpgradePods`.
//!
//! The Go scatter sort works on index slices; here every pod is named after
//! its index and the resulting order of names is compared.

use super::order::{by_priority, scatter};
use super::pods::{max_unavailable, partition};
use serde_json::{json, Map, Value};

/// Labels from `"k=v,k=v"`; entries without `=` are skipped, as in the Go
/// test's `strings.SplitN(label, "=", 2)` loop.
fn labels(spec: &str) -> Value {
    let mut m = Map::new();
    for kv in spec.split(',') {
        if let Some((k, v)) = kv.split_once('=') {
            m.insert(k.to_string(), Value::String(v.to_string()));
        }
    }
    Value::Object(m)
}

fn pod(name: impl Into<String>, labels: Value) -> Value {
    json!({"metadata": {"namespace": "default", "name": name.into(), "labels": labels}})
}

fn name(p: &Value) -> String {
    p.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string()
}

fn index(p: &Value) -> usize {
    name(p)
        .parse()
        .expect("pods of the scatter vectors are named by index")
}

fn terms(t: &[(&str, &str)]) -> Vec<Value> {
    t.iter()
        .map(|(k, v)| json!({"key": k, "value": v}))
        .collect()
}

/// Runs every case, collecting failures so that one report shows them all.
fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} vector(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// scatter_sort_test.go: TestScatterPodsByRule
// ---------------------------------------------------------------------------

/// (desc, podLabels, expectedIndexes); the strategy term is always
/// `labelA=AAA`. As in Go, only the first `len(expectedIndexes)` label
/// entries become pods, and all of them are waiting.
type ByRuleCase = (&'static str, &'static [&'static str], &'static [usize]);

const SCATTER_PODS_BY_RULE: &[ByRuleCase] = &[
    ("no label", &[""], &[0]),
    ("only one scattered pod", &["labelA=AAA"], &[0]),
    (
        "odd scattered pod + odd ordinary pod",
        &["labelA=AAA", "bbb"],
        &[0, 1],
    ),
    (
        "even scattered pods + even ordinary pods",
        &["", "", "", "", "labelA=AAA", "labelA=AAA"],
        &[4, 0, 1, 2, 3, 5],
    ),
    (
        "odd scattered pods + odd ordinary pods",
        &["", "", "", "labelA=AAA", "labelA=AAA", "labelA=AAA"],
        &[3, 0, 1, 4, 2, 5],
    ),
    (
        "even scattered pods + odd ordinary pods",
        &["", "", "", "labelA=AAA", "", "", "labelA=AAA"],
        &[3, 0, 1, 2, 4, 5, 6],
    ),
    (
        "odd scattered pods + even ordinary pods",
        &[
            "",
            "",
            "",
            "",
            "",
            "",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
        ],
        &[6, 0, 1, 2, 7, 3, 4, 5, 8],
    ),
    (
        "even scattered pods + even ordinary pods + scattered pods more than ordinary pods",
        &[
            "",
            "",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
        ],
        &[2, 3, 0, 4, 1, 5],
    ),
    (
        "odd scattered pods + odd ordinary pods + scattered pods more than ordinary pods",
        &[
            "",
            "",
            "",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
        ],
        &[3, 0, 1, 4, 2, 5],
    ),
    (
        "even scattered pods + odd ordinary pods + scattered pods more than ordinary pods",
        &[
            "",
            "",
            "labelA=AAA",
            "",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
        ],
        &[2, 4, 0, 5, 6, 1, 7, 3, 8],
    ),
    (
        "odd scattered pods + even ordinary pods + scattered pods more than ordinary pods",
        &[
            "",
            "labelA=AAA",
            "",
            "labelA=AAA",
            "",
            "",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA",
        ],
        &[1, 0, 3, 2, 6, 4, 7, 5, 8],
    ),
    (
        "invalid label",
        &[
            "",
            "",
            "",
            "",
            "ee",
            "a",
            "",
            "labelA=AAA",
            "labelA=AAA",
            "labelA=AAA,labelB=BBB",
        ],
        &[7, 0, 1, 2, 3, 8, 4, 5, 6, 9],
    ),
];

/// Go calls `scatterPodsByRule` directly; `scatter` with a single term applies
/// exactly that rule (no term expansion, no term ordering).
fn run_scatter_pods_by_rule(idx: usize) -> Result<(), String> {
    let (desc, pod_labels, expected) = SCATTER_PODS_BY_RULE[idx];
    let pods: Vec<Value> = (0..expected.len())
        .map(|i| pod(i.to_string(), labels(pod_labels[i])))
        .collect();
    let all: Vec<&Value> = pods.iter().collect();
    let got: Vec<usize> = scatter(all.clone(), &all, &terms(&[("labelA", "AAA")]))
        .into_iter()
        .map(index)
        .collect();
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "TestScatterPodsByRule[{idx}] {desc:?}: desired {expected:?}, got {got:?}"
        ))
    }
}

#[test]
fn scatter_sort_test_go_test_scatter_pods_by_rule() {
    assert_eq!(SCATTER_PODS_BY_RULE.len(), 12);
    report(
        (0..SCATTER_PODS_BY_RULE.len())
            .filter_map(|i| run_scatter_pods_by_rule(i).err())
            .collect(),
    );
}

// ---------------------------------------------------------------------------
// scatter_sort_test.go: TestSort
// ---------------------------------------------------------------------------

/// (desc, podLabels with `None` for a nil pod, scatterStrategy,
/// expectedIndexes).
type SortCase = (
    &'static str,
    &'static [Option<&'static str>],
    &'static [(&'static str, &'static str)],
    &'static [usize],
);

const SORT: &[SortCase] = &[
(
"a scattered pod + a ordinary pod",
&[Some("labelA=AAA,labelB=BBB")],
&[("labelA", "AAA")],
&[0],
),
(
"all ordinary pods",
&[Some(""), Some(""), Some(""), Some(""), Some(""), Some("")],
&[],
&[0, 1, 2, 3, 4, 5],
),
(
"one pod one label",
&[Some(""), Some(""), Some(""), Some(""), Some("labelA=AAA"), Some("labelA=AAA")],
&[("labelA", "AAA")],
&[4, 0, 1, 2, 3, 5],
),
(
"one pod more labels",
&[Some(""), Some(""), Some(""), Some(""), Some("sdfb=eee"), Some("dsf=same"), Some("labelB=BBB"), Some("labelA=AAA"), Some("labelA=AAA"), Some("labelA=AAA,labelB=BBB")],
&[("labelB", "BBB")],
&[6, 0, 1, 2, 3, 4, 5, 7, 8, 9],
),
(
"2 dimensions + one pod one label",
&[Some("labelB=BBB"), Some("labelB=BBB"), Some(""), Some(""), Some("labelA=AAA"), Some("labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[0, 4, 2, 3, 5, 1],
),
(
"2 dimensions + one pod more labels",
&[Some(""), Some(""), Some(""), Some("labelB=BBB"), Some("labelA=AAA,labelB=BBB"), Some("labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[4, 0, 1, 2, 5, 3],
),
(
"2 dimensions + same label + sequence: A + B",
&[Some(""), Some(""), Some(""), Some(""), Some("sdfb=eee"), Some("dsf=same"), Some("labelB=BBB"), Some("labelA=AAA"), Some("labelA=AAA"), Some("labelB=BBB")],
&[("labelB", "BBB"), ("labelA", "AAA")],
&[7, 6, 0, 1, 2, 3, 4, 5, 9, 8],
),
(
"2 dimensions + same label + sequence: B + A",
&[Some(""), Some(""), Some(""), Some(""), Some("sdfb=eee"), Some("dsf=same"), Some("labelB=BBB"), Some("labelA=AAA"), Some("labelA=AAA"), Some("labelB=BBB")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[6, 7, 0, 1, 2, 3, 4, 5, 8, 9],
),
(
"2 dimensions + same pod same label + even scatter pods + even ordinary pods",
&[Some(""), Some(""), Some(""), Some(""), Some("sdfb=eee"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[6, 0, 1, 2, 3, 4, 5, 7, 8, 9],
),
(
"2 dimensions + same pod same label + even scatter pods + odd ordinary pods",
&[Some(""), Some(""), Some(""), Some("sdfb=eee"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[5, 0, 1, 2, 3, 4, 6, 7, 8],
),
(
"2 dimensions + same pod same label + odd scatter pods + odd ordinary pods",
&[Some(""), Some(""), Some(""), Some("labelA=AAA"), Some("sdfb=eee"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[3, 0, 1, 2, 4, 5, 7, 6],
),
(
"2 dimensions + same pod same label + odd scatter pods + odd ordinary pods",
&[Some(""), Some(""), Some(""), Some("labelA=AAA"), Some(""), Some(""), Some("sdfb=eee"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[0, 1, 2, 4, 3, 5, 6, 7, 9, 10, 8],
),
(
"2 dimensions + same pod same label + even scatter pods + even ordinary pods + scatter pods more than ordinary pods",
&[Some(""), Some(""), Some(""), Some("labelA=AAA"), Some("sdfb=eee,labelA=AAA"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[6, 3, 0, 1, 4, 2, 5, 7, 8, 9],
),
(
"2 dimensions + same pod same label + even scatter pods + odd ordinary pods + scatter pods more than ordinary pods",
&[Some(""), Some("labelA=AAA"), Some("labelA=AAA"), Some("sdfb=eee"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[5, 1, 0, 3, 2, 4, 6, 7, 8],
),
(
"2 dimensions + same pod same label + odd scatter pods + odd ordinary pods + scatter pods more than ordinary pods",
&[Some("labelA=AAA"), Some(""), Some(""), Some("labelA=AAA"), Some("sdfb=eee,labelA=AAA"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[1, 0, 2, 3, 5, 4, 7, 6],
),
(
"2 dimensions + same pod same label + odd scatter pods + odd ordinary pods + scatter pods more than ordinary pods",
&[Some(""), Some(""), Some("labelA=AAA"), Some("labelA=AAA"), Some(""), Some("labelA=AAA"), Some("sdfb=eee"), Some("dsf=same"), Some("labelA=AAA,labelB=BBB"), Some(""), Some(""), Some("labelB=BBB,labelA=AAA")],
&[("labelA", "AAA"), ("labelB", "BBB")],
&[0, 2, 1, 4, 3, 6, 7, 5, 9, 10, 8],
),
(
"3 dimensions + one pod one label",
&[Some(""), Some("labelA=AAA"), Some("labelA=AAA"), Some("labelB=BBB"), Some("labelB=BBB"), Some("labelC=CCC"), Some("labelC=CCC"), Some("labelC=CCC"), Some("labelC=CCC"), Some("labelC=CCC")],
&[("labelA", "AAA"), ("labelB", "BBB"), ("labelC", "CCC")],
&[3, 1, 5, 0, 6, 7, 8, 9, 2, 4],
),
(
"3 dimensions + one pod more label",
&[Some(""), Some("labelA=AAA"), Some("labelA=AAA,labelC=CCC"), Some("labelB=BBB,labelC=CCC"), Some("labelB=BBB"), Some(""), Some(""), Some("labelC=CCC"), Some("labelC=CCC"), Some("labelC=CCC")],
&[("labelA", "AAA"), ("labelB", "BBB"), ("labelC", "CCC")],
&[3, 2, 0, 7, 8, 5, 6, 9, 1, 4],
),
(
"continuous sort 1",
&[Some(""), Some(""), Some(""), Some(""), Some("labelA=AAA"), Some("labelA=AAA"), Some("labelA=AAA")],
&[("labelA", "AAA")],
&[0, 1, 4, 2, 3, 5],
),
(
"continuous sort 2",
&[Some("labelA=AAA"), Some("labelA=AAA"), Some(""), Some(""), Some(""), Some(""), Some(""), Some(""), Some(""), Some("labelA=AAA")],
&[("labelA", "AAA")],
&[2, 0, 3, 4, 5, 6, 1],
),
(
"reserveOrdinals nil in slice",
&[Some(""), Some("labelA=AAA"), Some("labelA=AAA,labelC=CCC"), Some("labelB=BBB,labelC=CCC"), Some("labelB=BBB"), None, Some(""), Some(""), Some("labelC=CCC"), Some("labelC=CCC"), Some("labelC=CCC")],
&[("labelA", "AAA"), ("labelB", "BBB"), ("labelC", "CCC")],
&[3, 2, 0, 8, 9, 6, 7, 10, 1, 4],
),
];

/// Go builds `pods` from every podLabels entry (nil entries stay nil pods and
/// are skipped in the totals) and `indexes` from the non-nil entries among
/// the first `len(expectedIndexes)` (+ skipped nils); `Sort(pods, indexes)`
/// maps to `scatter(waiting = pods at indexes, all = non-nil pods, terms)`.
fn run_sort(idx: usize) -> Result<(), String> {
    let (desc, pod_labels, strategy, expected) = SORT[idx];
    let pods: Vec<Option<Value>> = pod_labels
        .iter()
        .enumerate()
        .map(|(i, l)| l.map(|l| pod(i.to_string(), labels(l))))
        .collect();
    let all: Vec<&Value> = pods.iter().flatten().collect();
    let mut waiting = Vec::new();
    let mut nils = 0;
    let mut i = 0;
    while i < expected.len() + nils {
        match &pods[i] {
            Some(p) => waiting.push(p),
            None => nils += 1,
        }
        i += 1;
    }
    let got: Vec<usize> = scatter(waiting, &all, &terms(strategy))
        .into_iter()
        .map(index)
        .collect();
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "TestSort[{idx}] {desc:?}: desired {expected:?}, got {got:?}"
        ))
    }
}

#[test]
fn scatter_sort_test_go_test_sort() {
    assert_eq!(SORT.len(), 21);
    report((0..SORT.len()).filter_map(|i| run_sort(i).err()).collect());
}

// ---------------------------------------------------------------------------
// priority_sort_test.go: TestCompare
// ---------------------------------------------------------------------------

fn weight(terms: &[(i64, &str, &str)]) -> Value {
    json!({"weightPriority": terms
        .iter()
        .map(|(w, k, v)| json!({"weight": w, "matchSelector": {"matchLabels": {*k: v}}}))
        .collect::<Vec<_>>()})
}

fn order(keys: &[&str]) -> Value {
    json!({"orderPriority": keys
        .iter()
        .map(|k| json!({"orderedKey": k}))
        .collect::<Vec<_>>()})
}

/// `compare(podI, podJ, true)`: whether podI sorts before podJ, `true` on a
/// tie. With the stable [`by_priority`], `true` means `[I, J]` stays in that
/// order; `false` means J is strictly first, whichever order the input has.
fn run_compare(
    idx: usize,
    strategy: &Value,
    pod_i: &str,
    pod_j: &str,
    expected: bool,
) -> Result<(), String> {
    let i = pod("I", labels(pod_i));
    let j = pod("J", labels(pod_j));
    let mut fwd = vec![&i, &j];
    by_priority(&mut fwd, Some(strategy));
    let mut rev = vec![&j, &i];
    by_priority(&mut rev, Some(strategy));
    let fwd: Vec<String> = fwd.into_iter().map(name).collect();
    let rev: Vec<String> = rev.into_iter().map(name).collect();
    let ok = if expected {
        fwd == ["I", "J"]
    } else {
        fwd == ["J", "I"] && rev == ["J", "I"]
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "TestCompare case #{idx} ({pod_i:?} vs {pod_j:?}): expected {expected}, \
             by_priority gave {fwd:?} from [I, J] and {rev:?} from [J, I]"
        ))
    }
}

#[test]
fn priority_sort_test_go_test_compare() {
    let w2 = weight(&[(20, "key", "foo"), (10, "key", "bar")]);
    let w3a = weight(&[
        (20, "key1", "foo"),
        (10, "key2", "bar"),
        (15, "key3", "baz"),
    ]);
    let w3b = weight(&[(20, "key1", "foo"), (10, "key2", "bar"), (5, "key3", "baz")]);
    let o = order(&["key1", "key2"]);
    // (strategy, podI, podJ, expected), in the Go order (case #0..#12).
    let cases: &[(&Value, &str, &str, bool)] = &[
        (&w2, "", "", true),
        (&w2, "key=foo", "key=foo", true),
        (&w2, "key=bar", "key=foo", false),
        (&w2, "", "key=bar", false),
        (&w2, "", "key=foo", false),
        (&w3a, "key1=foo", "key2=bar,key3=baz", false),
        (&w3b, "key2=bar,key3=baz", "key1=foo", false),
        (&o, "", "", true),
        (&o, "key1=o-10", "key1=o-5", true),
        (&o, "key1=o-10", "key1=o-10", true),
        (&o, "key1=o-10", "key1=o-20", false),
        (&o, "key2=o-20", "key1=o-10", false),
        (&o, "key2=o-20", "key2=o-10", true),
    ];
    assert_eq!(cases.len(), 13);
    report(
        cases
            .iter()
            .enumerate()
            .filter_map(|(idx, (s, i, j, e))| run_compare(idx, s, i, j, *e).err())
            .collect(),
    );
}

// ---------------------------------------------------------------------------
// priority_sort_test.go: Test_prioritySort_Sort
// ---------------------------------------------------------------------------

#[test]
fn priority_sort_test_go_test_priority_sort_sort() {
    let hello_foo = ["hello=world", "", "foo=bar", ""];
    // (name, strategy, pod labels of pod-0.., want as pod indexes)
    let cases: Vec<(&str, Value, Vec<&str>, Vec<usize>)> = vec![
        (
            "empty priority strategy",
            json!({}),
            vec!["", "", ""],
            vec![0, 1, 2],
        ),
        (
            "priority strategy, keep original order if not match any priority rule",
            weight(&[(100, "foo", "bar"), (90, "hello", "world")]),
            hello_foo.to_vec(),
            vec![2, 0, 1, 3],
        ),
        (
            "priority strategy, no Pods matched any priority rule, keep original order",
            weight(&[(100, "not", "match"), (90, "not1", "match1")]),
            hello_foo.to_vec(),
            vec![0, 1, 2, 3],
        ),
    ];
    let mut failures = Vec::new();
    for (desc, strategy, pod_labels, want) in &cases {
        let pods: Vec<Value> = pod_labels
            .iter()
            .enumerate()
            .map(|(i, l)| pod(format!("pod-{i}"), labels(l)))
            .collect();
        let mut v: Vec<&Value> = pods.iter().collect();
        by_priority(&mut v, Some(strategy));
        let got: Vec<String> = v.into_iter().map(name).collect();
        let want: Vec<String> = want.iter().map(|i| format!("pod-{i}")).collect();
        if got != want {
            failures.push(format!(
                "Test_prioritySort_Sort {desc:?}: want {want:?}, got {got:?}"
            ));
        }
    }
    assert_eq!(cases.len(), 3);
    report(failures);
}

// ---------------------------------------------------------------------------
// sidecarset_strategy_test.go: TestParseUpdateScatterTerms
// ---------------------------------------------------------------------------

/// `factoryPods(100, 0, 0)`: pods `pod-0..pod-99` labelled `app=sidecar`
/// (everything else in those pods is irrelevant to scattering), plus the
/// case's extra labels.
fn factory_pods(extra: &[(usize, &str, &str)]) -> Vec<Value> {
    (0..100)
        .map(|i| {
            let mut l = json!({"app": "sidecar"});
            for (n, k, v) in extra {
                if *n == i {
                    l[*k] = json!(v);
                }
            }
            pod(format!("pod-{i}"), l)
        })
        .collect()
}

/// (name, extra labels as (pod index, key, value), given terms, expected
/// expansion).
type ParseCase<'a> = (
    &'a str,
    &'a [(usize, &'a str, &'a str)],
    &'a [(&'a str, &'a str)],
    &'a [(&'a str, &'a str)],
);

/// `parseUpdateScatterTerms` is not exposed: [`scatter`] expands the terms
/// internally. The vector is expressed as "scattering with the given terms
/// orders the pods exactly like scattering with Go's expected expansion"
/// (an explicit term list expands to itself), all pods waiting.
#[test]
fn sidecarset_strategy_test_go_test_parse_update_scatter_terms() {
    let plain: &[(&str, &str)] = &[
        ("key-1", "value-1"),
        ("key-2", "value-2"),
        ("key-3", "value-3"),
    ];
    let regular: Vec<(&str, &str)> = plain.iter().copied().chain([("key-4", "*")]).collect();
    let expanded: Vec<(&str, &str)> = plain
        .iter()
        .copied()
        .chain([
            ("key-4", "value-4-0"),
            ("key-4", "value-4-1"),
            ("key-4", "value-4-2"),
            ("key-4", "value-4"),
        ])
        .collect();
    let key4: &[(usize, &str, &str)] = &[
        (0, "key-4", "value-4-0"),
        (1, "key-4", "value-4-1"),
        (2, "key-4", "value-4-2"),
        (3, "key-4", "value-4"),
        (4, "key-4", "value-4"),
        (5, "key-4", "value-4"),
    ];
    let cases: &[ParseCase] = &[
        ("only scatter terms", &[], plain, plain),
        ("regular and scatter terms", key4, &regular, &expanded),
    ];
    let mut failures = Vec::new();
    for (desc, extra, given, expect) in cases {
        let pods = factory_pods(extra);
        let all: Vec<&Value> = pods.iter().collect();
        let got: Vec<String> = scatter(all.clone(), &all, &terms(given))
            .into_iter()
            .map(name)
            .collect();
        let want: Vec<String> = scatter(all.clone(), &all, &terms(expect))
            .into_iter()
            .map(name)
            .collect();
        if got != want {
            failures.push(format!(
                "TestParseUpdateScatterTerms {desc:?}: terms {given:?} ordered {got:?}, \
                 the expected expansion {expect:?} orders {want:?}"
            ));
        }
    }
    report(failures);
}

// ---------------------------------------------------------------------------
// sidecarset_strategy_test.go: TestGetNextUpgradePods (arithmetic only)
// ---------------------------------------------------------------------------

/// `calculateUpgradeCount` (rollout.md §6) when every waiting pod is ready:
/// keep `waiting - partition` entries, then take ready pods while the
/// unavailable count stays below maxUnavailable.
fn upgrade_count(
    waiting: usize,
    partition: usize,
    max_unavailable: usize,
    unavailable: usize,
) -> usize {
    if waiting <= partition {
        return 0;
    }
    (waiting - partition).min(max_unavailable.saturating_sub(unavailable))
}

/// Each Go case builds `factoryPods(count, upgraded, upgradedAndReady)`: all
/// pods Running and Ready; `upgraded` pods carry the new hash (not waiting),
/// of which `upgraded - upgradedAndReady` are inconsistent (unavailable). Only
/// the partition / maxUnavailable values and the resulting count are ported;
/// the selector case has 30 selected waiting pods, and the not-upgradable
/// case has no waiting pod (its notUpgradable count of 100 is out of scope).
#[test]
fn sidecarset_strategy_test_go_test_get_next_upgrade_pods_arithmetic() {
    struct Case {
        name: &'static str,
        total: usize,
        waiting: usize,
        unavailable: usize,
        partition: Option<Value>,
        want_partition: usize,
        max_unavailable: Option<Value>,
        want_max_unavailable: usize,
        except_need_upgrade_count: usize,
    }
    let c =
        |name, total, waiting, unavailable, p: Option<Value>, wp, mu: Option<Value>, wmu, need| {
            Case {
                name,
                total,
                waiting,
                unavailable,
                partition: p,
                want_partition: wp,
                max_unavailable: mu,
                want_max_unavailable: wmu,
                except_need_upgrade_count: need,
            }
        };
    let cases = [
        c("only maxUnavailable(int=10), and pods(count=100, upgraded=30, upgradedAndReady=26)",
            100, 70, 4, None, 0, Some(json!(10)), 10, 6),
        c("only maxUnavailable(string=10%), and pods(count=1000, upgraded=300, upgradedAndReady=260)",
            1000, 700, 40, None, 0, Some(json!("10%")), 100, 60),
        c("only maxUnavailable(string=5%), and pods(count=1000, upgraded=300, upgradedAndReady=250)",
            1000, 700, 50, None, 0, Some(json!("5%")), 50, 0),
        c("only maxUnavailable(int=100), and pods(count=100, upgraded=30, upgradedAndReady=27)",
            100, 70, 3, None, 0, Some(json!(100)), 100, 70),
        c("partition(int=180) maxUnavailable(int=100), and pods(count=1000, upgraded=800, upgradedAndReady=760)",
            1000, 200, 40, Some(json!(180)), 180, Some(json!(100)), 100, 20),
        c("partition(int=100) maxUnavailable(int=100), and pods(count=1000, upgraded=800, upgradedAndReady=760)",
            1000, 200, 40, Some(json!(100)), 100, Some(json!(100)), 100, 60),
        c("partition(string=18%) maxUnavailable(int=100), and pods(count=1000, upgraded=800, upgradedAndReady=760)",
            1000, 200, 40, Some(json!("18%")), 180, Some(json!(100)), 100, 20),
        c("partition(string=10%) maxUnavailable(int=100), and pods(count=1000, upgraded=800, upgradedAndReady=760)",
            1000, 200, 40, Some(json!("10%")), 100, Some(json!(100)), 100, 60),
        c("selector(app=test, count=30) maxUnavailable(int=100), and pods(count=1000, upgraded=0, upgradedAndReady=0)",
            1000, 30, 0, None, 0, Some(json!(100)), 100, 30),
        c("not upgradable sidecarset, maxUnavailable(int=100), and pods(count=100, upgraded=0, upgradedAndReady=0)",
            100, 0, 0, None, 0, Some(json!(100)), 100, 0),
        c("only maxUnavailable(5%), and pods(count=5, upgraded=0, upgradedAndReady=0)",
            5, 5, 0, None, 0, Some(json!("5%")), 1, 1),
        c("maxUnavailable(5) partition(99%), and pods(count=5, upgraded=0, upgradedAndReady=0)",
            5, 5, 0, Some(json!("99%")), 4, Some(json!(5)), 5, 1),
        c("maxUnavailable(5) partition(1%), and pods(count=5, upgraded=0, upgradedAndReady=0)",
            5, 5, 0, Some(json!("1%")), 1, Some(json!(5)), 5, 4),
    ];
    assert_eq!(cases.len(), 13);
    let mut failures = Vec::new();
    for k in &cases {
        let p = partition(k.partition.as_ref(), k.total);
        let u = max_unavailable(k.max_unavailable.as_ref(), k.total);
        let need = upgrade_count(k.waiting, p, u, k.unavailable);
        if (p, u, need)
            != (
                k.want_partition,
                k.want_max_unavailable,
                k.except_need_upgrade_count,
            )
        {
            failures.push(format!(
                "TestGetNextUpgradePods {:?}: want partition {} maxUnavailable {} count {}, \
                 got {p} {u} {need}",
                k.name, k.want_partition, k.want_max_unavailable, k.except_need_upgrade_count
            ));
        }
    }
    report(failures);
}
