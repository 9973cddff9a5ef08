# install.mk, included by Makefile: man pages, make install / uninstall and
# the DKMS source tree.  README.md "Installing" shows them in use.
#
#   make install [DESTDIR=...] [PREFIX=/usr/local]   module + CLI + data
#   make install-module   hvk.ko into /lib/modules/KVER/updates/ (Kbuild's
#                         modules_install), then depmod when DESTDIR is empty
#   make install-cli      hvk, hvk(1), hvk(4), bash completion, udev rule,
#                         sysusers file (group hvk)
#   make install-dkms     the module's sources and dkms.conf in
#                         $(DESTDIR)/usr/src/hvk-VERSION, for 'dkms install'
#   make uninstall        removes what install put in place (not the group)
#
# With an empty DESTDIR, install also creates group hvk and reloads udev.
# tests/package/install.list is the exact list of files install puts in a
# DESTDIR (make check-package compares).

PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
MANDIR       ?= $(PREFIX)/share/man
BASHCOMPDIR  ?= $(PREFIX)/share/bash-completion/completions
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
SYSUSERSDIR  ?= $(PREFIX)/lib/sysusers.d
DKMSSRCDIR   ?= /usr/src
SCDOC        ?= scdoc
HVK_VERSION   = $(shell dist/version.sh)
# The release of the kernel KDIR builds for, as modules_install names its
# directory (Debian's headers: 6.1.0-57-amd64; their kernel.release is 6.1.x).
KVER          = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
                  $(KDIR)/include/generated/utsrelease.h 2>/dev/null)

MAN_PAGES := man/hvk.1 man/hvk.4
# What DKMS needs to build hvk.ko: the delegating Kbuild, kmod/ and the ABI.
DKMS_FILES = Kbuild dkms.conf kmod/Kbuild \
             $(filter-out %.mod.c,$(wildcard kmod/*.[chS] kmod/*/*.[chS])) \
             $(wildcard include/abi/*.h include/abi/*/*.h)

.PHONY: man install install-module install-cli install-dkms uninstall

man: $(MAN_PAGES)

man/%: man/%.scd
	@command -v $(SCDOC) >/dev/null || \
	  { echo "make: $(SCDOC) not found: run 'make deps' (or apt-get install scdoc)" >&2; exit 1; }
	$(SCDOC) <$< >$@.tmp && mv $@.tmp $@

install: install-module install-cli

# Debian's kernels set CONFIG_MODULE_SIG_ALL but ship no signing key, so
# modules_install would try and fail to sign: DKMS signs with its own key.
install-module: kmod
	@test -n "$(KVER)" || { echo "make: no UTS_RELEASE in $(KDIR)/include/generated/utsrelease.h" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates \
	        CONFIG_MODULE_SIG_ALL= modules_install
	test -n "$(DESTDIR)" || depmod -a $(KVER)

install-cli: vmm man
	install -D -m 0755 vmm/hvk $(DESTDIR)$(BINDIR)/hvk
	install -D -m 0644 man/hvk.1 $(DESTDIR)$(MANDIR)/man1/hvk.1
	install -D -m 0644 man/hvk.4 $(DESTDIR)$(MANDIR)/man4/hvk.4
	install -D -m 0644 dist/hvk.bash-completion $(DESTDIR)$(BASHCOMPDIR)/hvk
	install -D -m 0644 dist/60-hvk.rules $(DESTDIR)$(UDEVRULESDIR)/60-hvk.rules
	install -D -m 0644 dist/hvk.sysusers $(DESTDIR)$(SYSUSERSDIR)/hvk.conf
	@if [ -z "$(DESTDIR)" ]; then \
	  getent group hvk >/dev/null || groupadd --system hvk; \
	  ! command -v udevadm >/dev/null || udevadm control --reload 2>/dev/null || true; \
	  ! [ -e /dev/hvk ] || udevadm trigger --action=change /sys/class/misc/hvk 2>/dev/null || true; \
	  echo "install: group hvk may now use /dev/hvk: sudo adduser \$$USER hvk, then log in again"; \
	fi

install-dkms:
	@test -n "$(HVK_VERSION)" || exit 1
	for f in $(DKMS_FILES); do \
	  install -D -m 0644 $$f $(DESTDIR)$(DKMSSRCDIR)/hvk-$(HVK_VERSION)/$$f || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/hvk $(DESTDIR)$(MANDIR)/man1/hvk.1 $(DESTDIR)$(MANDIR)/man4/hvk.4 \
	      $(DESTDIR)$(BASHCOMPDIR)/hvk $(DESTDIR)$(UDEVRULESDIR)/60-hvk.rules \
	      $(DESTDIR)$(SYSUSERSDIR)/hvk.conf
	test -z "$(KVER)" || rm -f $(DESTDIR)/lib/modules/$(KVER)/updates/kmod/hvk.ko
	-rmdir $(DESTDIR)/lib/modules/$(KVER)/updates/kmod 2>/dev/null
	test -n "$(DESTDIR)" || test -z "$(KVER)" || depmod -a $(KVER)
