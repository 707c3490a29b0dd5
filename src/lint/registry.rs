//! Every rule the linter knows: id, default severity, title, description and
//! help, for `lint --list-rules`, SARIF `rules` and the help of each finding.

use super::Severity::{self, Error, Info, Warning};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    pub description: &'static str,
    pub help: &'static str,
}

impl Rule {
    /// The rule's anchor in `docs/rules.md` (`#ssl-050`).
    pub fn anchor(&self) -> String {
        self.id.to_ascii_lowercase()
    }
}

const fn r(
    id: &'static str,
    severity: Severity,
    title: &'static str,
    description: &'static str,
    help: &'static str,
) -> Rule {
    Rule {
        id,
        severity,
        title,
        description,
        help,
    }
}

const WEBHOOK: &str = "The OpenKruise SidecarSet validating webhook rejects the SidecarSet.";

/// Webhook rules (`SSV`) then best practices (`SSL`), each in id order.
///
/// Severity of an `SSL` rule is the one on the workloads it hits; on a
/// SidecarSet itself an `SSL` finding is at most a warning (only the webhook
/// decides whether a SidecarSet is admitted).
pub static RULES: &[Rule] = &[
    r("SSV-000", Error, "SidecarSet cannot be decoded", "A field has the wrong JSON type; the API server rejects the object before any webhook runs.", "Fix the field's type (see the message for the expected one)."),
    r("SSV-001", Error, "Invalid SidecarSet name", WEBHOOK, "Use only alphanumeric characters and '-' in metadata.name."),
    r("SSV-002", Error, "SidecarSet name too long", WEBHOOK, "Shorten metadata.name to at most 63 characters."),
    r("SSV-003", Error, "Name is not a DNS-1123 subdomain", "The API server requires lowercase alphanumerics and '-', starting and ending alphanumeric.", "Use a lowercase name such as 'log-agent'."),
    r("SSV-004", Error, "Invalid metadata", "SidecarSets are cluster-scoped and their labels/annotations must be valid Kubernetes metadata.", "Remove metadata.namespace; use qualified-name keys and valid label values."),
    r("SSV-010", Error, "Native sidecar with RollingUpdate", "Init containers with restartPolicy: Always cannot be upgraded in place; an unset updateStrategy.type defaults to RollingUpdate.", "Set spec.updateStrategy.type: NotUpdate."),
    r("SSV-020", Error, "Missing selector", WEBHOOK, "Add spec.selector with matchLabels or matchExpressions."),
    r("SSV-021", Error, "Invalid label selector", "matchLabels/matchExpressions must be a valid Kubernetes label selector.", "In/NotIn need values, Exists/DoesNotExist must have none; keys must be qualified names."),
    r("SSV-022", Error, "Empty selector", "An empty selector would match every pod; the webhook refuses it.", "Select pods with at least one label requirement."),
    r("SSV-023", Error, "Invalid namespaceSelector", "namespaceSelector, when set, must be a valid, non-empty selector.", "Remove namespaceSelector or give it at least one requirement."),
    r("SSV-030", Error, "Revision pin without revision", WEBHOOK, "Set injectionStrategy.revision.revisionName or customVersion, or remove revision."),
    r("SSV-031", Warning, "Pinned revision not resolvable offline", "The webhook looks up the pinned ControllerRevision; without it in the input the linter cannot decide.", "Pass the SidecarSet's ControllerRevisions with -f to decide."),
    r("SSV-032", Error, "Unknown revision policy", WEBHOOK, "Use Always or Partial."),
    r("SSV-040", Error, "partition together with selector", "updateStrategy.partition (any string or a non-zero int) and updateStrategy.selector cannot be used together.", "Use either a canary selector or a partition."),
    r("SSV-041", Error, "Invalid updateStrategy.selector", WEBHOOK, "Give the update selector at least one valid requirement."),
    r("SSV-042", Error, "Invalid partition", "partition must be an int >= 0 or a percent string such as '10%'.", "Use e.g. 5 or '20%'."),
    r("SSV-043", Error, "Invalid maxUnavailable", "maxUnavailable must be an int >= 0 or a percent string such as '10%'.", "Use e.g. 1 or '10%'."),
    r("SSV-044", Error, "weightPriority with orderPriority", WEBHOOK, "Use only one of weightPriority and orderPriority."),
    r("SSV-045", Error, "Priority weight out of range", WEBHOOK, "Use a weight in 0..=100."),
    r("SSV-046", Error, "Empty priority selector", WEBHOOK, "Give each weightPriority a matchSelector."),
    r("SSV-047", Error, "Invalid priority selector", WEBHOOK, "Fix the matchSelector operator."),
    r("SSV-048", Error, "Empty orderedKey", WEBHOOK, "Give each orderPriority entry an orderedKey."),
    r("SSV-049", Error, "Invalid scatterStrategy", "Scatter terms need a key and must not repeat a key=value pair.", "Remove the empty or duplicated term."),
    r("SSV-050", Error, "No containers", WEBHOOK, "Define at least one container or initContainer."),
    r("SSV-051", Error, "Unsupported podInjectPolicy", WEBHOOK, "Use BeforeAppContainer or AfterAppContainer."),
    r("SSV-052", Error, "Unsupported shareVolumePolicy", WEBHOOK, "Use shareVolumePolicy.type enabled or disabled."),
    r("SSV-053", Error, "Invalid transferEnv fieldRef", "sourceContainerNameFrom.fieldRef must be metadata.labels['k'] or metadata.annotations['k'] with apiVersion v1.", "Use e.g. fieldPath: metadata.labels['main-container']."),
    r("SSV-054", Error, "resourcesPolicy on a plain init container", WEBHOOK, "resourcesPolicy needs restartPolicy: Always on an init container."),
    r("SSV-055", Error, "resources and resourcesPolicy together", WEBHOOK, "Remove resources or resourcesPolicy."),
    r("SSV-056", Error, "Empty targetContainersNameRegex", WEBHOOK, "Remove the empty regex (it defaults to '.*') or set one."),
    r("SSV-057", Error, "Invalid targetContainersNameRegex", WEBHOOK, "Fix the regular expression (Go RE2 syntax)."),
    r("SSV-058", Error, "resourcesExpr without limits or requests", WEBHOOK, "Configure resourcesExpr.limits or resourcesExpr.requests."),
    r("SSV-059", Error, "Invalid resources expression", "Expressions are evaluated with the variable bound to 1: syntax errors, unknown names or functions, quantity*quantity, division by a quantity or zero and negative results are rejected.", "Use e.g. 'cpu*50%' or 'max(cpu*0.5, 50m)'."),
    r("SSV-05A", Error, "Invalid targetContainersMode", "The CRD schema requires resourcesPolicy.targetContainersMode to be sum or max; the API server rejects other values.", "Set targetContainersMode: sum or max."),
    r("SSV-05B", Error, "Invalid container or volume", "The webhook validates the sidecars and volumes as a pod with Kubernetes' own rules (names, images, mounts, ports, env, resources, probes).", "Fix the field named in the message."),
    r("SSV-05C", Error, "Volume both mounted and used as a block device", "Kubernetes refuses a container that names one volume in volumeMounts and in volumeDevices (a filesystem mount and a raw block device exclude each other); the webhook validates the sidecars as a pod.", "In each container, use the volume either in volumeMounts or in volumeDevices."),
    r("SSV-060", Error, "Patch metadata whitelist missing", "patchPodMetadata requires the whitelist in the kruise-configuration ConfigMap (key SidecarSet_PatchPodMetadata_WhiteList) unless the gate SidecarSetPatchPodMetadataDefaultsAllowed is on; without the ConfigMap in the input the linter judges a cluster that has none.", "Pass the kruise-configuration ConfigMap with -f, or --feature-gates SidecarSetPatchPodMetadataDefaultsAllowed=true."),
    r("SSV-061", Error, "No whitelist rule applies", WEBHOOK, "Add a whitelist rule whose selector matches the SidecarSet's labels."),
    r("SSV-062", Error, "Patched annotation not whitelisted", WEBHOOK, "Add a regex for the key to allowedAnnotationKeyExprs."),
    r("SSV-063", Error, "patchPodMetadata without annotations", WEBHOOK, "Give each patchPodMetadata entry annotations."),
    r("SSV-064", Error, "Invalid patched annotation", WEBHOOK, "Use qualified-name annotation keys."),
    r("SSV-066", Error, "Annotation patched twice", WEBHOOK, "Patch each annotation key in one entry only."),
    r("SSV-070", Error, "Sidecar container added or renamed on update", "The webhook forbids new container names on UPDATE (removing is allowed).", "Create a new SidecarSet for new sidecars."),
    r("SSV-071", Error, "upgradeType changed", "A container's upgradeStrategy.upgradeType is immutable.", "Keep the upgradeType or create a new SidecarSet."),
    r("SSV-080", Error, "Init container name taken by another SidecarSet", "Another SidecarSet that selects the same pods (by the webhook's overlap heuristic) has an init container of this name.", "Rename the init container or make the selectors disjoint."),
    r("SSV-081", Error, "Container name taken by another SidecarSet", "Another SidecarSet that selects the same pods (by the webhook's overlap heuristic) has a container of this name.", "Rename the container or make the selectors disjoint."),
    r("SSV-082", Error, "Volume conflicts with another SidecarSet", "A volume of the same name in an overlapping SidecarSet has a different definition.", "Use identical definitions or different names."),
    r("SSV-083", Error, "Annotation patch conflicts with another SidecarSet", "An overlapping SidecarSet patches the same annotation and one of them Overwrites.", "Use MergePatchJson on both, or different keys."),
    r("SSL-001", Error, "Long-running sidecar in a Job", "A plain sidecar container keeps a Job's pod running after the main container exits.", "Use a native sidecar (initContainers with restartPolicy: Always and updateStrategy NotUpdate), or set env KRUISE_TERMINATE_SIDECAR_WHEN_JOB_EXIT=true and enable the SidecarTerminator gate."),
    r("SSL-002", Warning, "Terminated sidecar exit code may fail the Job", "Without KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE=true a non-zero exit on SIGTERM fails the pod.", "Add KRUISE_TERMINATE_SIDECAR_IGNORE_EXIT_CODE=true or make the sidecar exit 0 on SIGTERM."),
    r("SSL-003", Info, "Job sidecar terminator settings", "The terminator needs the SidecarTerminator feature gate (default off) and has no effect on pods with restartPolicy Always.", "Enable the gate for Jobs; remove the env elsewhere."),
    r("SSL-010", Error, "SidecarSets conflict on a real pod", "Two SidecarSets judged disjoint by the webhook both match this pod and clash on a container, volume or annotation.", "Rename or make the selectors really disjoint."),
    r("SSL-011", Warning, "Sidecar name collides with a pod container", "A sidecar replaces a same-named pod container; across containers/initContainers the pod is rejected.", "Rename the sidecar (mind HotUpgrade's -1/-2 twins)."),
    r("SSL-012", Error, "Init and regular sidecar names clash across SidecarSets", "SSV-080/081 compare init container names only with init names and container names only with container names; an init container of one SidecarSet named like a container of another gives the pod duplicate names.", "Rename one of the two containers."),
    r("SSL-013", Warning, "IS_INJECTED declared", "The webhook appends IS_INJECTED=true itself; user definitions duplicate or exclude containers from volume sharing.", "Remove the IS_INJECTED env."),
    r("SSL-020", Warning, "Change cannot be applied in place", "Only image changes of spec.containers roll out in place; any other change leaves existing pods not upgradable until they are recreated.", "Change only images, or plan to recreate pods."),
    r("SSL-022", Warning, "v1alpha1 namespace with namespaceSelector", "Conversion keeps only spec.namespace; namespaceSelector is dropped.", "Use one of them."),
    r("SSL-023", Warning, "readinessProbe on an in-place upgraded sidecar", "The in-place restart makes the pod NotReady until the new sidecar passes its probe.", "Keep maxUnavailable small and canary with updateStrategy.selector or partition, or use HotUpgrade."),
    r("SSL-024", Error, "HotUpgrade without hotUpgradeEmptyImage", "The idle twin gets an empty image and every pod is rejected.", "Set upgradeStrategy.hotUpgradeEmptyImage."),
    r("SSL-025", Info, "HotUpgrade twin copies probes and ports", "The empty-image twin keeps the sidecar's probes, ports and command.", "Make sure the empty image satisfies them; add a postStart hook for migration."),
    r("SSL-026", Warning, "maxUnavailable 0", "Only not-ready pods are updated, a healthy fleet never rolls.", "Use maxUnavailable >= 1."),
    r("SSL-027", Info, "What the partition keeps", "Percent partitions round up the pods kept old, '99%' still updates one pod, an int above the pod count updates none, and only upgradable pods waiting for the update are counted.", "Check the kept/updated counts against the pods you expect to canary."),
    r("SSL-028", Warning, "orderPriority updates unlabelled pods first", "Pods carrying none of the orderedKeys get level -1 and are updated before the labelled pods.", "Label every matched pod with one of the orderedKeys, or use weightPriority."),
    r("SSL-029", Warning, "Unknown updateStrategy.type", "Any value other than NotUpdate rolls out like RollingUpdate but skips its validation.", "Use RollingUpdate or NotUpdate."),
    r("SSL-030", Info, "Native sidecar images reach only new pods", "Native sidecars (initContainers with restartPolicy: Always) require updateStrategy NotUpdate and are never updated in place.", "Recreate the pods (e.g. a rollout restart of the workload) to roll a new image."),
    r("SSL-031", Warning, "Partial injection with an integer partition", "The Partial revision policy draws with the partition percentage; with an int every new pod gets the latest revision.", "Use a percentage partition such as '80%'."),
    r("SSL-032", Error, "Pinned revision cannot be resolved", "Pods get the pinned ControllerRevision of injectionStrategy.revision; when it does not exist the pod webhook rejects every matching pod.", "Pin an existing revision (pass the ControllerRevisions with -f to check) or remove the pin."),
    r("SSL-033", Warning, "customVersion is not a label value", "customVersion is written as a ControllerRevision label; an invalid value stops the controller.", "Use at most 63 characters [A-Za-z0-9_.-], alphanumeric at both ends."),
    r("SSL-034", Info, "Pod not managed by the SidecarSet", "Pods whose kruise.io/sidecarset-injected-list does not name the SidecarSet are never updated by it.", "Recreate the pod to have the sidecar injected and managed."),
    r("SSL-040", Error, "Volume mount resolves to no volume", "Every mount of an injected container must name a volume of the resulting pod.", "Declare the volume in spec.volumes of the SidecarSet or the workload."),
    r("SSL-041", Warning, "SidecarSet volume shadowed by the pod's", "The pod's volume of the same name wins; the sidecar mounts the pod's content.", "Rename the volume if the sidecar needs its own."),
    r("SSL-042", Warning, "shareVolumePolicy copies every app mount", "Every mount of every app container is copied verbatim into the sidecar: hostPath, secrets, service-account tokens, writable mounts; Bidirectional propagation needs a privileged container.", "Disable shareVolumePolicy and mount the volumes the sidecar needs explicitly."),
    r("SSL-043", Warning, "subPathExpr variable not copied to the sidecar", "Shared mounts take along only the env entries the same app container defines in env; other variables in subPathExpr stay unresolved in the sidecar.", "Define the variable in the app container's env (not via envFrom), or in the sidecar's env."),
    r("SSL-044", Warning, "Log sidecar cannot see the app's logs", "The collector only sees files on a volume the app also mounts.", "Mount the same volume in the app container, or enable shareVolumePolicy."),
    r("SSL-045", Info, "Sidecar without the service-account token (unverified)", "The ServiceAccount admission plugin mounts the API token into the containers that exist before mutating webhooks run; injected sidecars do not get it.", "If the sidecar calls the API server, mount a projected serviceAccountToken volume in it or enable shareVolumePolicy."),
    r("SSL-050", Warning, "Log/proxy sidecar may start after the app", "Plain containers start in parallel; early logs are lost or the proxy is not ready.", "Use a native sidecar, or env KRUISE_CONTAINER_PRIORITY on the sidecar, or the apps.kruise.io/container-launch-priority: Ordered annotation with BeforeAppContainer."),
    r("SSL-051", Error, "Invalid KRUISE_CONTAINER_PRIORITY", "The pod webhook rejects pods whose priority env is not an integer or uses valueFrom.", "Use a literal integer value."),
    r("SSL-060", Warning, "QoS class changes after injection", "A Guaranteed pod becomes Burstable when a sidecar lacks cpu/memory limits equal to its requests; a BestEffort pod becomes Burstable when a sidecar has any request or limit.", "Give the sidecars resources that keep the pods' QoS class (requests = limits for Guaranteed pods)."),
    r("SSL-061", Error, "resourcesPolicy finds no target container", "No app container of the matched pods matches targetContainersNameRegex (sidecars excluded); the pod webhook rejects the pod.", "Fix targetContainersNameRegex, e.g. '^app$'."),
    r("SSL-062", Warning, "resourcesPolicy result worth checking", "Limits dropped when a target has none, requests of 0, unanchored regexes, numeric memory results converted as millicores, malformed numbers read as 0.", "Anchor the regex ('^app$'), use quantities in memory expressions ('256Mi'), give the targets requests and limits."),
    r("SSL-070", Error, "MergePatchJson value is not a JSON object", "Pods that already carry the annotation are rejected.", "Make the annotation value a JSON object."),
    r("SSL-071", Error, "MergePatchJson onto a non-JSON pod annotation", "The pod already carries the annotation with a value that is not a JSON document; the merge fails and every pod creation is rejected.", "Make the pod's annotation value JSON, or patch another key."),
    r("SSL-072", Warning, "Unknown patchPolicy", "Only Retain, Overwrite and MergePatchJson are applied; any other patchPolicy is accepted and silently ignored.", "Use Retain, Overwrite or MergePatchJson."),
    r("SSL-073", Info, "patchPodMetadata change not propagated", "Existing pods get patchPodMetadata again only with an in-place image upgrade, and Retain never changes a key the pod already has.", "Recreate the pods, or pair the change with a sidecar image upgrade (Overwrite/MergePatchJson)."),
    r("SSL-074", Warning, "Patching Kruise-managed annotations", "kruise.io/sidecarset-* and version.sidecarset.kruise.io/* are written by the injection itself.", "Do not patch these keys."),
    r("SSL-080", Info, "Injection order depends on SidecarSet order", "Containers of different SidecarSets with the same podInjectPolicy are injected in a non-deterministic relative order.", "Enable the EnableSortSidecarContainerByName feature gate, or use different podInjectPolicy values."),
    r("SSL-081", Warning, "Cluster-wide SidecarSet", "Without namespaceSelector (or v1alpha1 namespace) the SidecarSet applies to all namespaces, kube-system included.", "Add a namespaceSelector."),
    r("SSL-082", Warning, "Sidecar ports on hostNetwork pods", "hostPort defaults to containerPort on hostNetwork pods; sidecar ports become node ports.", "Avoid ports on sidecars injected into hostNetwork pods."),
];

pub fn get(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sorted_within_family() {
        // SSV (webhook) rules first, then SSL (best practice), each by id.
        for w in RULES.windows(2) {
            let same = w[0].id[..3] == w[1].id[..3];
            assert!(!same || w[0].id < w[1].id, "{} before {}", w[0].id, w[1].id);
            assert!(
                same || w[0].id.starts_with("SSV"),
                "{} before {}",
                w[0].id,
                w[1].id
            );
        }
    }
}
