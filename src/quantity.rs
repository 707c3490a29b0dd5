//! Kubernetes resource quantities (owned by the defaults-and-hash work).
