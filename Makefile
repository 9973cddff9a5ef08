# hvk: top-level build and test entry points.  The target names are relied on
# by README.md, .ci/run and the issues; see docs/testing.md.
#
#   make               build kmod/hvk.ko, vmm/hvk and the guests
#   make deps          install build/test dependencies with apt-get (idempotent)
#   make demo          deps + build + run the demo guest (nested if no VT-x/AMD-V)
#   make demo-linux    deps + build + boot this host's Linux kernel on hvk to a
#                      shell on the terminal (docs/linux.md; nested likewise)
#   make check         deps + build + check-abi + check-unit + check-native +
#                      check-bench-tools + check-package + check-nested on
#                      every backend that can run here
#   make check-bench-tools  vmm-probe and the bench report on the host (seconds)
#   make check-nested BACKEND=tcg-svm|bochs-vmx|kvm
#   make check-nested-full BACKEND=...   also the guest-table rows marked too
#                      slow for that backend in make check (guests.table)
#   make check-linux BACKEND=tcg-svm|bochs-vmx|kvm   only the Linux guest's
#                      tests (tests/nested/tests/80-linux.sh); under Bochs
#                      they run only here, not in make check (minutes each)
#   make bench BACKEND=tcg-svm|bochs-vmx|kvm   hvk and KVM side by side in
#                      one L1 (docs/performance.md); not part of make check
#   make check-fuzz-host  the loader/PVH fuzzers (tests/fuzz): corpus replay
#                      and a short bounded fuzz, host only; make check runs it
#   make fuzz          the same fuzzers for long (docs/testing.md, "Fuzzing"),
#                      and the ioctl fuzzer for 10^7 operations under tcg-svm
#   make install / uninstall / install-dkms [DESTDIR=] [PREFIX=]   install.mk
#   make check-package the install, the Debian packages (lintian), dkms build,
#                      man pages, help/man agreement, completion, version,
#                      udev rule, bench chart: host only (docs/testing.md)

# Evaluated only when a recipe needs it, so 'make deps' works without headers.
KDIR ?= $(shell tests/tools/kdir.sh)
BACKEND ?= tcg-svm

.PHONY: all kmod vmm guests progs deps demo demo-linux check check-abi check-unit \
        check-native check-bench-tools check-nested check-nested-full check-linux bench clean \
        check-package check-fuzz-host fuzz fuzz-host fuzz-nested

all: kmod vmm guests

kmod:
	@test -n "$(KDIR)" || { echo "make: no kernel headers (run 'make deps')" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

vmm:
	$(MAKE) -C vmm

guests:
	$(MAKE) -C guests

# Host-side test programs the nested suite runs in the L1 (64- and 32-bit).
progs:
	$(MAKE) -C tests/progs

deps:
	tests/tools/deps.sh

demo: deps
	$(MAKE) all
	tests/tools/demo.sh

demo-linux: deps
	$(MAKE) all
	tests/tools/demo-linux.sh

check: deps
	$(MAKE) all
	$(MAKE) check-abi
	$(MAKE) check-unit
	$(MAKE) check-fuzz-host
	$(MAKE) check-native
	$(MAKE) check-bench-tools
	$(MAKE) check-package
	@set -e; backends=$$(tests/nested/run --list-available); \
	echo "check: nested backends that can run here: $$backends"; \
	for b in $$backends; do $(MAKE) check-nested BACKEND=$$b; done

check-abi:
	$(MAKE) -C tests/abi

check-unit:
	$(MAKE) -C tests/unit

# libFuzzer on the VMM's loader and PVH layout (clang, ASan + UBSan).
check-fuzz-host:
	$(MAKE) -C tests/fuzz check

fuzz: fuzz-host fuzz-nested

fuzz-host:
	$(MAKE) -C tests/fuzz fuzz

# The ioctl fuzzer at 10^7 operations (tests/nested/tests/25-fuzz-ioctl.sh),
# about 18 minutes under tcg-svm (Dec 2 2026: 1,055 s).
fuzz-nested: all progs
	tests/nested/run --backend tcg-svm --timeout 5400 \
		--append 'hvktest.only=fuzz-ioctl hvktest.fuzz=long'

# The guests under plain QEMU (no hvk): the guest library's native path.
check-native: guests
	$(MAKE) -C guests check-native

# The benchmark's tools (vmm-probe, the report) on the host, in seconds.
check-bench-tools: progs
	tests/bench/check-tools.sh

# Host only, in a copy of the tree: never builds or cleans in this one.
check-package:
	tests/package/check.sh

check-nested: all progs
	tests/nested/run --backend $(BACKEND)

check-nested-full: all progs
	tests/nested/run --backend $(BACKEND) --append hvktest.full=1

check-linux: all progs
	tests/nested/run --backend $(BACKEND) --linux

bench: all progs
	tests/nested/run --backend $(BACKEND) --bench

clean:
	-test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C vmm clean
	$(MAKE) -C guests clean
	$(MAKE) -C tests/abi clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
	$(MAKE) -C tests/progs clean
	rm -rf tests/nested/out
	rm -f $(MAN_PAGES)

include install.mk
