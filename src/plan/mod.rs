//! The SidecarSet controller's in-place rollout, offline
//! (`docs/spec/rollout.md`): managed pods, status, the next batch and
//! later batches under a stated simulation model.
//!
//! Contract used by the CLI (keep these signatures): [`plan`] plans one
//! SidecarSet against the pods it may manage; the result serialises to the
//! PLAN object of `docs/spec/cli-contract.md`.

pub mod compact;
pub mod kubelet;
mod order;
pub(crate) mod pods;
mod simulate;
mod update;
#[cfg(test)]
mod vectors;

use crate::cluster::WebhookForm;
use crate::namespace::Namespaces;
use crate::value::At;
use serde::Serialize;
use serde_json::Value;
use simulate::{End, Rollout};
use std::borrow::Cow;

/// The pods a plan reads, one at a time: held as trees, or encoded
/// ([`compact::CompactPods`]) when a fleet is too large to hold as trees.
pub trait PodSource {
    /// How many pods there are.
    fn len(&self) -> usize;
    /// Whether there are no pods.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Pod `i` (`null` past the end).
    fn pod(&self, i: usize) -> Cow<'_, Value>;
    /// The part of pod `i` a round reads and writes, when the source can
    /// give it without the whole pod (see `simulate::working_part`).
    #[doc(hidden)]
    fn working_part(&self, _i: usize) -> Option<Value> {
        None
    }
}

impl PodSource for Vec<Value> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn pod(&self, i: usize) -> Cow<'_, Value> {
        self.get(i).map_or(Cow::Owned(Value::Null), Cow::Borrowed)
    }
}

/// Pods held as trees by the caller.
struct Trees<'a>(&'a [&'a Value]);

impl PodSource for Trees<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn pod(&self, i: usize) -> Cow<'_, Value> {
        self.0
            .get(i)
            .map_or(Cow::Owned(Value::Null), |p| Cow::Borrowed(*p))
    }
}

/// Options of the simulation.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Stop simulating after this many rounds (0: no limit).
    pub max_rounds: usize,
    /// Upgraded pods do not become ready between rounds (a broken image).
    pub no_ready: bool,
    /// Seconds since the epoch of the first round (timestamps the
    /// controller writes; later rounds are one second apart).
    pub now: i64,
    /// Plans as if `updateStrategy.partition` had this value.
    pub partition: Option<Value>,
}

/// The rollout of one SidecarSet: its status now, the batches the
/// controller would upgrade, and why it stops (`plan`'s PLAN object).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The SidecarSet's name.
    pub sidecar_set: String,
    /// The status the controller would report now.
    pub status: Status,
    /// Why the controller's next reconcile changes no pod, when it does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// The first batch is exactly what the next reconcile does; later ones
    /// follow `model`.
    pub batches: Vec<Batch>,
    /// Why the simulated rollout ends after the last batch.
    pub end: String,
    /// The status after the last batch.
    pub final_status: Status,
    /// Managed pods the rollout cannot upgrade in place, with the reason.
    pub not_upgradable: Vec<NotUpgradable>,
    /// Pods given that the controller does not manage, with the reason.
    pub unmanaged: Vec<NotUpgradable>,
    /// Pods whose previous in-place update is still in flight.
    pub in_flight: Vec<String>,
    /// Where the partition stops the rollout and what lowering it releases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<Partition>,
    /// `updateStrategy.maxUnavailable` resolved against the matched pods.
    pub max_unavailable: usize,
    /// `updateStrategy.partition` resolved against the matched pods.
    pub resolved_partition: usize,
    /// The simulation model later batches follow, in words.
    pub model: String,
    /// Argo CD health from the current status (the log-collection guide's Lua rule).
    pub health: String,
}

/// The SidecarSet status counters the controller reports.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Pods the SidecarSet manages (`status.matchedPods`).
    pub matched_pods: usize,
    /// Managed pods on the current revision (`status.updatedPods`).
    pub updated_pods: usize,
    /// Managed pods that are ready (`status.readyPods`).
    pub ready_pods: usize,
    /// Pods both updated and ready (`status.updatedReadyPods`).
    pub updated_ready_pods: usize,
}

