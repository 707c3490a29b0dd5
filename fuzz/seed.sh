#!/usr/bin/env bash
# Seeds every fuzz target's corpus with every file under testdata/ and
# examples/ (named by content hash, so re-running adds nothing twice).
set -euo pipefail
cd "$(dirname "$0")"
for target in reader inject plan lint; do
  mkdir -p "corpus/$target"
  find ../testdata ../examples -type f -print0 |
    while IFS= read -r -d '' f; do
      cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"
    done
done
echo "seeded: $(ls corpus/inject | wc -l) files per target"
