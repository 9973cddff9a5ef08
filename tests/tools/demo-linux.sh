#!/bin/sh
# make demo-linux: this host's own Debian kernel (the newest /boot/vmlinuz-*)
# boots as a Xen PVH guest of hvk to a busybox shell on this terminal
# (docs/linux.md).  Ctrl-a x ends hvk; 'exit' in the shell powers the guest
# off.  Directly on this host when it can run hvk (tests/tools/host-unfit.sh);
# otherwise, as on the dev/CI VMs, hvk runs in an L1 Linux under QEMU TCG
# with AMD-V (tests/nested/run --demo-linux), whose console is this
# terminal: there QEMU's own escape is Ctrl-b (Ctrl-b x kills QEMU), so
# Ctrl-a x still reaches hvk, and the L1 powers off when hvk ends.
set -u
cd "$(dirname "$0")/../.." || exit 1

GUEST_DIR=tests/nested/out/linux-demo
CMDLINE="console=hvc0 earlyprintk=xen hvktest.action=shell"

why=$(tests/tools/host-unfit.sh)
if [ -n "$why" ]; then
	echo "demo-linux: not on this host ($why): in an L1 Linux under QEMU TCG with AMD-V"
	echo "demo-linux: Ctrl-a x ends hvk (then the L1 powers off); Ctrl-b x ends QEMU"
	exec tests/nested/run --backend tcg-svm --demo-linux
fi

tests/tools/linux-guest.sh "$GUEST_DIR" || exit 1
loaded=0
if ! grep -q '^hvk ' /proc/modules; then
	insmod kmod/hvk.ko || { echo "demo-linux: insmod kmod/hvk.ko failed" >&2; exit 1; }
	loaded=1
fi
if ! vmm/hvk info | grep -q '^features:.* xen-evtchn'; then
	echo "demo-linux: this hvk.ko has no event channels (HVK_CAP_XEN_EVTCHN):" \
	     "Linux stops early, here is how far it gets"
fi
echo "\$ vmm/hvk run --xen --mem 256M --cpus 2 $GUEST_DIR/vmlinux --module $GUEST_DIR/initrd.gz --cmdline '$CMDLINE'"
vmm/hvk run --xen --mem 256M --cpus 2 "$GUEST_DIR/vmlinux" \
	--module "$GUEST_DIR/initrd.gz" --cmdline "$CMDLINE"
st=$?
echo "demo-linux: hvk exited with status $st (docs/cli.md)"
[ $loaded = 0 ] || rmmod hvk
exit $st
