#!/usr/bin/env bash
# tests/package/check.sh (make check-package): installing and packaging hvk,
# on the host, in a copy of the tree (git's files as they are now, nothing
# built), so this tree is never built in or cleaned.  One line per check:
#
#   install       'make install DESTDIR=D PREFIX=/usr/local' puts exactly
#                 install.list's files in D; 'make uninstall' removes them
#   version       kmod/main.c, MODULE_VERSION, hvk --version, dkms.conf,
#                 debian/changelog and the .debs agree (check-version.sh)
#   man           the man pages render with no groff warning (-ww)
#   help-man      hvk --help, the man page and the completion agree
#   completion    bash -n; 'hvk r<TAB>' gives run, ELF files for run/elf,
#                 the PID of a running 'hvk run' for stat
#   udev          the rule sets group hvk, mode 0660, and udevadm reads it
#                 without complaint (udevadm verify where it exists)
#   deb           dpkg-buildpackage -us -uc -b builds hvk and hvk-dkms
#   lintian       no error and no warning on them
#   dkms          dkms build of hvk-dkms's sources for the kernel KDIR is
#                 for (the L1's), in a temporary DKMS tree
#   chart         tests/bench/chart draws PNG and SVG of a sample table
#
# A check whose tools are missing SKIPs naming the package ('make deps'
# installs them all).  Exit 1 if a check failed.  Takes about a minute.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
HERE=$REPO/tests/package
# As a top-level make, also under 'make check': a sub-make's "Entering
# directory" lines would otherwise end up in values read from make.
unset MAKEFLAGS MFLAGS MAKELEVEL
NPASS=0 NFAIL=0 NSKIP=0
pass() { echo "PASS package.$1 (at ${SECONDS}s)"; NPASS=$((NPASS + 1)); }
fail() { local n=$1; shift; echo "FAIL package.$n: $* (at ${SECONDS}s)"; NFAIL=$((NFAIL + 1)); }
skip() { local n=$1; shift; echo "SKIP package.$n: $*"; NSKIP=$((NSKIP + 1)); }
# need PKG CMD...: every CMD exists, else prints the package to install.
need() {
	local pkg=$1 c; shift
	for c; do command -v "$c" >/dev/null || { echo "no $c (apt-get install $pkg)"; return 1; }; done
}
# The last lines of a log, indented, after a failure.
show() { sed 's/^/    | /' "$1" | tail -n "${2:-15}"; }

TMP=$(mktemp -d /tmp/hvk-package.XXXXXX)
cleanup() {
	[ -z "${FAKE_PID:-}" ] || kill "$FAKE_PID" 2>/dev/null
	rm -f "${UDEV_RULE:-}"
	rm -rf "$TMP"
}
trap cleanup EXIT

# The copy: tracked and new files as they are in the work tree.
SRC=$TMP/hvk
mkdir -p "$SRC"
if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$REPO" && git ls-files -co --exclude-standard -z |
		xargs -0 cp --parents -a -t "$SRC" 2>/dev/null) || true
else
	cp -a "$REPO/." "$SRC/"
fi
[ -f "$SRC/install.mk" ] || { echo "check.sh: could not copy the tree to $SRC" >&2; exit 1; }
KDIR=${KDIR:-$("$REPO/tests/tools/kdir.sh" 2>/dev/null)}
KVER=$(make -s -C "$SRC" -f install.mk --eval 'kver: ; @echo $(KVER)' kver KDIR="$KDIR" 2>/dev/null)
VERSION=$("$SRC/dist/version.sh")
echo "check-package: hvk $VERSION, module for $KVER ($KDIR), in $SRC"

