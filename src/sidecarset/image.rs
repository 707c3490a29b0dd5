//! Container image references as Kubernetes' `parsers.ParseImageName`
//! reads them (`github.com/distribution/reference.ParseNormalizedNamed`).
//! Only what defaulting needs: is the reference valid, and its tag/digest.

use regex::Regex;
use std::sync::OnceLock;

/// Tag and digest of a valid reference; `None` when Kubernetes cannot parse it.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// The tag after `:`, if any.
    pub tag: Option<String>,
    /// The digest after `@`, if any.
    pub digest: Option<String>,
}

fn reference_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let alnum = "[a-z0-9]+";
        let sep = "(?:[._]|__|[-]+)";
        let path_component = format!("{alnum}(?:{sep}{alnum})*");
        let domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let domain_name = format!("{domain_component}(?:\\.{domain_component})*");
        let host = format!("(?:{domain_name}|\\[(?:[a-fA-F0-9:]+)\\])");
        let domain_and_port = format!("{host}(?::[0-9]+)?");
        let name = format!("(?:{domain_and_port}/)?{path_component}(?:/{path_component})*");
        // Go's \w is ASCII; the regex crate's is Unicode.
        let tag = "[0-9A-Za-z_][0-9A-Za-z_.-]{0,127}";
        let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}";
        let full = format!("^({name})(?::({tag}))?(?:@({digest}))?$");
        // A constant pattern: the unit tests catch it failing to compile.
        Regex::new(&full).ok()
    })
    .as_ref()
}

fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.find('/') {
        Some(i) => {
            let first = &name[..i];
            if !first.contains(['.', ':']) && first != "localhost" && first.to_lowercase() == first
            {
                ("docker.io".to_string(), name.to_string())
            } else {
                (first.to_string(), name[i + 1..].to_string())
            }
        }
        None => ("docker.io".to_string(), name.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".to_string();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    (domain, remainder)
}

fn digest_valid(d: &str) -> bool {
    let Some((alg, enc)) = d.split_once(':') else {
        return false;
    };
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    enc.len() == len && enc.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

/// `ParseNormalizedNamed` + the tag/digest extraction of `ParseImageName`.
pub fn parse(image: &str) -> Option<ImageRef> {
    if image.len() == 64
        && image
            .bytes()
            .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    let (domain, remainder) = split_docker_domain(image);
    let remote = match remainder.find(':') {
        Some(i) => &remainder[..i],
        None => remainder.as_str(),
    };
    if remote.to_lowercase() != remote {
        return None;
    }
    let full = format!("{domain}/{remainder}");
    let caps = reference_regex()?.captures(&full)?;
    let name = caps.get(1)?.as_str();
    if name.len() > 255 {
        return None;
    }
    let tag = caps.get(2).map(|m| m.as_str().to_string());
    let digest = caps.get(3).map(|m| m.as_str().to_string());
    if let Some(d) = &digest {
        if !digest_valid(d) {
            return None;
        }
    }
    Some(ImageRef { tag, digest })
}

/// `SetDefaults_Container`'s pull policy for an image without one.
pub fn default_pull_policy(image: &str) -> &'static str {
    // SidecarSets of one run mostly share their images: each is parsed once.
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, &'static str>> =
            std::cell::RefCell::default();
    }
    if let Some(p) = SEEN.with(|s| s.borrow().get(image).copied()) {
        return p;
    }
    let p = pull_policy_of(image);
    SEEN.with(|s| s.borrow_mut().insert(image.to_string(), p));
    p
}

fn pull_policy_of(image: &str) -> &'static str {
    match parse(image) {
        Some(r)
            if r.tag.as_deref() == Some("latest") || (r.tag.is_none() && r.digest.is_none()) =>
        {
            "Always"
        }
        _ => "IfNotPresent",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pull_policies() {
        let sha = "a".repeat(64);
        for (img, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.25", "IfNotPresent"),
            (&format!("nginx@sha256:{sha}") as &str, "IfNotPresent"),
            (&format!("nginx:1.25@sha256:{sha}"), "IfNotPresent"),
            ("", "IfNotPresent"),
            ("Nginx:latest", "IfNotPresent"),
            ("reg.io/a/b:latest", "Always"),
            ("registry.example.com/ops/log-agent", "Always"),
            ("localhost:5000/x", "Always"),
            ("REG.IO/a/b", "Always"),
            ("nginx@sha256:abc", "IfNotPresent"),
            ("nginx@md5:0123456789abcdef0123456789abcdef", "IfNotPresent"),
            (&sha, "IfNotPresent"),
            ("a//b", "IfNotPresent"),
            ("dns:1.0", "IfNotPresent"),
        ] {
            assert_eq!(default_pull_policy(img), want, "{img:?}");
        }
        let r = parse("envoyproxy/envoy:v1.30.1").expect("valid");
        assert_eq!(r.tag.as_deref(), Some("v1.30.1"));
    }

    #[test]
    fn tags_are_ascii_as_in_go() {
        // distribution/reference's tag pattern uses Go's ASCII-only \w.
        assert!(parse("nginx:v1_2.3-rc").is_some());
        assert!(parse("nginx:v\u{e9}1").is_none());
    }
}
