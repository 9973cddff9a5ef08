#!/usr/bin/env bash
# complete.sh COMPLETION_FILE WORD... : what bash completion offers for the
# command line WORD... with the cursor at the end of the last word (give ''
# for a new empty word), one candidate a line, as bash would after TAB.
# Loads bash-completion's helpers, as an interactive shell does.
set -u
compfile=$1; shift
bc=/usr/share/bash-completion/bash_completion
[ -r "$bc" ] || { echo "complete.sh: no $bc (apt-get install bash-completion)" >&2; exit 2; }
# shellcheck disable=SC1090
. "$bc"
# shellcheck disable=SC1090
. "$compfile"
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
fn=$(complete -p "$1" 2>/dev/null | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || { echo "complete.sh: $compfile registers no completion for $1" >&2; exit 1; }
"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]:-}"
printf '%s\n' "${COMPREPLY[@]}"
