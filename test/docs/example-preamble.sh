# Sourced before every README example run by readme-examples.test.ts (EXAMPLE_DIR is set first).
# Helpers here are available to code blocks and to example-setup / example-check markers.
[ -f "$EXAMPLE_DIR/state.sh" ] && source "$EXAMPLE_DIR/state.sh"
# Variables a block sets carry over to the file's later blocks, as in the reader's terminal.
trap 'export -p > "$EXAMPLE_DIR/state.sh"' EXIT

example_log() { tee -a "$EXAMPLE_DIR/out.log"; echo >> "$EXAMPLE_DIR/out.log"; }
# curl fails on an HTTP error status, so a refused request fails the example.
curl() { command curl --fail-with-body "$@" | example_log; }
# The first `npx dq` of a file goes through npx, as the reader's does; later ones run the same bin
# directly (npx costs a second or more each time).
npx() {
  if [ "${1-}" = dq ] && [ -n "${EXAMPLE_NPX_DQ_WORKED-}" ]; then
    shift
    node bin/dynamo-queue.mjs "$@" | example_log
  else
    command npx "$@" | example_log
    [ "${1-}" = dq ] && EXAMPLE_NPX_DQ_WORKED=1
  fi
  return 0
}
npm() { command npm "$@" | example_log; }
aws() { command aws "$@" | example_log; }

# <name> in a block: the shell variable name if set, else the latest "name":"value" (or name = value)
# printed so far.
example_value() {
  if [ -n "${!1-}" ]; then printf '%s' "${!1}"; return; fi
  local value
  value=$(grep -oE "\"$1\" ?: ?\"[^\"]*\"" "$EXAMPLE_DIR/out.log" 2> /dev/null | tail -1 | sed -E 's/^.*: ?"(.*)"$/\1/')
  # or a line such as `aws_access_key_id = AKSQ...` (human-readable output)
  [ -n "$value" ] || value=$(grep -oE "\b$1 *[=:] *[^ ]+" "$EXAMPLE_DIR/out.log" 2> /dev/null | tail -1 | sed -E 's/^.*[=:] *//')
  if [ -z "$value" ]; then
    echo "placeholder <$1>: no shell variable $1 and no \"$1\" printed by an earlier command" >&2
    kill -TERM $$
    return 1
  fi
  printf '%s' "$value"
}

# json_get a.b: the field a.b of the JSON on stdin (fails when it is absent).
json_get() {
  command node -e '
    let s = "";
    process.stdin.on("data", (d) => (s += d)).on("end", () => {
      let v = JSON.parse(s);
      for (const k of process.argv[1].split(".")) v = v?.[k];
      if (v === undefined) process.exit(1);
      console.log(typeof v === "object" ? JSON.stringify(v) : v);
    });' "$1"
}

# example_poll <file> <seconds>: runs the check until it passes; after <seconds>, once more, showing why not.
example_poll() {
  local deadline=$((SECONDS + $2))
  until (source "$1") > /dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "example-check did not pass within $2 s:" >&2
      cat "$1" >&2
      (source "$1")
      return 1
    fi
    sleep 0.5
  done
}

set -euo pipefail
set -a
