//! Reconcile rounds of the SidecarSet controller, one after another
//! (rollout.md §1, §4–§7, and the §10 model between rounds).
//!
//! Every round is decided by the same predicates on the pods as they would
//! be after the previous rounds: upgraded pods carry the annotations the
//! controller wrote and the status the model gives them. Per-pod facts are
//! kept in `Flags` and only recomputed for pods a round changed, so a whole
//! plan costs one evaluation per pod plus the work of each round.

use super::pods::{self, SetView, Upgradable};
use super::update;
use super::{Action, Batch, NotUpgradable, PodSource, Spread};
use crate::value::At;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Flags {
    updated: bool,
    consistent: bool,
    ready: bool,
    selected: bool,
    waiting: bool,
    in_flight: bool,
    not_upgradable: bool,
    flip: bool,
}

impl Flags {
    fn available(&self) -> bool {
        self.consistent && self.ready
    }
}

/// The status counters of `calculateStatus`, plus the unavailable count of
/// `calculateUpgradeCount`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    pub matched: usize,
    pub updated: usize,
    pub ready: usize,
    pub updated_ready: usize,
    pub unavailable: usize,
    waiting: usize,
    not_selected: usize,
    not_upgradable: usize,
    in_flight: usize,
}

impl Counts {
    fn apply(&mut self, f: &Flags, add: bool) {
        let bump = |n: &mut usize, on: bool| {
            if on {
                if add {
                    *n += 1;
                } else {
                    *n -= 1;
                }
            }
        };
        bump(&mut self.updated, f.updated);
        bump(&mut self.ready, f.available());
        bump(&mut self.updated_ready, f.updated && f.available());
        bump(&mut self.unavailable, f.updated && !f.available());
        bump(&mut self.waiting, f.waiting);
        bump(&mut self.not_selected, !f.updated && !f.selected);
        bump(&mut self.not_upgradable, f.not_upgradable);
        bump(&mut self.in_flight, f.in_flight);
    }
}

/// Why a run of rounds ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum End {
    Complete,
    Partition,
    Budget,
    NoCandidates,
    RoundLimit,
    FlipStuck,
}

pub(crate) struct Rollout<'a> {
    set: &'a SetView,
    scatter: Option<&'a [Value]>,
    source: &'a dyn PodSource,
    /// The matched pods' indexes in `source`.
    ids: Vec<usize>,
    /// Their `namespace/name`.
    keys: Vec<String>,
    /// A pod as the rounds so far left it, while a later round may still
    /// change it (`None`: unchanged, or changed for the last time).
    pods: Vec<Option<Value>>,
    flags: Vec<Flags>,
    pub counts: Counts,
    flips: BTreeSet<usize>,
    /// Waiting pods in default-then-priority order; removing pods keeps the
    /// order of the rest, so it is computed once.
    order: Vec<usize>,
    cursor: usize,
    /// Every pod's index: the "all pods" scatter counts its totals over.
    all: Vec<usize>,
    /// Every pod's value of each scatter key, read once (labels never change).
    scatter_labels: Vec<(String, Vec<Option<String>>)>,
    pub max_unavailable: usize,
    healthy: bool,
    start: i64,
    pub round: usize,
    pub unmanaged: Vec<NotUpgradable>,
    pub not_upgradable: Vec<NotUpgradable>,
    pub in_flight: Vec<String>,
}

