# layout.awk: turn 'pahole -I' output into one line per fact, for diffing:
#
#   struct NAME size N
#   struct NAME member PATH OFFSET SIZE TYPE
#
# Only types declared in a file under -v abidir=DIR/ are kept (sys/ioctl.h
# brings winsize & co.).  Members of nested anonymous unions/structs get a
# dotted PATH (exit.io) and keep pahole's absolute offsets.  Any line inside
# a kept type that is not understood is an error, not skipped: a pahole
# format change must fail the check rather than quietly drop members.

function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); gsub(/[ \t]+/, " ", s); return s }
function die(msg) { print "layout.awk: " msg ": " FILENAME ":" FNR ": " $0 > "/dev/stderr"; err = 1; exit 1 }

# A member line: "TYPE NAME[dims] __attribute__((...)); /* OFF SIZE */".
# Appends "PATH OFF SIZE TYPE" to the entries of nesting level d.
function member(line, d,    off, size, decl, name, type) {
	if (!keep) return            # not ours: its syntax is not our business
	if (!match(line, /\/\*[ \t]*[0-9]+[ \t]+[0-9]+[ \t]*\*\/[ \t]*$/))
		die("member line without /* offset size */")
	split(substr(line, RSTART + 2, RLENGTH - 4), os, " ")
	off = os[1]; size = os[2]
	decl = substr(line, 1, RSTART - 1)
	gsub(/__attribute__\(\([^;]*\)\)/, "", decl)   # pahole's alignment guesses
	decl = trim(decl)
	if (decl !~ /;$/) die("member declaration without ';'")
	decl = trim(substr(decl, 1, length(decl) - 1))
	# NAME is the last identifier, with any array dimensions after it.
	if (!match(decl, /[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])*$/))
		die("cannot find the member name (bit-field or function pointer?)")
	name = substr(decl, RSTART, RLENGTH)
	type = trim(substr(decl, 1, RSTART - 1))
	if (match(name, /\[/)) {                 # dims belong to the type
		type = type substr(name, RSTART)
		name = substr(name, 1, RSTART - 1)
	}
	if (type == "") die("member without a type")
	add(d, name " " off " " size " " type)
}

function add(d, entry) { ent[d, ++n[d]] = entry }

BEGIN { keep = 0; depth = 0; err = 0 }

# "/* <die> FILE:LINE */" precedes each type with -I.
/^\/\* <[0-9a-f]+> .*:[0-9]+ \*\/$/ {
	file = $3; sub(/:[0-9]+$/, "", file)
	next
}

depth == 0 && /^(struct|union) [A-Za-z_][A-Za-z0-9_]* \{$/ {
	keep = (index(file, abidir) == 1)
	kind = $1; tname = $2; tsize = ""
	depth = 1; n[1] = 0
	file = ""
	next
}

depth == 0 { next }         # other types, typedefs, enums, "Used at" lines

# Nested anonymous struct/union: its members come before its name.
/^\t+(struct|union) \{$/ {
	depth++; n[depth] = 0; nkind[depth] = trim($0); sub(/ \{$/, "", nkind[depth])
	next
}

# End of a nested one: "} NAME __attribute__(...); /* OFF SIZE */".
depth > 1 && /^\t+\}/ {
	line = $0; sub(/^\t+\}/, nkind[depth], line)
	d = depth; depth--
	member(line, depth)          # the union itself, then its members
	pname = ent[depth, n[depth]]; sub(/ .*/, "", pname)
	for (i = 1; i <= n[d]; i++)
		add(depth, pname "." ent[d, i])
	next
}

depth == 1 && /^\}/ {              # end of the type: print it
	if (keep) {
		if (tsize == "") die("no '/* size: N' line for " kind " " tname)
		print kind, tname, "size", tsize
		for (i = 1; i <= n[1]; i++)
			print kind, tname, "member", ent[1, i]
	}
	depth = 0
	next
}

/^[ \t]*\/\* size: [0-9]+,/ { tsize = $3; sub(/,$/, "", tsize); next }
/^[ \t]*$/ || /^[ \t]*\/\*.*\*\/[ \t]*$/ { next }   # holes, cachelines...
/\/\*[ \t]*[0-9]+[ \t]+[0-9]+[ \t]*\*\/[ \t]*$/ { member($0, depth); next }
keep { die("unrecognised line") }

END { if (!err && depth != 0) { $0 = ""; die("unterminated type at end of input") } }
