//! YAML documents with positions, YAML 1.1 scalar resolution, and the emitter.
