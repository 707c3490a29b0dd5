//! Checks of the generated `gotypes.rs` that need no Go sources: the graph
//! of structs is whole and a few fields read as the Go declarations at
//! k8s.io/api and k8s.io/apimachinery v0.32.9 and OpenKruise v1.9.0 do
//! (`tests/gotypes_current.rs` compares the whole file when the sources
//! are at hand).

use super::gotype::{Field, Struct, Ty};
use super::gotypes::*;
use std::collections::HashSet;

const ROOTS: [&Struct; 2] = [&V1BETA1_SIDECAR_SET, &V1ALPHA1_SIDECAR_SET];

/// Every struct reachable from the roots, each once.
fn reachable() -> Vec<&'static Struct> {
    fn structs_in(ty: &Ty, out: &mut Vec<&'static Struct>) {
        match ty {
            Ty::Struct(s) => out.push(s),
            Ty::List(e) | Ty::Map(e) => structs_in(e, out),
            _ => {}
        }
    }
    let mut seen: HashSet<*const Struct> = HashSet::new();
    let mut todo: Vec<&'static Struct> = ROOTS.to_vec();
    let mut all = Vec::new();
    while let Some(s) = todo.pop() {
        if seen.insert(s) {
            all.push(s);
            for f in s.fields {
                structs_in(&f.ty, &mut todo);
            }
        }
    }
    all
}

/// A field's type as its Go declaration reads (`*intstr.IntOrString,omitempty`).
fn go_decl(f: &Field) -> String {
    fn ty(t: &Ty) -> String {
        match t {
            Ty::Str => "string".into(),
            Ty::Bool => "bool".into(),
            Ty::I32 => "int32".into(),
            Ty::I64 => "int64".into(),
            Ty::Quantity => "resource.Quantity".into(),
            Ty::IntOrStr => "intstr.IntOrString".into(),
            Ty::Time => "metav1.Time".into(),
            Ty::Any => "raw".into(),
            Ty::Struct(s) => s.name.into(),
            Ty::List(e) => format!("[]{}", ty(e)),
            Ty::Map(e) => format!("map[string]{}", ty(e)),
        }
    }
    format!(
        "{}{}{}",
        if f.ptr { "*" } else { "" },
        ty(&f.ty),
        if f.omitempty { ",omitempty" } else { "" }
    )
}

fn struct_named(name: &str) -> &'static Struct {
    reachable()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("{name} is not reachable from the SidecarSet roots"))
}

fn names(s: &Struct) -> Vec<&'static str> {
    s.fields.iter().map(|f| f.name).collect()
}

#[test]
fn every_reachable_struct_has_fields_and_unique_names() {
    let all = reachable();
    for s in &all {
        assert!(!s.fields.is_empty(), "{} has no fields", s.name);
        let mut seen = HashSet::new();
        for f in s.fields {
            assert!(seen.insert(f.name), "{}: {:?} twice", s.name, f.name);
        }
    }
    // The generator emits only what the roots reach: a static outside the
    // graph would mean a reference was lost on the way.
    let statics = include_str!("gotypes.rs").matches("\npub static ").count();
    assert_eq!(all.len(), statics);
    let mut go_names: Vec<&str> = all.iter().map(|s| s.name).collect();
    go_names.sort_unstable();
    go_names.dedup();
    assert_eq!(go_names.len(), all.len(), "two statics for one Go type");
}

#[test]
fn fields_read_as_the_go_declarations() {
    // (struct, field, Go type with `*` for a pointer and the tag's omitempty)
    let cases = [
        // `corev1.Container` is reached only embedded in the Kruise sidecar.
        ("v1beta1.SidecarContainer", "image", "string,omitempty"),
        (
            "v1beta1.SidecarContainer",
            "ports",
            "[]corev1.ContainerPort,omitempty",
        ),
        ("corev1.ContainerPort", "containerPort", "int32"),
        ("corev1.GRPCAction", "service", "*string"),
        ("corev1.SecurityContext", "runAsUser", "*int64,omitempty"),
        (
            "corev1.ResourceRequirements",
            "limits",
            "map[string]resource.Quantity,omitempty",
        ),
        // Tagged omitempty, yet marshalled as `null`: Go never omits a struct.
        (
            "metav1.ObjectMeta",
            "creationTimestamp",
            "metav1.Time,omitempty",
        ),
        (
            "metav1.ObjectMeta",
            "managedFields",
            "[]metav1.ManagedFieldsEntry,omitempty",
        ),
        ("metav1.ManagedFieldsEntry", "fieldsV1", "*raw,omitempty"),
        (
            "v1beta1.SidecarSet",
            "metadata",
            "metav1.ObjectMeta,omitempty",
        ),
        (
            "v1beta1.SidecarContainer",
            "shareVolumeDevicePolicy",
            "*v1beta1.ShareVolumePolicy,omitempty",
        ),
        (
            "v1beta1.SidecarSetUpdateStrategy",
            "maxUnavailable",
            "*intstr.IntOrString,omitempty",
        ),
        (
            "v1beta1.SidecarSetUpdateStrategy",
            "priorityStrategy",
            "*appspub.UpdatePriorityStrategy,omitempty",
        ),
        // `type UpdateScatterStrategy []UpdateScatterTerm`.
        (
            "v1beta1.SidecarSetUpdateStrategy",
            "scatterStrategy",
            "[]v1beta1.UpdateScatterTerm,omitempty",
        ),
        ("v1beta1.SidecarSetStatus", "matchedPods", "int32"),
        (
            "v1beta1.SidecarSetStatus",
            "observedGeneration",
            "int64,omitempty",
        ),
    ];
    for (st, field, want) in cases {
        let s = struct_named(st);
        let f = s
            .fields
            .iter()
            .find(|f| f.name == field)
            .unwrap_or_else(|| panic!("{st} has no field {field}"));
        assert_eq!(go_decl(f), want, "{st}.{field}");
    }
}

#[test]
fn field_order_and_embedding_follow_go() {
    // `metav1.TypeMeta` inlined (kind before apiVersion), the named
    // embedded `metav1.ObjectMeta` kept under its tag.
    assert_eq!(
        names(&V1BETA1_SIDECAR_SET),
        ["kind", "apiVersion", "metadata", "spec", "status"]
    );
    // `corev1.Container` (name first, 24 JSON fields at v0.32.9, the last
    // `tty`) inlined at the head of the Kruise sidecar, then Kruise's own.
    for sidecar in [&V1BETA1_SIDECAR_CONTAINER, &V1ALPHA1_SIDECAR_CONTAINER] {
        let names = names(sidecar);
        assert_eq!(&names[..2], ["name", "image"], "{}", sidecar.name);
        assert_eq!(go_decl(&sidecar.fields[0]), "string");
        assert_eq!(
            &names[23..25],
            ["tty", "podInjectPolicy"],
            "{}",
            sidecar.name
        );
    }
    // `ProbeHandler` inlined at the head of `Probe`.
    assert_eq!(
        &names(&PROBE)[..4],
        ["exec", "httpGet", "tcpSocket", "grpc"]
    );
}
