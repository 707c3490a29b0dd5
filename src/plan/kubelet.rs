//! What the kubelet reports for a container, as the planner models it
//! between rounds (and the what-if pods start with).

use sha2::{Digest, Sha256};

/// A made-up but well-formed image ID for a running container.
pub fn image_id(image: &str) -> String {
    // A digest reference is what the kubelet reports back, verbatim: the
    // controller's consistency check compares the two strings.
    if image.contains("@sha256:") {
        return format!("docker-pullable://{image}");
    }
    let repo = image.split('@').next().unwrap_or(image);
    let repo = match (repo.rfind(':'), repo.rfind('/')) {
        (Some(c), Some(s)) if c > s => &repo[..c],
        (Some(c), None) => &repo[..c],
        _ => repo,
    };
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32 + repo.len() + 64);
    out.push_str("docker-pullable://");
    out.push_str(repo);
    out.push_str("@sha256:");
    for b in Sha256::digest(image.as_bytes()) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}
