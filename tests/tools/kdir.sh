#!/bin/sh
# Print the kernel build directory hvk.ko builds against.
#  1. /lib/modules/$(uname -r)/build when it exists (a real host);
#  2. else the newest /usr/src/linux-headers-*-amd64 that has a matching
#     /boot/vmlinuz-* (the L1 kernel the nested harness boots).
# Versions are discovered, never hard-coded.
set -eu
running=/lib/modules/$(uname -r)/build
if [ -d "$running" ]; then
	echo "$running"
	exit 0
fi
best=
for dir in $(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V); do
	ver=${dir#/usr/src/linux-headers-}
	[ -f "/boot/vmlinuz-$ver" ] && best=$dir
done
if [ -z "$best" ]; then
	echo "kdir.sh: no kernel headers: neither $running nor a" \
	     "/usr/src/linux-headers-*-amd64 with a matching /boot/vmlinuz-*;" \
	     "run 'make deps' (apt-get install linux-image-amd64 linux-headers-amd64)" >&2
	exit 1
fi
echo "$best"