# dkms build runs alongside the install (each builds hvk.ko: ~30 s).
dkms_build() {
	local src=$TMP/dkms-src tree=$TMP/dkms-tree
	mkdir -p "$tree"
	make -s -C "$SRC" install-dkms DESTDIR="$src" DKMSSRCDIR= >"$TMP/dkms.log" 2>&1 || return 1
	# A temporary DKMS tree and signing key: nothing left in /var/lib/dkms.
	export mok_signing_key=$TMP/mok.key mok_certificate=$TMP/mok.pub
	dkms add -m hvk -v "$VERSION" --sourcetree "$src" --dkmstree "$tree" >>"$TMP/dkms.log" 2>&1 &&
	dkms build -m hvk -v "$VERSION" -k "$KVER" --kernelsourcedir "$KDIR" \
		--sourcetree "$src" --dkmstree "$tree" >>"$TMP/dkms.log" 2>&1 &&
	modinfo -F version "$tree/hvk/$VERSION/$KVER/x86_64/module/hvk.ko" >"$TMP/dkms.version" 2>>"$TMP/dkms.log"
}
DKMS_PID=
if ! why=$(need dkms dkms); then
	skip dkms "$why"
elif [ -z "$KVER" ]; then
	skip dkms "no kernel headers (make deps)"
else
	dkms_build & DKMS_PID=$!
fi

# install / uninstall
DEST=$TMP/dest
if [ -z "$KVER" ]; then
	fail install "no kernel headers (tests/tools/kdir.sh; make deps)"
elif ! why=$(need scdoc scdoc); then
	skip install "$why"
elif ! make -C "$SRC" install DESTDIR="$DEST" PREFIX=/usr/local KDIR="$KDIR" >"$TMP/install.log" 2>&1; then
	fail install "make install DESTDIR=... failed:"; show "$TMP/install.log"
else
	sed -e '/^#/d' -e '/^$/d' -e "s|@KVER@|$KVER|" -e 's|@PREFIX@|/usr/local|' \
		"$HERE/install.list" | sort >"$TMP/want"
	(cd "$DEST" && find . ! -type d | sed 's|^\.||' | sort) >"$TMP/got"
	if ! diff -u "$TMP/want" "$TMP/got" >"$TMP/install.diff"; then
		fail install "the installed files differ from tests/package/install.list (- listed, + installed):"
		show "$TMP/install.diff" 30
	elif ! make -C "$SRC" uninstall DESTDIR="$DEST" PREFIX=/usr/local KDIR="$KDIR" >>"$TMP/install.log" 2>&1; then
		fail install "make uninstall failed:"; show "$TMP/install.log"
	elif [ -n "$(cd "$DEST" && find . ! -type d)" ]; then
		fail install "make uninstall left: $(cd "$DEST" && find . ! -type d | xargs)"
	else
		pass install
	fi
fi

# man pages: built by make install above (or here)
if ! why=$(need "scdoc groff" scdoc groff); then
	skip man "$why"
elif ! make -s -C "$SRC" man >"$TMP/man.log" 2>&1; then
	fail man "make man failed:"; show "$TMP/man.log"
else
	warn=
	for page in "$SRC"/man/hvk.1 "$SRC"/man/hvk.4; do
		out=$(LC_ALL=C.UTF-8 groff -ww -man -z "$page" 2>&1)
		[ -z "$out" ] || warn+="$(basename "$page"): $out "
	done
	if [ -n "$warn" ]; then fail man "groff -ww warns: $warn"; else pass man; fi
fi

# help/man/completion agreement, and completion (vmm/hvk built by make install)
if [ ! -x "$SRC/vmm/hvk" ] && ! make -s -C "$SRC" vmm >"$TMP/vmm.log" 2>&1; then
	fail help-man "make vmm failed"; show "$TMP/vmm.log"
elif [ ! -r /usr/share/bash-completion/bash_completion ]; then
	skip help-man "no bash-completion (apt-get install bash-completion)"
	skip completion "no bash-completion (apt-get install bash-completion)"
