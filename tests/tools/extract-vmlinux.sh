#!/bin/sh
# extract-vmlinux.sh BZIMAGE OUT: write the uncompressed kernel ELF (vmlinux)
# inside a bzImage (e.g. Debian's /boot/vmlinuz-*) to OUT.
#
# A bzImage carries the kernel as one compressed payload after its setup
# code; which compressor depends on the kernel's config.  The payload is
# found by the compressor's magic number and handed to the ordinary tool
# (zstd, xz, gzip: all in Debian's base system); the first candidate that
# decompresses to an x86-64 ELF wins.  No network, no kernel source.
set -eu

[ $# -eq 2 ] || { echo "usage: $0 BZIMAGE OUT" >&2; exit 2; }
in=$1 out=$2
[ -r "$in" ] || { echo "extract-vmlinux: $in: cannot read" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# try MAGIC DECOMPRESSOR...: every offset where the magic occurs.
try() {
	magic=$1; shift
	for off in $(LC_ALL=C grep -obUaP "$magic" "$in" 2>/dev/null | cut -d: -f1); do
		# Trailing data after the stream makes these tools complain: keep
		# what they wrote and judge it by its ELF header.
		tail -c +"$((off + 1))" "$in" | "$@" >"$tmp/vmlinux" 2>/dev/null || true
		if [ "$(head -c 5 "$tmp/vmlinux" | od -An -tx1 | tr -d ' ')" = 7f454c4602 ]; then
			mv "$tmp/vmlinux" "$out"
			return 0
		fi
	done
	return 1
}

try '\x28\xb5\x2f\xfd' zstd -dc ||
try '\xfd7zXZ\x00' xz -dc ||
try '\x1f\x8b\x08' gzip -dc || {
	echo "extract-vmlinux: $in: no zstd, xz or gzip payload decompresses to a 64-bit ELF" >&2
	exit 1
}