/// What a round of the controller does to the pods of its batch.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Action {
    /// Sidecar images are upgraded in place.
    #[default]
    Upgrade,
    /// Hot upgrade finished: idle twins are reset to the empty image, and
    /// the controller upgrades nothing else in that round.
    Flip,
}

/// One reconcile round of the rollout: the pods it changes and the
/// progress after it.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    /// The reconcile round, from 1.
    pub round: usize,
    /// What the round does to its pods.
    pub action: Action,
    /// `namespace/name` of each pod upgraded, in the controller's order.
    pub pods: Vec<String>,
    /// Pods whose idle hot-upgrade twins are reset (flip rounds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flipped: Vec<String>,
    /// With a scatterStrategy: how many pods of the batch carry each value
    /// of the scatter keys.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spread: Vec<Spread>,
    /// Updated pods that were unavailable when the round started.
    pub unavailable_before: usize,
    /// Updated pods after this round (running total) of `matched`.
    pub updated: usize,
    /// Managed pods in all (the denominator of `updated`).
    pub matched: usize,
}

/// How many pods of a batch carry one value of a scatter key, to show
/// that the scatterStrategy spreads the batch.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Spread {
    /// `key=value` of a scatter key.
    pub label: String,
    /// Pods of the batch with that label value.
    pub pods: usize,
}

/// A pod the rollout leaves alone, and why.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct NotUpgradable {
    /// `namespace/name` of the pod.
    pub pod: String,
    /// Why it is left alone, in words.
    pub reason: String,
}

/// How `updateStrategy.partition` holds the rollout back, and what lowering
/// it would release.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Partition {
    /// `updateStrategy.partition` resolved against the matched pods.
    pub value: usize,
    /// Waiting pods the partition keeps on the old revision, in the order
    /// lowering the partition releases them (first released first).
    pub held: Vec<String>,
    /// The rounds that follow if the partition is set to 0.
    pub release: Vec<Batch>,
    /// Why those rounds end.
    pub release_end: String,
    /// What lowering it releases, in words.
    pub message: String,
}

/// Plans `sidecar_set` (its webhook form, [`crate::cluster::webhook_form`])
/// against `pods` (live Pods, status included).
pub fn plan(
    sidecar_set: &WebhookForm,
    pods: &[&Value],
    namespaces: &Namespaces,
    opts: &Options,
) -> Plan {
    plan_pods(sidecar_set, &Trees(pods), namespaces, opts)
}

/// [`plan`] over pods read one at a time.
pub fn plan_pods(
    sidecar_set: &WebhookForm,
    pods: &dyn PodSource,
    namespaces: &Namespaces,
    opts: &Options,
) -> Plan {
    let ss = &sidecar_set.value;
    let set = pods::SetView::new(sidecar_set);
    let mut plan = Plan {
        sidecar_set: set.name.clone(),
        ..Plan::default()
    };
    let strategy = ss.at("/spec/updateStrategy");
    let mut rollout = Rollout::new(
        &set,
        strategy,
        pods,
        |p| set.manages(p, namespaces),
        !opts.no_ready,
        opts.now,
    );
    plan.unmanaged = std::mem::take(&mut rollout.unmanaged);
    let partition = pods::partition(
        opts.partition
            .as_ref()
            .or_else(|| strategy.and_then(|s| s.get("partition"))),
        rollout.counts.matched,
    );
    plan.status = status(&rollout.counts);
    plan.health = health(&plan.status, set.paused).into();
    plan.max_unavailable = rollout.max_unavailable;
    plan.resolved_partition = partition;
    plan.not_upgradable = std::mem::take(&mut rollout.not_upgradable);
    plan.in_flight = std::mem::take(&mut rollout.in_flight);
    plan.model = if opts.no_ready {
        "batch 1 is the controller's next reconcile; after it, upgraded sidecars never become ready (a broken image), so the rollout stalls once maxUnavailable is used up"
    } else {
        "batch 1 is the controller's next reconcile; each later batch is the reconcile after the pods of the previous one restarted their sidecars with the new image and became ready again (the live controller works as a sliding window: it starts a new pod as soon as one becomes available)"
    }
    .into();
    let gate = if set.not_update {
        Some("updateStrategy.type is NotUpdate: the controller never updates pods")
    } else if set.paused {
        Some("updateStrategy.paused is true: the controller updates no pod until it is unpaused")
    } else {
        None
    };
    if let Some(why) = gate {
        plan.stopped = Some(why.into());
        plan.end = why.into();
        plan.final_status = plan.status.clone();
        return plan;
    }
    let limit = match opts.max_rounds {
        0 => usize::MAX,
        n => n,
    };
    let end = rollout.run(partition, limit, &mut plan.batches);
    plan.end = describe(&end, &rollout, partition, opts);
    plan.final_status = status(&rollout.counts);
    if plan.batches.is_empty() {
        plan.stopped = Some(plan.end.clone());
    }
    if end == End::Partition {
        let held: Vec<String> = rollout
            .waiting_order()
            .into_iter()
            .map(|i| rollout.key(i))
            .collect();
        let message = format!(
            "partition {partition} keeps {} waiting pod(s) on the old revision; lowering it to N lets the next {}-N through, in the order of the rounds below (partition.held in -o json lists them)",
            held.len(),
            held.len()
        );
        let mut release = Vec::new();
        let release_end = rollout.run(0, limit, &mut release);
        let release_end = describe(&release_end, &rollout, 0, opts);
        plan.partition = Some(Partition {
            value: partition,
            held,
            release,
            release_end,
            message,
        });
    }
    plan
}

