#!/bin/sh
# linux-guest.sh OUTDIR [BZIMAGE]: what `hvk run --xen` needs to boot a
# Linux kernel to a busybox shell (docs/linux.md), in OUTDIR:
#   vmlinux    the ELF inside BZIMAGE (default: the newest /boot/vmlinuz-*),
#              by extract-vmlinux.sh; hvk boots an ELF with a PVH entry note,
#              not a bzImage.  Reused while BZIMAGE is unchanged (path, size,
#              mtime in vmlinux.source): extracting takes a second or two.
#   initrd.gz  busybox-static and linux-guest-init as /init (gzip'd newc
#              cpio, which Debian's kernels unpack), rebuilt every time.
# Then prints the hvk command that boots them.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
die() { echo "linux-guest: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 OUTDIR [BZIMAGE]" >&2
	exit 2
fi
out=$1
bzimage=${2:-$(printf '%s\n' /boot/vmlinuz-* | sort -V | tail -n 1)}
[ -r "$bzimage" ] || die "$bzimage: no readable kernel (install linux-image-amd64, or name one)"
busybox=$(command -v busybox) || die "busybox not found: run 'make deps' (busybox-static)"
# The guest has nothing else: busybox must need no library.
if LC_ALL=C ldd "$busybox" >/dev/null 2>&1; then
	die "$busybox is dynamically linked: install busybox-static"
fi
for tool in cpio gzip; do
	command -v "$tool" >/dev/null || die "$tool not found: run 'make deps'"
done
mkdir -p "$out"

# ---- vmlinux -------------------------------------------------------------
source_id="$bzimage $(stat -Lc '%s %Y' "$bzimage")"
if [ -f "$out/vmlinux" ] && [ "$(cat "$out/vmlinux.source" 2>/dev/null)" = "$source_id" ]; then
	:	# up to date
else
	rm -f "$out/vmlinux.source"
	"$here/extract-vmlinux.sh" "$bzimage" "$out/vmlinux"
	echo "$source_id" >"$out/vmlinux.source"
fi

# ---- initramfs -----------------------------------------------------------
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/root"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$here/linux-guest-init" "$root/init"
chmod 755 "$root/init"
# /dev/console comes from the kernel's built-in initramfs (a device node
# needs root to create); devtmpfs provides the rest once /init mounts it.
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
	gzip -6 >"$out/initrd.gz.tmp"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"

echo "linux-guest: $out/vmlinux (from $bzimage) and $out/initrd.gz; boot with:"
echo "  vmm/hvk run --xen --mem 256M --cpus 2 $out/vmlinux --module $out/initrd.gz --cmdline 'console=hvc0'"