impl<'a> Rollout<'a> {
    /// The rollout over the pods of `source` that `manages` accepts (the
    /// others are [`Rollout::unmanaged`], with its reason).
    pub(crate) fn new(
        set: &'a SetView,
        strategy: Option<&'a Value>,
        source: &'a dyn PodSource,
        mut manages: impl FnMut(&Value) -> Result<(), String>,
        healthy: bool,
        start: i64,
    ) -> Rollout<'a> {
        let scatter = strategy
            .and_then(|s| s.get("scatterStrategy"))
            .and_then(Value::as_array)
            .filter(|t| !t.is_empty())
            .map(Vec::as_slice);
        let mut scatter_labels: Vec<(String, Vec<Option<String>>)> = Vec::new();
        for t in scatter.into_iter().flatten() {
            let Some(k) = t.get("key").and_then(Value::as_str) else {
                continue;
            };
            if !scatter_labels.iter().any(|(key, _)| key == k) {
                scatter_labels.push((k.to_string(), Vec::new()));
            }
        }
        let mut r = Rollout {
            set,
            scatter,
            source,
            ids: Vec::new(),
            keys: Vec::new(),
            pods: Vec::new(),
            flags: Vec::new(),
            counts: Counts::default(),
            flips: BTreeSet::new(),
            order: Vec::new(),
            cursor: 0,
            all: Vec::new(),
            scatter_labels,
            max_unavailable: 0,
            healthy,
            start,
            round: 0,
            unmanaged: Vec::new(),
            not_upgradable: Vec::new(),
            in_flight: Vec::new(),
        };
        // One read of each pod gives everything the rounds need of it.
        let mut waiting: Vec<(usize, super::order::ActiveKey)> = Vec::new();
        for id in 0..source.len() {
            let p = source.pod(id);
            let key = pods::key(&p);
            if let Err(reason) = manages(&p) {
                r.unmanaged.push(NotUpgradable { pod: key, reason });
                continue;
            }
            let i = r.ids.len();
            let (f, reason) = evaluate(set, &p);
            if let Some(reason) = reason {
                r.not_upgradable.push(NotUpgradable {
                    pod: key.clone(),
                    reason,
                });
            }
            if f.in_flight {
                r.in_flight.push(key.clone());
            }
            r.counts.apply(&f, true);
            if f.flip {
                r.flips.insert(i);
            }
            r.flags.push(f);
            if f.waiting {
                waiting.push((i, super::order::ActiveKey::of(&p)));
            }
            for (k, col) in &mut r.scatter_labels {
                col.push(
                    p.get("metadata")
                        .and_then(|m| m.get("labels"))
                        .and_then(|l| l.get(k.as_str()))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                );
            }
            r.ids.push(id);
            r.keys.push(key);
        }
        let n = r.ids.len();
        r.counts.matched = n;
        r.pods = (0..n).map(|_| None).collect();
        r.max_unavailable =
            pods::max_unavailable(strategy.and_then(|s| s.get("maxUnavailable")), n);
        // Stable, so pods that compare equal keep their input order.
        waiting.sort_by(|(_, a), (_, b)| a.cmp(b));
        let mut order: Vec<usize> = waiting.into_iter().map(|(i, _)| i).collect();
        let ids = &r.ids;
        super::order::by_priority_of(
            &mut order,
            |i| source.pod(ids[i]),
            strategy.and_then(|s| s.get("priorityStrategy")),
        );
        if r.scatter.is_some() {
            r.all = (0..n).collect();
        }
        r.order = order;
        r
    }

    pub(crate) fn key(&self, i: usize) -> String {
        self.keys.get(i).cloned().unwrap_or_default()
    }

    fn advance(&mut self) {
        while self.cursor < self.order.len() && !self.flags[self.order[self.cursor]].waiting {
            self.cursor += 1;
        }
    }

    /// `calculateUpgradeCount`'s walk over the first `kept` waiting pods:
    /// not-ready pods cost nothing, ready ones one unit of maxUnavailable.
    fn walk(&self, order: impl Iterator<Item = usize>, kept: usize) -> Vec<usize> {
        let mut unavailable = self.counts.unavailable;
        let mut take = Vec::new();
        for i in order.take(kept) {
            if !self.flags[i].ready {
                take.push(i);
                continue;
            }
            if unavailable >= self.max_unavailable {
                break;
            }
            take.push(i);
            unavailable += 1;
        }
        take
    }

    /// The waiting pods in the order this round's controller sorts them.
    pub(crate) fn waiting_order(&mut self) -> Vec<usize> {
        self.advance();
        let rest = self.order[self.cursor..]
            .iter()
            .copied()
            .filter(|&i| self.flags[i].waiting);
        match self.scatter {
            None => rest.collect(),
            Some(terms) => {
                let waiting: Vec<usize> = rest.collect();
                let columns = &self.scatter_labels;
                let label = |i: usize, k: &str| -> Option<&str> {
                    columns
                        .iter()
                        .find(|(key, _)| key == k)
                        .and_then(|(_, col)| col[i].as_deref())
                };
                super::order::scatter_by(waiting, &self.all, terms, &label)
            }
        }
    }

    fn now(&self) -> String {
        crate::clock::rfc3339(self.start + self.round as i64)
    }

    fn change(&mut self, i: usize, flip: bool) {
        let now = self.now();
        let set = self.set;
        let (source, id) = (self.source, self.ids[i]);
        let pod = self.pods[i].get_or_insert_with(|| {
            source
                .working_part(id)
                .unwrap_or_else(|| match source.pod(id) {
                    Cow::Borrowed(p) => working_copy(p),
                    Cow::Owned(p) => working_part(p),
                })
        });
        let changed = if flip {
            update::flip(pod, set, &now)
        } else {
            update::upgrade(pod, set, &now)
        };
        // An idle twin goes back to the empty image, which always starts.
        update::settle(pod, &changed, self.healthy || flip, &now);
        let (f, _) = evaluate(set, pod);
        // A pod's flags change only here, and only pods waiting or due a
        // flip are changed again: the copy of any other is never read
        // again, and keeping one per upgraded pod would double the memory
        // of a plan over a large fleet.
        if !f.waiting && !f.flip {
            self.pods[i] = None;
        }
        let old = self.flags[i];
        self.counts.apply(&old, false);
        self.counts.apply(&f, true);
        if f.flip {
            self.flips.insert(i);
        } else {
            self.flips.remove(&i);
        }
        self.flags[i] = f;
    }

    /// Runs rounds until one changes nothing or `limit` rounds were run.
    pub(crate) fn run(&mut self, partition: usize, limit: usize, batches: &mut Vec<Batch>) -> End {
        loop {
            if self.round >= limit {
                return End::RoundLimit;
            }
            if !self.flips.is_empty() {
                self.round += 1;
                let pods: Vec<usize> = self.flips.iter().copied().collect();
                let before = self.counts;
                for &i in &pods {
                    self.change(i, true);
                }
                batches.push(self.batch(Action::Flip, &pods, before));
                if pods.iter().all(|i| self.flips.contains(i)) {
                    // The flip could not reset any twin (a malformed pod):
                    // the controller would repeat it forever.
                    return End::FlipStuck;
                }
                continue;
            }
            if self.counts.updated >= self.counts.matched {
                return End::Complete;
            }
            if self.counts.waiting == 0 {
                return End::NoCandidates;
            }
            let kept = self.counts.waiting.saturating_sub(partition);
            if kept == 0 {
                return End::Partition;
            }
            let take = if self.scatter.is_some() {
                let order = self.waiting_order();
                self.walk(order.into_iter(), kept)
            } else {
                // Without scatter the order is fixed: walk it lazily from
                // the first pod still waiting.
                self.advance();
                let rest = self.order[self.cursor..]
                    .iter()
                    .copied()
                    .filter(|&i| self.flags[i].waiting);
                self.walk(rest, kept)
            };
            if take.is_empty() {
                return End::Budget;
            }
            self.round += 1;
            let before = self.counts;
            for &i in &take {
                self.change(i, false);
            }
            batches.push(self.batch(Action::Upgrade, &take, before));
        }
    }

    /// How a batch spreads over the scatter keys' label values.
    fn spread(&self, terms: &[Value], pods: &[usize]) -> Vec<Spread> {
        let mut keys: Vec<&str> = Vec::new();
        for t in terms {
            if let Some(k) = t.get("key").and_then(Value::as_str) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        let mut out: Vec<Spread> = Vec::new();
        for k in keys {
            let column = self
                .scatter_labels
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, col)| col);
            for &i in pods {
                let v = column
                    .and_then(|col| col.get(i))
                    .and_then(Option::as_deref)
                    .unwrap_or("");
                let label = format!("{k}={v}");
                match out.iter_mut().find(|s| s.label == label) {
                    Some(s) => s.pods += 1,
                    None => out.push(Spread { label, pods: 1 }),
                }
            }
        }
        // Terms' order first (the order the SidecarSet lists them).
        let rank = |label: &str| {
            terms
                .iter()
                .position(|t| {
                    format!(
                        "{}={}",
                        t.get("key").and_then(Value::as_str).unwrap_or(""),
                        t.get("value").and_then(Value::as_str).unwrap_or("")
                    ) == label
                })
                .unwrap_or(usize::MAX)
        };
        out.sort_by_key(|s| rank(&s.label));
        out
    }

    fn batch(&self, action: Action, pods_idx: &[usize], before: Counts) -> Batch {
        let keys: Vec<String> = pods_idx.iter().map(|&i| self.key(i)).collect();
        let (pods, flipped) = match action {
            Action::Upgrade => (keys, Vec::new()),
            Action::Flip => (Vec::new(), keys),
        };
        let spread = match (self.scatter, action) {
            (Some(terms), Action::Upgrade) => self.spread(terms, pods_idx),
            _ => Vec::new(),
        };
        Batch {
            round: self.round,
            action,
            pods,
            flipped,
            spread,
            unavailable_before: before.unavailable,
            updated: self.counts.updated,
            matched: self.counts.matched,
        }
    }
}

