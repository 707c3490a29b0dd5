//! OpenKruise feature gates that change what the webhook and controller do,
//! with their v1.9.0 defaults (`pkg/features/kruise_features.go`).

/// The gates the engine honours. `Default` gives the v1.9.0 defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureGates {
    /// `EnableSortSidecarContainerByName` (default off): sort injected
    /// sidecars by name before placing them.
    pub sort_sidecar_container_by_name: bool,
    /// `KruisePodReadinessGate` (default off): add the `KruisePodReady` gate
    /// to every pod, not only to pods owned by Kruise workloads.
    pub kruise_pod_readiness_gate: bool,
    /// `SidecarSetPatchPodMetadataDefaultsAllowed` (default off): bypass the
    /// patchPodMetadata annotation whitelist.
    pub patch_pod_metadata_defaults_allowed: bool,
}

// Spelled out rather than derived: these are Kruise v1.9.0 defaults, not Rust ones.
#[allow(clippy::derivable_impls)]
impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates {
            sort_sidecar_container_by_name: false,
            kruise_pod_readiness_gate: false,
            patch_pod_metadata_defaults_allowed: false,
        }
    }
}

impl FeatureGates {
    /// Applies a `--feature-gates` value such as `A=true,B=false`.
    pub fn apply(&mut self, spec: &str) -> Result<(), String> {
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| format!("feature gate {item:?}: expected NAME=true|false"))?;
            let on = match value.trim() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(format!(
                        "feature gate {name}: {other:?} is not true or false"
                    ))
                }
            };
            match name.trim() {
                "EnableSortSidecarContainerByName" => self.sort_sidecar_container_by_name = on,
                "KruisePodReadinessGate" => self.kruise_pod_readiness_gate = on,
                "SidecarSetPatchPodMetadataDefaultsAllowed" => {
                    self.patch_pod_metadata_defaults_allowed = on
                }
                other => return Err(format!("unknown feature gate {other:?}")),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gates() {
        let mut g = FeatureGates::default();
        g.apply("EnableSortSidecarContainerByName=true, KruisePodReadinessGate=false")
            .expect("valid");
        assert!(g.sort_sidecar_container_by_name);
        assert!(g.apply("Nope=true").is_err());
        assert!(g.apply("KruisePodReadinessGate=yes").is_err());
    }
}