else
	if "$HERE/help-man.sh" "$SRC" >"$TMP/help-man.log" 2>&1; then
		pass help-man
	else
		fail help-man "hvk's help, man page and completion disagree:"; show "$TMP/help-man.log"
	fi

	comp=$SRC/dist/hvk.bash-completion
	complete() { (cd "$SRC" && "$HERE/complete.sh" "$comp" "$@" | xargs); }
	# A process that looks like a running VMM: comm "hvk", argument "run".
	# (read waits on a FIFO opened read-write: no child to outlive it).
	mkdir -p "$TMP/fake" && cp "$(command -v bash)" "$TMP/fake/hvk" && mkfifo "$TMP/fake/fifo"
	"$TMP/fake/hvk" -c 'read -r -t 60' hvk run guest.elf <>"$TMP/fake/fifo" >/dev/null 2>&1 &
	FAKE_PID=$!
	sleep 0.2
	# Guest kernels: *.elf, an ELF without the suffix, and a text file.
	C=$TMP/comp && mkdir -p "$C" && : >"$C/guest.elf" && echo text >"$C/notes" &&
		cp "$(command -v bash)" "$C/kernel"
	if ! out=$(bash -n "$comp" 2>&1); then
		fail completion "bash -n: $out"
	elif [ "$(complete hvk r)" != run ]; then
		fail completion "'hvk r<TAB>' gives '$(complete hvk r)', not 'run'"
	elif [ "$(complete hvk run "$C/g")" != "$C/guest.elf" ]; then
		fail completion "'hvk run DIR/g<TAB>' gives '$(complete hvk run "$C/g")', not DIR/guest.elf"
	elif [ "$(complete hvk elf "$C/k")" != "$C/kernel" ]; then
		fail completion "'hvk elf DIR/k<TAB>' gives '$(complete hvk elf "$C/k")', not the ELF DIR/kernel"
	elif [ -n "$(complete hvk run "$C/n")" ]; then
		fail completion "'hvk run DIR/n<TAB>' offers DIR/notes, which is not ELF"
	elif ! [[ " $(complete hvk stat '') " == *" $FAKE_PID "* ]]; then
		fail completion "'hvk stat <TAB>' does not offer $FAKE_PID, a running 'hvk run'"
	else
		pass completion
	fi
	kill "$FAKE_PID" 2>/dev/null; FAKE_PID=
fi

# udev rule: its text, then udevadm's reading of it
rule=$REPO/dist/60-hvk.rules
rule_line=$(grep -v '^#' "$rule" | sed '/^$/d')
if [ "$(printf '%s\n' "$rule_line" | wc -l)" != 1 ] ||
   ! [[ $rule_line == *'KERNEL=="hvk"'* && $rule_line == *'GROUP="hvk"'* && $rule_line == *'MODE="0660"'* ]]; then
	fail udev "dist/60-hvk.rules is not one rule with KERNEL==\"hvk\", GROUP=\"hvk\", MODE=\"0660\""
elif ! why=$(need udev udevadm); then
	skip udev "rule text checked; $why"
elif udevadm verify --help >/dev/null 2>&1; then
	if out=$(udevadm verify "$rule" 2>&1); then pass udev; else fail udev "udevadm verify: $out"; fi
elif [ "$(id -u)" != 0 ] || [ ! -d /sys/class/misc ]; then
	skip udev "rule text checked; no 'udevadm verify' (systemd < 253), and 'udevadm test' needs root and /sys/class/misc"
else
	# systemd 252 (Debian 12): udevadm test reads every rules file and names
	# a bad line as FILE:LINE.  The rule sits in /run for that moment only.
	# It also records the device in /run/udev/data: where no udevd made
	# /run/udev (a container), remove all of it again.
	UDEV_RULE=/run/udev/rules.d/60-hvk-check-$$.rules
	made=; [ -d /run/udev ] || made=1
	mkdir -p /run/udev/rules.d && cp "$rule" "$UDEV_RULE"
	dev=$(ls /sys/class/misc | head -n 1)
	udevadm test "/sys/class/misc/$dev" >"$TMP/udev.log" 2>&1
	rm -f "$UDEV_RULE"
	[ -z "$made" ] || rm -r /run/udev
	said=$(grep -F "$UDEV_RULE:" "$TMP/udev.log" | grep -v "Unknown group 'hvk'" || true)
	if ! grep -qF "Reading rules file: $UDEV_RULE" "$TMP/udev.log"; then
		fail udev "udevadm test did not read the rule:"; show "$TMP/udev.log"
	elif [ -n "$said" ]; then
		fail udev "udevadm test: $said"
	else
		pass udev
	fi