/// The fields a round's working copy keeps of a pod, for each of the ways
/// it is made ([`working_copy`], [`working_part`], and decoding the compact
/// form, `plan::compact`).
pub(crate) mod kept {
    /// Of `metadata`.
    pub(crate) const METADATA: &[&str] = &[
        "name",
        "namespace",
        "labels",
        "annotations",
        "creationTimestamp",
        "deletionTimestamp",
    ];
    /// Of `spec`, besides `containers`.
    pub(crate) const SPEC: &[&str] = &["nodeName"];
    /// Of each container.
    pub(crate) const CONTAINER: &[&str] = &["name", "image"];
    /// Of `status`, besides `containerStatuses`.
    pub(crate) const STATUS: &[&str] = &["phase", "conditions"];
    /// Of each container status.
    pub(crate) const CONTAINER_STATUS: &[&str] =
        &["name", "image", "imageID", "ready", "restartCount"];
}

/// The part of a pod the controller reads and writes, copied before a
/// round changes it: a live pod also carries volumes, affinity, tolerations,
/// owner references... that no rule of the rollout looks at, and copying
/// them for every pod of a large fleet doubled the memory of a plan.
fn working_copy(p: &Value) -> Value {
    fn pick(v: Option<&Value>, keys: &[&str]) -> Value {
        let mut out = serde_json::Map::new();
        if let Some(m) = v.and_then(Value::as_object) {
            for k in keys {
                if let Some(x) = m.get(*k) {
                    out.insert((*k).to_string(), x.clone());
                }
            }
        }
        Value::Object(out)
    }
    // Containers and their statuses keep only what the rollout reads:
    // names, images, image IDs, readiness, restarts.
    fn slim(list: Option<&Value>, keys: &[&str]) -> Value {
        Value::Array(
            list.and_then(Value::as_array)
                .map(|items| items.iter().map(|c| pick(Some(c), keys)).collect())
                .unwrap_or_default(),
        )
    }
    let mut out = serde_json::Map::new();
    out.insert("metadata".into(), pick(p.get("metadata"), kept::METADATA));
    let mut spec = pick(p.get("spec"), kept::SPEC);
    spec["containers"] = slim(p.at("/spec/containers"), kept::CONTAINER);
    out.insert("spec".into(), spec);
    let mut status = pick(p.get("status"), kept::STATUS);
    status["containerStatuses"] = slim(p.at("/status/containerStatuses"), kept::CONTAINER_STATUS);
    out.insert("status".into(), status);
    Value::Object(out)
}

