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

/// Why a `--feature-gates` value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FeatureGateError {
    /// An item without `=`.
    #[error("feature gate {0:?}: expected NAME=true|false")]
    Malformed(String),
    /// A value other than `true` or `false`.
    #[error("feature gate {name}: {value:?} is not true or false")]
    NotBool {
        /// The gate.
        name: String,
        /// What it was set to.
        value: String,
    },
    /// A gate this tool does not model.
    #[error("unknown feature gate {0:?}")]
    Unknown(String),
}

impl FeatureGates {
    /// Applies a `--feature-gates` value such as `A=true,B=false`.
    pub fn apply(&mut self, spec: &str) -> Result<(), FeatureGateError> {
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| FeatureGateError::Malformed(item.to_string()))?;
            let on = match value.trim() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(FeatureGateError::NotBool {
                        name: name.to_string(),
                        value: other.to_string(),
                    })
                }
            };
            match name.trim() {
                "EnableSortSidecarContainerByName" => self.sort_sidecar_container_by_name = on,
                "KruisePodReadinessGate" => self.kruise_pod_readiness_gate = on,
                "SidecarSetPatchPodMetadataDefaultsAllowed" => {
                    self.patch_pod_metadata_defaults_allowed = on
                }
                other => return Err(FeatureGateError::Unknown(other.to_string())),
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
