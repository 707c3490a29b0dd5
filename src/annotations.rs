//! The annotation and label names the SidecarSet webhook and controller
//! read and write on pods, SidecarSets and ControllerRevisions, in one
//! place. Each names the OpenKruise v1.9.0 Go constant (or function) it
//! mirrors; `sidecarcontrol` is `pkg/control/sidecarcontrol`.

/// Pod and SidecarSet annotation: per SidecarSet, the hash of its spec
/// (`sidecarcontrol.SidecarSetHashAnnotation`).
pub const HASH_ANNOTATION: &str = "kruise.io/sidecarset-hash";

/// Pod and SidecarSet annotation: the hash of the spec without images
/// (`sidecarcontrol.SidecarSetHashWithoutImageAnnotation`).
pub const HASH_WITHOUT_IMAGE_ANNOTATION: &str = "kruise.io/sidecarset-hash-without-image";

/// Pod annotation: the SidecarSets that injected the pod, comma-separated
/// (`sidecarcontrol.SidecarSetListAnnotation`).
pub const INJECTED_LIST_ANNOTATION: &str = "kruise.io/sidecarset-injected-list";

/// Pod annotation: the state of an in-place sidecar update
/// (`sidecarcontrol.SidecarsetInplaceUpdateStateKey`).
pub const INPLACE_UPDATE_STATE_ANNOTATION: &str = "kruise.io/sidecarset-inplace-update-state";

/// Pod annotation: which twin of each hot-upgrade sidecar is working
/// (`sidecarcontrol.SidecarSetWorkingHotUpgradeContainer`).
pub const WORKING_HOT_UPGRADE_ANNOTATION: &str =
    "kruise.io/sidecarset-working-hotupgrade-container";

/// What the `kruise.io/sidecarset-*` pod annotations above share (no Go
/// constant: the prefix of `sidecarcontrol`'s annotation keys).
pub const SIDECARSET_ANNOTATION_PREFIX: &str = "kruise.io/sidecarset-";

/// Prefix of a hot-upgrade twin's version annotation, followed by the
/// container name (`sidecarcontrol.GetPodSidecarSetVersionAnnotation`).
pub const VERSION_ANNOTATION_PREFIX: &str = "version.sidecarset.kruise.io/";

/// Prefix of a hot-upgrade twin's other version annotation, followed by the
/// container name (`sidecarcontrol.GetPodSidecarSetVersionAltAnnotation`).
pub const VERSION_ALT_ANNOTATION_PREFIX: &str = "versionalt.sidecarset.kruise.io/";

/// `sidecarcontrol.GetPodSidecarSetVersionAnnotation(container)`.
pub fn version_annotation(container: &str) -> String {
    format!("{VERSION_ANNOTATION_PREFIX}{container}")
}

/// `sidecarcontrol.GetPodSidecarSetVersionAltAnnotation(container)`.
pub fn version_alt_annotation(container: &str) -> String {
    format!("{VERSION_ALT_ANNOTATION_PREFIX}{container}")
}

/// ControllerRevision label naming the owning SidecarSet
/// (`sidecarcontrol.SidecarSetKindName`).
pub const SIDECARSET_NAME_LABEL: &str = "kruise.io/sidecarset-name";

/// SidecarSet and ControllerRevision label: the user's version of a
/// SidecarSet (`appsv1alpha1.SidecarSetCustomVersionLabel`).
pub const CUSTOM_VERSION_LABEL: &str = "apps.kruise.io/sidecarset-custom-version";

/// ControllerRevision label with the revision hash suffix
/// (`history.ControllerRevisionHashLabel`, from Kubernetes).
pub const REVISION_HASH_LABEL: &str = "controller.kubernetes.io/hash";

/// Pod annotation: `Ordered` starts containers in their order
/// (`appspub.ContainerLaunchPriorityKey`).
pub const CONTAINER_LAUNCH_PRIORITY_ANNOTATION: &str = "apps.kruise.io/container-launch-priority";

/// Pod label a CloneSet gives each instance (`appsv1alpha1.CloneSetInstanceID`).
pub const CLONESET_INSTANCE_ID_LABEL: &str = "apps.kruise.io/cloneset-instance-id";

/// This tool's own annotation silencing lint rules on one object
/// (comma-separated rule ids or `*`); OpenKruise has no such constant.
pub const LINT_IGNORE_ANNOTATION: &str = "sidecarset.kruise.io/lint-ignore";
