#!/usr/bin/env bash
# Checks the gateway's image tar (docker-archive, as `mvn -Pimage` writes it) without a Docker
# daemon, then runs it:
#   1. manifest.json names the image, its config and its layers; every layer's uncompressed
#      sha256 is the config's diff_id in the same order;
#   2. the config runs java with the gateway's main class on Jib's classpath file, as user 65532;
#   3. the layers, unpacked in order, hold java, sleep (preStop), the classpath file and the main class;
#   4. as root, with unshare: the image's entrypoint runs from that root filesystem in new mount,
#      PID and network namespaces (chroot, /proc mounted, the image's user, env and working
#      directory), with k8s/base/gateway.yaml at /config, standalone, until /ready answers 200.
#      Without root or unshare this step is skipped with a message.
#
#   k8s/image/verify-image.sh IMAGE_TAR [IMAGE_NAME MAIN_CLASS]
# IMAGE_NAME and MAIN_CLASS default to <image.name> and <main.class> in gateway-node/pom.xml.
set -euo pipefail

fail() { echo "verify-image.sh: FAIL: $*" >&2; exit 1; }

k8s=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$k8s/../gateway-node/pom.xml" | head -1; }
tar_file=${1:?usage: verify-image.sh IMAGE_TAR [IMAGE_NAME MAIN_CLASS]}
name=${2:-$(pom_property image.name)}
main=${3:-$(pom_property main.class)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/image" "$work/root"
tar -C "$work/image" -xf "$tar_file"

manifest=$work/image/manifest.json
[[ -f $manifest ]] || fail "no manifest.json in $tar_file"
[[ $(jq -r '.[0].RepoTags[0]' "$manifest") == "$name" ]] || fail "image name $(jq -c '.[0].RepoTags' "$manifest"), expected $name"
config=$work/image/$(jq -r '.[0].Config' "$manifest")
[[ -f $config ]] || fail "config $(jq -r '.[0].Config' "$manifest") missing"
mapfile -t layers < <(jq -r '.[0].Layers[]' "$manifest")
mapfile -t diff_ids < <(jq -r '.rootfs.diff_ids[]' "$config")
(( ${#layers[@]} == ${#diff_ids[@]} )) || fail "${#layers[@]} layers but ${#diff_ids[@]} diff_ids"
for i in "${!layers[@]}"; do
  layer=$work/image/${layers[$i]}
  [[ -f $layer ]] || fail "layer ${layers[$i]} missing"
  [[ sha256:$(gzip -dcf "$layer" | sha256sum | cut -d' ' -f1) == "${diff_ids[$i]}" ]] \
    || fail "layer ${layers[$i]} does not match diff_id ${diff_ids[$i]}"
  tar -C "$work/root" --warning=no-unknown-keyword -xf "$layer"
done

mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
[[ ${entrypoint[0]} == java ]] || fail "entrypoint starts with ${entrypoint[0]}, not java"
[[ ${entrypoint[-1]} == "$main" ]] || fail "entrypoint runs ${entrypoint[-1]}, not $main"
[[ " ${entrypoint[*]} " == *" -cp @/app/jib-classpath-file "* ]] || fail "entrypoint has no Jib classpath file: ${entrypoint[*]}"
user=$(jq -r '.config.User' "$config")
[[ $user == 65532:65532 ]] || fail "runs as '$user', not 65532:65532"
for file in opt/java/bin/java bin/sleep app/jib-classpath-file "app/classes/${main//.//}.class"; do
  [[ -e $work/root/$file ]] || fail "/$file is not in the image"
done
echo "verify-image.sh: $tar_file: $name, ${#layers[@]} layers, entrypoint java ... $main, user $user"

if [[ $(id -u) != 0 ]] || ! command -v unshare >/dev/null; then
  echo "verify-image.sh: not root or no unshare: the image was not started"
  exit 0
fi
mkdir -p "$work/root/proc" "$work/root/config" "$work/root/data"
cp "$k8s/base/gateway.yaml" "$k8s/base/hazelcast.yaml" "$work/root/config/"
chown "$user" "$work/root/data"
mapfile -t env < <(jq -r '.config.Env[]' "$config")
[[ $(jq -r '.config.WorkingDir // "/"' "$config") == / ]] || fail "WorkingDir is not /, which chroot cannot set"
# shellcheck disable=SC2016  # expanded by the inner bash
IMAGE_ENV_COUNT=${#env[@]} CHROOT=$(command -v chroot) unshare --mount --pid --net --fork bash -c '
  set -euo pipefail
  root=$1 user=$2; shift 2
  ip link set lo up
  mount -t proc proc "$root/proc"
  run() { env -i "${image_env[@]}" GRIDGATE_ADMIN_TOKEN=verify-image "$CHROOT" --userspec="$user" "$root" "$@"; }
  image_env=("${@:1:$IMAGE_ENV_COUNT}")
  entrypoint=("${@:$((IMAGE_ENV_COUNT + 1))}")
  run java -version 2>&1 | head -1
  run "${entrypoint[@]}" --config /config/gateway.yaml --standalone >"$root/tmp/gateway.log" 2>&1 &
  gateway=$!
  for _ in $(seq 1 120); do
    if ready=$(curl -fsS http://127.0.0.1:9901/ready 2>/dev/null); then
      echo "verify-image.sh: the image serves /ready: $ready"
      kill -TERM "$gateway"
      wait "$gateway" || true
      exit 0
    fi
    kill -0 "$gateway" 2>/dev/null || break
    sleep 0.5
  done
  echo "verify-image.sh: FAIL: the gateway in the image did not become ready; its log:" >&2
  cat "$root/tmp/gateway.log" >&2
  exit 1
' verify "$work/root" "$user" "${env[@]}" "${entrypoint[@]}"
