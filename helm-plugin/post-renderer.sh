#!/bin/sh
# helm 4 post-renderer: `kubectl-sidecarset inject` with the words of
# --post-renderer-args, rendered chart on stdin, result on stdout.
#
# Two things helm 4 (v4.2.4) does that the binary alone would trip over:
# - it treats an empty post-render as a failure ("produced empty output"),
#   yet a chart that renders nothing reaches the post-renderer as an empty
#   stream: an empty stream comes back as an empty YAML document (`---`),
#   which helm reads as no resources;
# - it throws away the post-renderer's stderr, so a refused pod would fail
#   with only "plugin exited with error": when helm is the caller (it sets
#   HELM_PLUGIN_NAME), the reason also goes to the terminal if there is one.
set -u

bin=${KUBECTL_SIDECARSET:-}
if [ -z "$bin" ]; then
  if [ -x "${HELM_PLUGIN_DIR:-}/bin/kubectl-sidecarset" ]; then
    bin=$HELM_PLUGIN_DIR/bin/kubectl-sidecarset
  else
    bin=kubectl-sidecarset
  fi
fi

out=$(mktemp) || exit 2
err=$(mktemp) || { rm -f "$out"; exit 2; }
trap 'rm -f "$out" "$err"' EXIT

"$bin" inject "$@" >"$out" 2>"$err"
status=$?
cat "$err" >&2
if [ "$status" -ne 0 ]; then
  # (a subshell: a failed redirection of `:` would end a POSIX shell)
  if [ -n "${HELM_PLUGIN_NAME:-}" ] && (: >/dev/tty) 2>/dev/null; then
    printf 'helm post-renderer sidecarset: ' >/dev/tty
    cat "$err" >/dev/tty
  fi
  exit "$status"
fi
if grep -q '[^[:space:]]' "$out"; then
  cat "$out"
else
  echo '---'
fi
