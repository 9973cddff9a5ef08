#!/bin/sh
# host-unfit.sh: why hvk cannot run directly on this host, or nothing when
# it can (the CPU has VT-x/AMD-V, we are root, this kernel loads modules,
# hvk is built, KVM does not hold the hardware).  make demo and make
# demo-linux go nested (tests/nested/run) when it prints a reason.
cd "$(dirname "$0")/../.." || exit 1
if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
	echo "the CPU shows neither vmx nor svm"
elif [ "$(id -u)" -ne 0 ]; then
	echo "not root"
elif [ ! -d "/lib/modules/$(uname -r)" ]; then
	echo "no /lib/modules/$(uname -r): this kernel cannot load modules"
elif [ ! -f kmod/hvk.ko ] || [ ! -x vmm/hvk ]; then
	echo "kmod/hvk.ko or vmm/hvk is not built (make all)"
elif grep -qE '^kvm_(intel|amd) ' /proc/modules; then
	echo "kvm_intel/kvm_amd is loaded and owns VT-x/AMD-V"
fi