/// [`working_copy`] of a pod read for the copy (decoded): its parts are
/// moved, not copied.
pub(crate) fn working_part(p: Value) -> Value {
    fn take(v: Option<Value>, keys: &[&str]) -> Value {
        let mut out = serde_json::Map::new();
        if let Some(Value::Object(mut m)) = v {
            for k in keys {
                if let Some(x) = m.remove(*k) {
                    out.insert((*k).to_string(), x);
                }
            }
        }
        Value::Object(out)
    }
    fn take_each(list: Option<Value>, keys: &[&str]) -> Value {
        Value::Array(match list {
            Some(Value::Array(items)) => items.into_iter().map(|c| take(Some(c), keys)).collect(),
            _ => Vec::new(),
        })
    }
    let Value::Object(mut root) = p else {
        return working_copy(&p);
    };
    let (mut spec, mut status) = (root.remove("spec"), root.remove("status"));
    let list = |v: &mut Option<Value>, key: &str| {
        v.as_mut()
            .and_then(Value::as_object_mut)
            .and_then(|m| m.remove(key))
    };
    let (containers, statuses) = (
        list(&mut spec, "containers"),
        list(&mut status, "containerStatuses"),
    );
    let mut out = serde_json::Map::new();
    out.insert(
        "metadata".into(),
        take(root.remove("metadata"), kept::METADATA),
    );
    let mut spec = take(spec, kept::SPEC);
    spec["containers"] = take_each(containers, kept::CONTAINER);
    out.insert("spec".into(), spec);
    let mut status = take(status, kept::STATUS);
    status["containerStatuses"] = take_each(statuses, kept::CONTAINER_STATUS);
    out.insert("status".into(), status);
    Value::Object(out)
}

