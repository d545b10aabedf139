#!/usr/bin/env bash
# Builds the gateway's base image as a docker-archive tar (what `docker save` writes) with plain
# tools, no Docker daemon and no registry: a Java 17 runtime made by jlink from this machine's JDK,
# the shared libraries it links (found with ldd), /bin/sleep for the pods' preStop hook, an
# /etc/passwd with the non-root user 65532, and /tmp. No shell, no package manager.
# Jib layers the gateway on top of it (`mvn -Pimage`, see k8s/README.md):
#
#   k8s/image/build-base.sh OUT_DIR     -> OUT_DIR/base.tar (image gridgate/java-base:17)
#
# The tar is rebuilt only when it is older than this script (delete it to force a rebuild). Byte
# for byte reproducible for the same JDK and libraries: sorted entries, time 0, owner root.
set -euo pipefail

die() { echo "build-base.sh: $*" >&2; exit 1; }

mkdir -p "${1:?usage: build-base.sh OUT_DIR}"
out=$(cd "$1" && pwd)
base_tar=$out/base.tar
if [[ -f $base_tar && $base_tar -nt ${BASH_SOURCE[0]} ]]; then
  echo "build-base.sh: $base_tar is up to date"
  exit 0
fi

[[ $(uname -s) == Linux ]] || die "builds a Linux image from this machine's JDK and cannot on $(uname -s);" \
  "use a registry base instead: -Dimage.base.skip -Djib.from.image=eclipse-temurin:17-jre"
case $(uname -m) in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) die "unsupported machine $(uname -m) (amd64 and arm64 only)" ;;
esac
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
"$java_home/bin/java" -version 2>&1 | grep -q 'version "17\.' \
  || die "$java_home is not a Java 17 JDK (set JAVA_HOME to one)"
[[ -d $java_home/jmods ]] || die "$java_home has no jmods/ for jlink (Debian: apt-get install openjdk-17-jdk-headless)"

# The runtime: every Java SE module (the libraries reach into java.beans, java.management,
# java.naming, ...) plus Unsafe, the JDK's management beans, EC crypto for TLS/ES256, JNDI DNS (the
# Hazelcast Kubernetes DNS discovery) and jcmd for thread and heap dumps. The X11, sound and splash
# libraries cannot work in a headless container and are left out, with the X libraries they link.
modules=java.se,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.naming.dns,jdk.jcmd,jdk.jfr,jdk.net,jdk.zipfs
rm -rf "$out/rootfs" "$out/image"
mkdir -p "$out/rootfs/opt" "$out/image"
root=$out/rootfs
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libjsound.so,**/libsplashscreen.so' --output "$root/opt/java"
# Debian's JDK links lib/security/cacerts to the system trust store: ship the store's content
cacerts=$(readlink -f "$java_home/lib/security/cacerts")
[[ -f $cacerts ]] && cp "$cacerts" "$root/opt/java/lib/security/cacerts"

# The shared libraries (and the dynamic loader) that the runtime's binaries and /bin/sleep link, at
# the paths this machine resolves them to. libjvm.so is found inside the runtime (the launcher
# loads it first), hence LD_LIBRARY_PATH for ldd.
mkdir -p "$root/bin"
cp "$(readlink -f /bin/sleep)" "$root/bin/sleep"
linked() {
  find "$root/opt/java" "$root/bin" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
    | LD_LIBRARY_PATH=$root/opt/java/lib/server:$root/opt/java/lib xargs -0 ldd 2>/dev/null
}
missing=$(linked | grep 'not found' | sort -u || true)
[[ -z $missing ]] || die "unresolved libraries: $missing"
for lib in $(linked | grep -o '/[^ ]*' | grep -v "^$root" | sort -u); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

mkdir -p "$root/etc" "$root/tmp"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# One layer, then the docker-archive: manifest.json, the image config, the layer under its digest.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -C "$root" -cf "$out/layer.tar" .
layer=$(sha256sum "$out/layer.tar" | cut -d' ' -f1)
mkdir -p "$out/image/$layer"
mv "$out/layer.tar" "$out/image/$layer/layer.tar"
cat >"$out/image/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"User":"65532:65532","WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"k8s/image/build-base.sh: jlink $modules"}]}
JSON
config=$(sha256sum "$out/image/config.json" | cut -d' ' -f1)
mv "$out/image/config.json" "$out/image/$config.json"
printf '[{"Config":"%s.json","RepoTags":["gridgate/java-base:17"],"Layers":["%s/layer.tar"]}]\n' "$config" "$layer" \
  >"$out/image/manifest.json"
(cd "$out/image" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu -cf "$base_tar" manifest.json "$config.json" "$layer")
rm -rf "$out/image"
echo "build-base.sh: $base_tar ($(du -h "$base_tar" | cut -f1), runtime $("$root/opt/java/bin/java" -version 2>&1 | head -1))"
