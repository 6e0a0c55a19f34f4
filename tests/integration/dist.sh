#!/usr/bin/env bash
# The tarball of `make dist` as a user gets it: it unpacks into one directory; its kmc needs
# nothing but the C library (ldd) and runs in a chroot that holds only the binary, those objects
# and a manifest; Graphviz, absent there, is asked for only when an image is drawn; the man page
# and completions it carries are the binary's own.
# Usage: dist.sh TARBALL
set -euo pipefail
tarball=$(realpath "$1")
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tar -xzf "$tarball" -C "$work"
top=$(ls "$work")
[ "$(echo "$top" | wc -l)" = 1 ] && ok "one top directory ($top)" || bad "the tarball unpacks into: $top"
root="$work/$top"
kmc="$root/bin/kmc"
for f in share/man/man1/kmc.1 share/bash-completion/completions/kmc share/zsh/site-functions/_kmc \
         share/fish/vendor_completions.d/kmc.fish; do
  [ -s "$root/$f" ] && ok "$f" || bad "no $f"
done
cmp -s "$root/share/man/man1/kmc.1" <("$kmc" manpage) && ok "the man page is the binary's" || bad "kmc.1 differs from kmc manpage"
cmp -s "$root/share/bash-completion/completions/kmc" <("$kmc" completion bash) && ok "bash completion is the binary's" ||
  bad "the bash completion differs from kmc completion bash"

# Only the C library's own objects: the vDSO, the loader, libc and libm (libpthread, libdl and
# librt are parts of glibc on releases that still ship them apart).
libs=$(ldd "$kmc" | awk '{print $1}')
foreign=$(grep -vE '^(linux-vdso\.so\.1|/lib(64)?/ld-linux[^ ]*\.so\.[0-9]+|lib(c|m|pthread|dl|rt)\.so\.[0-9]+)$' <<<"$libs" || true)
[ -z "$foreign" ] && ok "ldd lists only the C library: $(echo $libs)" || bad "ldd lists more than the C library: $foreign"
grep -qa '<jemalloc>' "$kmc" && ok "jemalloc is linked in" || bad "no jemalloc in the binary"

# A chroot holding the binary, the objects ldd names (at their paths) and one manifest.
jail="$work/jail"
mkdir -p "$jail/app"
cp "$kmc" "$jail/kmc"
for lib in $(ldd "$kmc" | grep -oE '/[^ ]+'); do
  mkdir -p "$jail$(dirname "$lib")"
  cp -L "$lib" "$jail$lib"
done
write_lonely_service "$jail/app/web.yaml"
in_jail() {
  if [ "$(id -u)" = 0 ]; then chroot "$jail" "$@"; else unshare -r chroot "$jail" "$@"; fi
}
version=$(in_jail /kmc --version) && ok "kmc --version in the chroot: $version" || bad "kmc --version fails in the chroot"
set +e
out=$(in_jail /kmc check --no-color /app 2>&1); status=$?
set -e
if [ $status = 1 ] && grep -q 'service/no-matching-pods' <<<"$out"; then ok "kmc check in the chroot finds the Service without pods"
else bad "kmc check in the chroot: status $status: $out"; fi
set +e
out=$(in_jail /kmc graph /app -o /app/topology.svg 2>&1); status=$?
set -e
if [ $status = 2 ] && grep -q 'libgvc' <<<"$out"; then ok "graph -o svg without Graphviz says how to get it"
else bad "graph -o svg without Graphviz: status $status: $out"; fi
in_jail /kmc graph /app -o /app/topology.dot && grep -q '^digraph' "$jail/app/topology.dot" && ok "graph -o dot needs no Graphviz" ||
  bad "graph -o dot in the chroot"

# With Graphviz on the machine, the same binary draws.
if [ -e /usr/lib/x86_64-linux-gnu/libgvc.so.6 ] || ldconfig -p | grep -q 'libgvc\.so\.6'; then
  "$kmc" graph "$jail/app" -o "$work/t.svg" && grep -q '<svg' "$work/t.svg" && ok "graph -o svg loads Graphviz" ||
    bad "graph -o svg with Graphviz installed"
fi
exit $fail