fi

# Debian packages and lintian
DEBS=()
if ! why=$(need "dpkg-dev debhelper dh-dkms" dpkg-buildpackage dh dh_dkms); then
	skip deb "$why"; skip lintian "no packages to check"
else
	(cd "$SRC" && make -s -C vmm clean && rm -f man/hvk.1 man/hvk.4 &&
	 dpkg-buildpackage -us -uc -b) >"$TMP/deb.log" 2>&1
	DEBS=("$TMP/hvk_${VERSION}_amd64.deb" "$TMP/hvk-dkms_${VERSION}_all.deb")
	if ! grep -q "^dpkg-buildpackage: info: binary-only" "$TMP/deb.log" || ! ls "${DEBS[@]}" >/dev/null 2>&1; then
		fail deb "dpkg-buildpackage -us -uc -b failed:"; show "$TMP/deb.log"; DEBS=()
	elif ! dpkg-deb -c "${DEBS[1]}" | grep "usr/src/hvk-$VERSION/dkms.conf" >/dev/null ||
	     ! dpkg-deb -c "${DEBS[0]}" | grep "lib/udev/rules.d/60-hvk.rules" >/dev/null; then
		fail deb "the packages lack dkms.conf or the udev rule"
	elif ! dpkg-deb -I "${DEBS[0]}" postinst | grep "systemd-sysusers.*hvk" >/dev/null; then
		fail deb "hvk's postinst does not create group hvk (systemd-sysusers)"
	else
		pass deb
	fi
	if [ ${#DEBS[@]} = 0 ]; then
		skip lintian "no packages"
	elif ! why=$(need lintian lintian); then
		skip lintian "$why"
	elif lintian --fail-on error,warning "$TMP/hvk_${VERSION}_amd64.changes" \
		>"$TMP/lintian.log" 2>&1; then
		pass lintian
	else
		fail lintian "lintian reports errors or warnings:"; show "$TMP/lintian.log"
	fi
fi

# version, once everything is built
"$HERE/check-version.sh" "$SRC" "$(find "$SRC/kmod" -name hvk.ko | head -n 1)" "${DEBS[@]}" \
	>"$TMP/version.log" 2>&1
case $? in
0) pass version ;;
*) fail version "$(grep check-version "$TMP/version.log" | xargs)" ;;
esac

# dkms (started above)
if [ -n "$DKMS_PID" ]; then
	if ! wait "$DKMS_PID"; then
		fail dkms "dkms build -k $KVER failed:"; show "$TMP/dkms.log"
	elif [ "$(cat "$TMP/dkms.version")" != "$VERSION" ]; then
		fail dkms "dkms built hvk.ko version '$(cat "$TMP/dkms.version")', not $VERSION"
	else
		pass dkms
	fi
fi

# chart of a sample table from docs/performance.md
if ! why=$(need gnuplot-nox gnuplot); then
	skip chart "$why"
elif ! "$REPO/tests/bench/chart" "$REPO/tests/bench/testdata/report-tcg-svm.txt" "$TMP/chart" >"$TMP/chart.log" 2>&1; then
	fail chart "tests/bench/chart failed:"; show "$TMP/chart.log"
elif [ "$(head -c 8 "$TMP/chart.png" | od -An -tx1 | xargs)" != "89 50 4e 47 0d 0a 1a 0a" ]; then
	fail chart "chart.png is not a PNG"
elif ! grep -q '<svg' "$TMP/chart.svg" || ! grep -q 'hypercall-null' "$TMP/chart.svg"; then
	fail chart "chart.svg is not an SVG naming the operations"
else
	pass chart
fi

echo "$NPASS passed, $NFAIL failed, $NSKIP skipped"
[ "$NFAIL" = 0 ]
