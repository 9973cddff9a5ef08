#!/bin/sh
# check-version.sh TREE [HVK_KO] [DEB...]: the release version agrees
# everywhere: kmod/main.c (dist/version.sh, the one source), the module's
# MODULE_VERSION (modinfo of HVK_KO), 'hvk --version' (TREE/vmm/hvk),
# dkms.conf, debian/changelog and the .deb files given.  Exit 1 on a drift.
set -eu
tree=$1; shift
ko=${1:-}; [ $# = 0 ] || shift
want=$("$tree/dist/version.sh")
bad=0
check() {	# check WHAT VALUE
	if [ "$2" = "$want" ]; then
		echo "    version $1: $2"
	else
		echo "check-version: $1 says '$2', kmod/main.c says '$want'" >&2
		bad=1
	fi
}
check "hvk --version" "$("$tree/vmm/hvk" --version | sed -n 's/^hvk //p')"
check dkms.conf "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$tree/dkms.conf")"
check debian/changelog "$(cd "$tree" && dpkg-parsechangelog -S Version)"
[ -z "$ko" ] || check "modinfo $(basename "$ko")" "$(modinfo -F version "$ko")"
for deb in "$@"; do
	check "$(basename "$deb")" "$(dpkg-deb -f "$deb" Version)"
done
exit $bad
