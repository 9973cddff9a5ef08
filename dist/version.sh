#!/bin/sh
# Print hvk's release version.  It has one home, HVK_MODULE_MAJOR and
# HVK_MODULE_MINOR in kmod/main.c (also the module's MODULE_VERSION); the
# CLI (hvk --version), dkms.conf and debian/changelog follow it, and
# tests/package/check-version.sh fails when one of them drifts.
set -eu
main=$(dirname "$0")/../kmod/main.c
major=$(sed -n 's/^#define HVK_MODULE_MAJOR[[:space:]]*//p' "$main")
minor=$(sed -n 's/^#define HVK_MODULE_MINOR[[:space:]]*//p' "$main")
[ -n "$major" ] && [ -n "$minor" ] || { echo "version.sh: no HVK_MODULE_MAJOR/MINOR in $main" >&2; exit 1; }
echo "$major.$minor"
