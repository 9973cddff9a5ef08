#!/bin/sh
# Install, idempotently, what building and testing hvk needs on Debian 12.
# Only packages that are missing are installed, so a second run is quick and
# works offline.
set -eu

PACKAGES="
build-essential gcc-multilib g++ make pkg-config
linux-image-amd64 linux-headers-amd64
libelf-dev zlib1g-dev libzstd-dev check
dwarves
qemu-system-x86
bochs bochsbios vgabios bochs-term
isolinux syslinux-common xorriso
busybox-static cpio gzip kmod
acpica-tools
debhelper dh-dkms dkms lintian scdoc groff gnuplot-nox bash-completion udev
clang libclang-rt-dev llvm
"

missing=
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
	command -v sudo >/dev/null || {
		echo "deps: not root and no sudo; install as root:" \
		     "apt-get install$missing" >&2
		exit 1
	}
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
