# Shared settings and helpers of the tools/ scripts; sourced, never run (`. tools/lib.sh`).
#
# - CARGO_TARGET_DIR defaults to one target directory outside the clone, $HOME/.cache/sonogan/target,
#   so consecutive runs on one machine (CI, several clones or worktrees) reuse each other's build
#   outputs instead of compiling burn's crate graph again. Set it to use another one.
# - cargo's bin directory is put on PATH (wasm-bindgen and wasm-bindgen-test-runner live there).
# - `stage NAME COMMAND…` runs one stage of a script and prints "== NAME ==" before and
#   "== NAME: 123 s ==" after it (or "== NAME: FAILED after 123 s ==" when it fails). The outermost
#   script that sources this file prints every stage's time when it exits, the stages of scripts it
#   ran indented under the stage that ran them, and the total.
# - `at_exit COMMAND` runs COMMAND (a string, eval'd) when the script exits; this file owns the EXIT
#   trap, so scripts use this instead of `trap … EXIT`.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sonogan/target}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

_stage_name=""
_stage_start=0
_stage_started_at=0
_stage_depth="${SONOGAN_STAGE_DEPTH:-0}"
_at_exit=()

at_exit() {
  _at_exit+=("$1")
}

# The outermost script owns the stage log: one "START_NS<TAB>DEPTH<TAB>NAME<TAB>SECONDS<TAB>ok|FAILED"
# line per stage.
if [ -z "${SONOGAN_STAGE_LOG:-}" ]; then
  SONOGAN_STAGE_LOG="$(mktemp)"
  export SONOGAN_STAGE_LOG
  _stage_log_owner=true
  _stage_total_start=$SECONDS
else
  _stage_log_owner=false
fi

stage() {
  local name="$1"
  shift
  echo "== $name =="
  _stage_name="$name"
  _stage_start=$SECONDS
  _stage_started_at="$(date +%s%N)"
  SONOGAN_STAGE_DEPTH=$((_stage_depth + 1)) "$@"
  local took=$((SECONDS - _stage_start))
  _stage_name=""
  printf '%s\t%s\t%s\t%s\tok\n' "$_stage_started_at" "$_stage_depth" "$name" "$took" >>"$SONOGAN_STAGE_LOG"
  echo "== $name: $took s =="
}

_stage_on_exit() {
  local rc=$?
  if [ -n "$_stage_name" ]; then
    local took=$((SECONDS - _stage_start))
    printf '%s\t%s\t%s\t%s\tFAILED\n' "$_stage_started_at" "$_stage_depth" "$_stage_name" "$took" >>"$SONOGAN_STAGE_LOG"
    echo "== $_stage_name: FAILED after $took s ==" >&2
  fi
  local command
  for command in "${_at_exit[@]}"; do
    eval "$command" || true
  done
  if $_stage_log_owner; then
    if [ -s "$SONOGAN_STAGE_LOG" ]; then
      echo "== stage times =="
      sort -n "$SONOGAN_STAGE_LOG" | awk -F'\t' '{
        indent = ""; for (i = 0; i < $2; i++) indent = indent "    "
        printf "  %6d s  %s%s%s\n", $4, indent, $3, ($5 == "ok" ? "" : "  (FAILED)") }' 
      echo "  $(printf '%6d' $((SECONDS - _stage_total_start))) s  total"
    fi
    rm -f "$SONOGAN_STAGE_LOG"
  fi
  return $rc
}
trap _stage_on_exit EXIT