fn status(c: &simulate::Counts) -> Status {
    Status {
        matched_pods: c.matched,
        updated_pods: c.updated,
        ready_pods: c.ready,
        updated_ready_pods: c.updated_ready,
    }
}

fn describe(end: &End, r: &Rollout, partition: usize, opts: &Options) -> String {
    match end {
        End::Complete if r.counts.matched == 0 => {
            "no pod is managed by this SidecarSet: nothing to upgrade".into()
        }
        End::Complete => "every matched pod is updated".into(),
        End::Partition => format!(
            "partition {partition}: the remaining {} waiting pod(s) stay on the old revision",
            r.counts.matched - r.counts.updated
        ),
        End::Budget => format!(
            "maxUnavailable {} is used up: {} updated pod(s) are unavailable{}",
            r.max_unavailable,
            r.counts.unavailable,
            if opts.no_ready {
                " and, under this model, stay so"
            } else {
                ""
            }
        ),
        End::NoCandidates => r.counts.no_candidates(),
        End::RoundLimit => format!("stopped after {} round(s) (--max-rounds)", opts.max_rounds),
        End::FlipStuck => "a hot-upgrade flip resets no idle twin of these pods (is the twin missing from spec.containers?); the controller would retry it every reconcile".into(),
    }
}

/// Argo CD's health rule for SidecarSets from the OpenKruise log-collection
/// guide: Suspended while paused, Progressing until every matched pod is
/// updated and ready, Healthy after.
pub fn health(st: &Status, paused: bool) -> &'static str {
    if paused {
        "Suspended"
    } else if st.updated_pods < st.matched_pods
        || st.ready_pods < st.matched_pods
        || st.updated_ready_pods < st.matched_pods
    {
        "Progressing"
    } else {
        "Healthy"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `ss` as plan reads it, in webhook form.
    fn form(ss: &Value) -> WebhookForm {
        WebhookForm::new(crate::sidecarset::to_v1beta1(ss).expect("v1beta1"))
    }

    fn example_pod(i: usize) -> Value {
        json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": format!("web-{i}"), "namespace": "default", "labels": {"app": "web"},
            "creationTimestamp": format!("2024-01-01T00:00:{i:02}Z"),
            "annotations": {
                "kruise.io/sidecarset-injected-list": "s",
                "kruise.io/sidecarset-hash": "{\"s\":{\"hash\":\"old\"}}",
                "kruise.io/sidecarset-hash-without-image": "{\"s\":{\"hash\":\"same\"}}"}},
        "spec": {"nodeName": "n", "containers": [{"name": "log", "image": "log:1"}]},
        "status": {"phase": "Running",
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"}],
            "containerStatuses": [{"name": "log", "image": "log:1", "imageID": "x", "ready": true}]}
            })
    }

    /// rollout.md §10.5: 10 ready pods web-0..web-9 (web-0 oldest), image-only
    /// change, maxUnavailable 2, partition 3.
    fn example(no_ready: bool) -> Plan {
        let ss = json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "s", "annotations": {
                "kruise.io/sidecarset-hash": "new", "kruise.io/sidecarset-hash-without-image": "same"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "containers": [{"name": "log", "image": "log:2"}],
                "updateStrategy": {"type": "RollingUpdate", "partition": 3, "maxUnavailable": 2}}
        });
        let pods: Vec<Value> = (0..10).map(example_pod).collect();
        let refs: Vec<&Value> = pods.iter().collect();
        plan(
            &form(&ss),
            &refs,
            &Namespaces::default(),
            &Options {
                no_ready,
                ..Options::default()
            },
        )
    }

    #[test]
    fn later_batches_follow_the_converged_model() {
        let p = example(false);
        let names: Vec<Vec<&str>> = p
            .batches
            .iter()
            .map(|b| {
                b.pods
                    .iter()
                    .map(|s| s.trim_start_matches("default/"))
                    .collect()
            })
            .collect();
        assert_eq!(
            names,
            vec![
                vec!["web-9", "web-8"],
                vec!["web-7", "web-6"],
                vec!["web-5", "web-4"],
                vec!["web-3"]
            ]
        );
        let pt = p.partition.as_ref().expect("partition stops the rollout");
        assert_eq!(pt.value, 3);
        // Lowering the partition releases the oldest pods last.
        assert_eq!(pt.held, ["default/web-2", "default/web-1", "default/web-0"]);
        let release: Vec<&Vec<String>> = pt.release.iter().map(|b| &b.pods).collect();
        assert_eq!(
            release,
            [
                &vec!["default/web-2".to_string(), "default/web-1".to_string()],
                &vec!["default/web-0".to_string()]
            ]
        );
        assert_eq!(p.health, "Progressing");
    }

    #[test]
    fn stuck_pods_stop_after_the_first_batch() {
        let p = example(true);
        assert_eq!(p.batches.len(), 1);
        assert!(p.end.contains("maxUnavailable 2 is used up"), "{}", p.end);
    }

    fn hot_pod(i: usize, working: &str, images: [&str; 2], updated: bool) -> Value {
        let container = |n: &str, image: &str| json!({"name": n, "image": image});
        let status = |n: &str, image: &str| json!({"name": n, "image": image, "imageID": kubelet::image_id(image), "ready": true});
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": format!("mesh-{i}"), "namespace": "default", "labels": {"app": "web"},
                "creationTimestamp": format!("2024-01-01T00:00:{i:02}Z"),
                "annotations": {
                    "kruise.io/sidecarset-injected-list": "s",
                    "kruise.io/sidecarset-hash": format!("{{\"s\":{{\"hash\":\"{}\"}}}}", if updated {"new"} else {"old"}),
                    "kruise.io/sidecarset-hash-without-image": "{\"s\":{\"hash\":\"same\"}}",
                    "kruise.io/sidecarset-working-hotupgrade-container": format!("{{\"mesh\":\"{working}\"}}")}},
            "spec": {"nodeName": "n", "containers": [
                container("app", "app:1"), container("mesh-1", images[0]), container("mesh-2", images[1])]},
            "status": {"phase": "Running",
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"}],
                "containerStatuses": [status("app", "app:1"), status("mesh-1", images[0]), status("mesh-2", images[1])]}
        })
    }

    fn hot_set() -> Value {
        json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "s", "resourceVersion": "7", "annotations": {
                "kruise.io/sidecarset-hash": "new", "kruise.io/sidecarset-hash-without-image": "same"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "containers": [{"name": "mesh", "image": "mesh:2",
                    "upgradeStrategy": {"upgradeType": "HotUpgrade", "hotUpgradeEmptyImage": "empty:1"}}],
                "updateStrategy": {"type": "RollingUpdate", "maxUnavailable": 1}}
        })
    }

    fn rounds(p: &Plan) -> Vec<(Action, Vec<String>)> {
        p.batches
            .iter()
            .map(|b| {
                let pods = if b.action == Action::Flip {
                    &b.flipped
                } else {
                    &b.pods
                };
                (
                    b.action,
                    pods.iter()
                        .map(|k| k.trim_start_matches("default/").to_string())
                        .collect(),
                )
            })
            .collect()
    }

    /// rollout.md §7.1: every hot upgrade is followed by a round that only
    /// resets the idle twin; the next pod is upgraded the round after.
    #[test]
    fn hot_upgrade_alternates_upgrade_and_flip_rounds() {
        let pods: Vec<Value> = (0..3)
            .map(|i| hot_pod(i, "mesh-1", ["mesh:1", "empty:1"], false))
            .collect();
        let refs: Vec<&Value> = pods.iter().collect();
        let p = plan(
            &form(&hot_set()),
            &refs,
            &Namespaces::default(),
            &Options::default(),
        );
        let up = |n: &str| (Action::Upgrade, vec![n.to_string()]);
        let flip = |n: &str| (Action::Flip, vec![n.to_string()]);
        assert_eq!(
            rounds(&p),
            [
                up("mesh-2"),
                flip("mesh-2"),
                up("mesh-1"),
                flip("mesh-1"),
                up("mesh-0"),
                flip("mesh-0")
            ]
        );
        assert_eq!(p.end, "every matched pod is updated");
        assert_eq!(p.final_status.updated_ready_pods, 3);
    }

    /// A pod whose hot upgrade has finished is flipped first, and the
    /// controller upgrades nothing in that reconcile.
    #[test]
    fn pending_flip_is_the_whole_next_reconcile() {
        let pods = [
            hot_pod(0, "mesh-1", ["mesh:1", "empty:1"], false),
            // Upgraded: mesh-2 runs mesh:2, the old twin still runs mesh:1.
            hot_pod(1, "mesh-2", ["mesh:1", "mesh:2"], true),
        ];
        let refs: Vec<&Value> = pods.iter().collect();
        let p = plan(
            &form(&hot_set()),
            &refs,
            &Namespaces::default(),
            &Options::default(),
        );
        assert!(p.batches[0].pods.is_empty());
        assert_eq!(
            rounds(&p),
            [
                (Action::Flip, vec!["mesh-1".to_string()]),
                (Action::Upgrade, vec!["mesh-0".to_string()]),
                (Action::Flip, vec!["mesh-0".to_string()])
            ]
        );
        // The upgraded twin of mesh-0 is mesh-2, the one holding the empty image.
        assert_eq!(p.status.updated_pods, 1);
    }

    /// Scatter is recomputed every round from the pods still waiting.
    #[test]
    fn later_rounds_rescatter_the_remaining_pods() {
        let ss = json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "s", "annotations": {
                "kruise.io/sidecarset-hash": "new", "kruise.io/sidecarset-hash-without-image": "same"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "containers": [{"name": "log", "image": "log:2"}],
                "updateStrategy": {"type": "RollingUpdate", "maxUnavailable": 2,
                    "scatterStrategy": [{"key": "zone", "value": "a"}]}}
        });
        let pods: Vec<Value> = (0..8)
            .map(|i| {
                let mut p = example_pod(i);
                p["metadata"]["labels"]["zone"] = json!(if i < 4 { "a" } else { "b" });
                p
            })
            .collect();
        let refs: Vec<&Value> = pods.iter().collect();
        let p = plan(
            &form(&ss),
            &refs,
            &Namespaces::default(),
            &Options::default(),
        );
        let batches: Vec<Vec<&str>> = p
            .batches
            .iter()
            .map(|b| {
                b.pods
                    .iter()
                    .map(|k| k.trim_start_matches("default/"))
                    .collect()
            })
            .collect();
        // Round 1 scatters [7..0] (zone b = 4..7) to [3,7,2,6,1,5,4,0]. Round 2
        // re-scatters the six left: the totals over all pods now outweigh the
        // waiting ratio, so one b pod leads: [6,2,5,1,4,0]. Keeping round 1's
        // order would have given [2,6] here.
        assert_eq!(
            batches,
            [
                ["web-3", "web-7"],
                ["web-6", "web-2"],
                ["web-5", "web-1"],
                ["web-4", "web-0"]
            ]
        );
    }

    /// Pinned (digest) images: a pod counts as consistent only when the
    /// kubelet reports exactly the digest asked for, so the model must too.
    #[test]
    fn digest_images_converge_between_rounds() {
        let old = format!("log@sha256:{}", "a".repeat(64));
        let new = format!("log@sha256:{}", "b".repeat(64));
        let ss = json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "s", "annotations": {
                "kruise.io/sidecarset-hash": "new", "kruise.io/sidecarset-hash-without-image": "same"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "containers": [{"name": "log", "image": new}],
                "updateStrategy": {"type": "RollingUpdate", "maxUnavailable": 2}}
        });
        let pods: Vec<Value> = (0..4)
            .map(|i| {
                let mut p = example_pod(i);
                p["spec"]["containers"][0]["image"] = json!(old);
                p["status"]["containerStatuses"][0]["image"] = json!(old);
                p["status"]["containerStatuses"][0]["imageID"] =
                    json!(format!("docker-pullable://{old}"));
                p
            })
            .collect();
        let refs: Vec<&Value> = pods.iter().collect();
        let p = plan(
            &form(&ss),
            &refs,
            &Namespaces::default(),
            &Options::default(),
        );
        assert_eq!(p.batches.len(), 2, "{:?}", p.batches);
        assert_eq!(p.end, "every matched pod is updated");
        assert_eq!(p.final_status.updated_ready_pods, 4);
    }

    /// A twin the flip cannot reach must not make the simulation loop.
    #[test]
    fn a_flip_that_changes_nothing_ends_the_plan() {
        let mut pod = hot_pod(0, "mesh-1", ["mesh:2", "mesh:1"], true);
        let twin = pod["spec"]["containers"][2].take();
        pod["spec"]["containers"]
            .as_array_mut()
            .expect("containers")
            .truncate(2);
        pod["spec"]["initContainers"] = json!([twin]);
        pod["status"]["containerStatuses"]
            .as_array_mut()
            .expect("statuses")
            .truncate(2);
        let p = plan(
            &form(&hot_set()),
            &[&pod],
            &Namespaces::default(),
            &Options::default(),
        );
        assert_eq!(p.batches.len(), 1);
        assert!(p.end.contains("flip resets no idle twin"), "{}", p.end);
    }

    /// Every path of a pod, for mutations.
    fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    at.push(json!(k));
                    out.push(at.clone());
                    paths(x, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    at.push(json!(i));
                    out.push(at.clone());
                    paths(x, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    fn mutate(pod: &Value, path: &[Value], to: Option<&Value>) -> Value {
        let mut p = pod.clone();
        let mut cur = &mut p;
        for seg in &path[..path.len() - 1] {
            cur = match seg {
                Value::String(k) => &mut cur[k.as_str()],
                _ => &mut cur[seg.as_u64().unwrap_or(0) as usize],
            };
        }
        let last = &path[path.len() - 1];
        match (cur, last, to) {
            (Value::Object(m), Value::String(k), None) => {
                m.shift_remove(k);
            }
            (Value::Array(a), Value::Number(i), None) => {
                a.remove(i.as_u64().unwrap_or(0) as usize);
            }
            (Value::Object(m), Value::String(k), Some(v)) => {
                m.insert(k.clone(), v.clone());
            }
            (Value::Array(a), Value::Number(i), Some(v)) => {
                a[i.as_u64().unwrap_or(0) as usize] = v.clone();
            }
            _ => {}
        }
        p
    }

    /// The slim, encoded pods of a live plan plan exactly as the whole
    /// ones, however a pod is malformed: each path of the example pods
    /// removed or replaced by a value of each type, under SidecarSets that
    /// use every strategy the planner reads pods for.
    #[test]
    fn slim_pods_plan_as_whole_pods() {
        let mut sets = vec![hot_set()];
        let base = json!({
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "SidecarSet",
            "metadata": {"name": "s", "resourceVersion": "7", "annotations": {
                "kruise.io/sidecarset-hash": "new", "kruise.io/sidecarset-hash-without-image": "same"}},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                "containers": [{"name": "log", "image": "log:2", "command": ["x"]},
                    {"name": "app", "image": "app:2", "env": [{"name": "A", "value": "1"}]}],
                "updateStrategy": {"type": "RollingUpdate", "maxUnavailable": "50%", "partition": 1}}
        });
        for strategy in [
            json!({}),
            json!({"scatterStrategy": [{"key": "zone", "value": "a"}]}),
            json!({"priorityStrategy": {"weightPriority": [{"weight": 5, "matchSelector": {"matchLabels": {"zone": "b"}}}]}}),
            json!({"priorityStrategy": {"orderPriority": [{"orderedKey": "zone"}]}}),
            json!({"selector": {"matchLabels": {"zone": "a"}}}),
        ] {
            let mut ss = base.clone();
            for (k, v) in strategy.as_object().into_iter().flatten() {
                ss["spec"]["updateStrategy"][k] = v.clone();
            }
            sets.push(ss);
        }
        let mut ns_set = base.clone();
        ns_set["spec"]["namespaceSelector"] = json!({"matchLabels": {"team": "a"}});
        sets.push(ns_set);
        let namespaces = Namespaces::new(&[json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": "default", "labels": {"team": "a"}}})]);
        let mut templates = vec![
            hot_pod(0, "mesh-1", ["mesh:1", "empty:1"], false),
            hot_pod(1, "mesh-2", ["mesh:1", "mesh:2"], true),
        ];
        for i in 0..2 {
            let mut p = example_pod(i);
            p["metadata"]["labels"]["zone"] = json!(if i == 0 { "a" } else { "b-7" });
            p["metadata"]["annotations"]["other.io/x"] = json!("kept out");
            p["metadata"]["annotations"]["kruise.io/sidecarset-inplace-update-state"] =
                json!("{\"s\":{\"lastContainerStatuses\":{\"log\":{\"imageID\":\"x\"}}}}");
            p["spec"]["containers"][0]["command"] = json!(["y"]);
            p["spec"]["containers"]
                .as_array_mut()
                .expect("containers")
                .push(
                    json!({"name": "app", "image": "app:1", "env": [{"name": "A", "value": "2"}]}),
                );
            p["spec"]["initContainers"] = json!([{"name": "init", "image": "i:1"}]);
            p["spec"]["volumes"] = json!([{"name": "v", "emptyDir": {}}]);
            p["status"]["conditions"]
                .as_array_mut()
                .expect("conditions")
                .insert(0, json!({"type": "PodScheduled", "status": "True"}));
            p["status"]["containerStatuses"]
                .as_array_mut()
                .expect("statuses")
                .push(
                    json!({"name": "app", "image": "app:1", "imageID": "y", "ready": false,
                    "restartCount": 3, "state": {"running": {}}}),
                );
            templates.push(p);
        }
        let fillers = [
            json!(null),
            json!(7),
            json!(-2.5),
            json!("x"),
            json!([]),
            json!({}),
            json!(true),
        ];
        let forms: Vec<WebhookForm> = sets.iter().map(form).collect();
        let mut compared = 0;
        // One plan per template, filler and SidecarSet, over the templates
        // plus every mutation: the mutated pods also meet each other in the
        // ordering, batching and partition rules.
        for (t, template) in templates.iter().enumerate() {
            let mut all = Vec::new();
            paths(template, &mut Vec::new(), &mut all);
            for to in std::iter::once(None).chain(fillers.iter().map(Some)) {
                let mut pods = templates.clone();
                pods.extend(all.iter().map(|path| mutate(template, path, to)));
                let refs: Vec<&Value> = pods.iter().collect();
                let mut slim = compact::CompactPods::default();
                for p in &pods {
                    slim.push_live(p.clone());
                }
                for ss in &forms {
                    let opts = Options::default();
                    let whole = json!(plan(ss, &refs, &namespaces, &opts));
                    let pruned = json!(plan_pods(ss, &slim, &namespaces, &opts));
                    assert_eq!(
                        whole.to_string(),
                        pruned.to_string(),
                        "template {t} with each path set to {to:?}"
                    );
                    compared += pods.len();
                }
            }
        }
        assert!(compared > 5000, "{compared}");
    }
}