/// Everything a round asks of one pod, and the not-upgradable reason.
fn evaluate(set: &SetView, p: &Value) -> (Flags, Option<String>) {
    let updated = set.is_updated(p);
    let selected = set.canary_selects(p);
    let mut f = Flags {
        updated,
        consistent: set.consistent(p, None),
        ready: set.is_ready(p),
        selected,
        flip: set.needs_flip(p),
        ..Flags::default()
    };
    let mut reason = None;
    if !updated && selected {
        match set.upgradable(p) {
            Upgradable::Yes => f.waiting = true,
            Upgradable::InFlight => f.in_flight = true,
            Upgradable::No(why) => {
                f.not_upgradable = true;
                reason = Some(why);
            }
        }
    }
    (f, reason)
}

impl Counts {
    /// Why no pod is waiting although not every pod is updated.
    pub(crate) fn no_candidates(&self) -> String {
        let mut parts = Vec::new();
        if self.not_selected > 0 {
            parts.push(format!(
                "{} not selected by updateStrategy.selector: widen or remove it to go on",
                self.not_selected
            ));
        }
        if self.not_upgradable > 0 {
            parts.push(format!(
                "{} not upgradable in place: see below",
                self.not_upgradable
            ));
        }
        if self.in_flight > 0 {
            parts.push(format!(
                "{} with an earlier in-place update in flight",
                self.in_flight
            ));
        }
        format!(
            "no pod is left to upgrade: {} of {} pods are not updated ({})",
            self.matched - self.updated,
            self.matched,
            parts.join(", ")
        )
    }
}
