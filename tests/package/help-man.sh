#!/usr/bin/env bash
# help-man.sh TREE: hvk's help, its man page and its bash completion agree.
#  - the commands 'hvk --help' lists are the man page's "## hvk CMD" sections;
#  - each command's options (--word) in 'hvk CMD --help' are the options its
#    section documents (lines "*--word*"), and what the completion offers
#    after 'hvk CMD --' (--help aside: every command takes it);
#  - the top-level options of 'hvk --help' are the man page's OPTIONS;
#  - every exit code of vmm/commands.h is in the man page's EXIT STATUS
#    and in 'hvk run --help', and the man page lists no other.
# Prints each difference; exit 1 if there is one.
set -uo pipefail
tree=$1
hvk=$tree/vmm/hvk
man=$tree/man/hvk.1.scd
comp=$tree/dist/hvk.bash-completion
here=$(dirname "$0")
bad=0

differ() {	# differ WHAT A_NAME A_LIST B_NAME B_LIST
	local only_a only_b
	only_a=$(comm -23 <(tr ' ' '\n' <<<"$3" | sed '/^$/d' | sort -u) <(tr ' ' '\n' <<<"$5" | sed '/^$/d' | sort -u) | xargs)
	only_b=$(comm -13 <(tr ' ' '\n' <<<"$3" | sed '/^$/d' | sort -u) <(tr ' ' '\n' <<<"$5" | sed '/^$/d' | sort -u) | xargs)
	[ -z "$only_a$only_b" ] && return 0
	echo "help-man: $1: only in $2: '${only_a}'; only in $4: '${only_b}'" >&2
	bad=1
}

# The lines of section "# NAME" or "## NAME" (to the next heading of that level or above).
man_section() {
	awk -v want="$1" '
	/^#+ / { if (on && length($1) <= level) on = 0 }
	$0 == want || index($0, want " ") == 1 { on = 1; level = length($1); next }
	on' "$man"
}
opts() { grep -o -- '--[a-z][a-z0-9-]*' | grep -vx -- --help | sort -u | xargs; }

help=$("$hvk" --help) || { echo "help-man: hvk --help failed" >&2; exit 1; }
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' <<<"$help" | xargs)
[ -n "$cmds" ] || { echo "help-man: no commands in hvk --help" >&2; exit 1; }
differ commands "hvk --help" "$cmds" "hvk.1" "$(sed -n 's/^## hvk \([a-z]*\).*/\1/p' "$man" | xargs)"
differ "top-level options" "hvk --help" "$(opts <<<"$help")" "hvk.1 OPTIONS" \
	"$(man_section '# OPTIONS' | grep '^\*--' | opts)"

for c in $cmds; do
	h=$("$hvk" "$c" --help) || { echo "help-man: hvk $c --help exits $?" >&2; bad=1; continue; }
	help_opts=$(opts <<<"$h")
	differ "hvk $c" "hvk $c --help" "$help_opts" "hvk.1" \
		"$(man_section "## hvk $c" | grep '^\*--' | opts)"
	differ "hvk $c" "hvk $c --help" "$help_opts" "the completion" \
		"$("$here/complete.sh" "$comp" hvk "$c" -- | opts)"
	echo "    hvk $c: ${help_opts:-no options}"
done

codes=$(sed -n 's/^[[:space:]]*HVK_EXIT_CODE_[A-Z_]*[[:space:]]*=[[:space:]]*\([0-9]*\),.*/\1/p' \
	"$tree/vmm/commands.h" | sed 's/^128$/128+N/' | xargs)
differ "exit codes" commands.h "$codes" "hvk.1 EXIT STATUS" \
	"$(man_section '# EXIT STATUS' | sed -n 's/^\*\([0-9+N]*\)\*$/\1/p' | xargs)"
differ "exit codes" commands.h "$codes" "hvk run --help" \
	"$("$hvk" run --help | sed -n '/^Exit codes:/,$p' | grep -o '[0-9][0-9+N]*' | sed 's/^128+$/128+N/' | xargs)"
exit $bad
