# demo-linux.sh: what 'make demo-linux' runs in the L1 when the host cannot
# run hvk itself (tests/tools/demo-linux.sh): load hvk.ko, boot the Linux
# guest the host prepared (hvktest.linux: the L1's own kernel and a busybox
# initramfs) to a shell on the L1's console, which is the user's terminal
# (QEMU -serial mon:stdio).  /init runs it as the console's session leader
# (setsid cttyhack), so hvk owns the terminal; /init powers off after it.
GUEST_DIR=$HVK_LINUX_DIR
CMDLINE="console=hvc0 earlyprintk=xen hvktest.action=shell"

echo "demo-linux: L1 Linux $(uname -r) on $HVK_BACKEND, CPU offers $HVK_EXPECT_VENDOR"
if [ -z "$GUEST_DIR" ] || [ ! -f "$GUEST_DIR/vmlinux" ]; then
	echo "demo-linux: no Linux guest (hvktest.linux='$GUEST_DIR'): see" \
	     "tests/nested/out/$HVK_BACKEND/linux-guest.log on the host"
	exit 1
fi
insmod kmod/hvk.ko || { echo "demo-linux: insmod kmod/hvk.ko failed"; exit 1; }
if ! vmm/hvk info | grep -q '^features:.* xen-evtchn'; then
	echo "demo-linux: this hvk.ko has no event channels (HVK_CAP_XEN_EVTCHN):" \
	     "Linux stops early, here is how far it gets"
fi
echo "\$ vmm/hvk run --xen --mem 256M --cpus 2 $GUEST_DIR/vmlinux --module $GUEST_DIR/initrd.gz --cmdline '$CMDLINE'"
vmm/hvk run --xen --mem 256M --cpus 2 "$GUEST_DIR/vmlinux" \
	--module "$GUEST_DIR/initrd.gz" --cmdline "$CMDLINE"
echo "demo-linux: hvk exited with status $? (docs/cli.md); the L1 powers off"
rmmod hvk
