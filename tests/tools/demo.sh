#!/bin/sh
# make demo: load hvk.ko, show 'hvk info', run guests/hello64.elf, unload.
# Directly on this host when its CPU has VT-x/AMD-V and we may load modules;
# otherwise (as on the dev/CI VMs, see /work/shared/NESTED.md) inside an L1
# Linux under QEMU TCG with AMD-V, through tests/nested/run --demo.
set -u
cd "$(dirname "$0")/../.." || exit 1

# step CMD...: show and run a command; st keeps the first failure's status.
st=0
step() {
	echo "\$ $*"
	"$@" </dev/null
	rc=$?
	[ $rc -eq 0 ] || echo "(exit status $rc)"
	[ $st -ne 0 ] || st=$rc
	return $rc
}

why=$(tests/tools/host-unfit.sh)
if [ -z "$why" ]; then
	echo "demo: on this host, Linux $(uname -r)"
	if step insmod kmod/hvk.ko; then
		step vmm/hvk info
		if [ -f guests/hello64.elf ]; then
			step vmm/hvk run guests/hello64.elf
		else
			echo "(guests/hello64.elf is not built: nothing to run)"
		fi
		step rmmod hvk
		exit $st
	fi
	why="insmod kmod/hvk.ko failed"
fi
echo "demo: not on this host ($why): in an L1 Linux under QEMU TCG with AMD-V"
exec tests/nested/run --backend tcg-svm --demo
