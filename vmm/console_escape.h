/*
 * The console's escape key, as QEMU's -serial mon:stdio has it: when hvk's
 * stdin is a terminal (in raw mode, so Ctrl-C goes to the guest), Ctrl-a
 * starts a command for hvk itself:
 *
 *   Ctrl-a x        end the run (exit code HVK_EXIT_CODE_CONSOLE_QUIT)
 *   Ctrl-a Ctrl-a   send one Ctrl-a to the guest
 *   Ctrl-a h or ?   print this list on stderr
 *
 * Any other key after Ctrl-a is dropped, with the Ctrl-a (as QEMU does).
 * A Ctrl-a at the end of one read() waits for the next read's first byte.
 * Pure logic (tests/unit/test_console_escape.c).
 */
#ifndef HVK_VMM_CONSOLE_ESCAPE_H
#define HVK_VMM_CONSOLE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_ESCAPE_KEY   0x01    /* Ctrl-a */
#define CONSOLE_ESCAPE_HELP  "hvk: console keys: Ctrl-a x quit (exit 18), " \
			     "Ctrl-a Ctrl-a sends Ctrl-a, Ctrl-a h this help"

struct console_escape {
	bool pending;           /* the last byte seen was an unpaired Ctrl-a */
};

/* What the bytes asked hvk to do, besides passing the rest on. */
enum console_escape_command {
	CONSOLE_ESCAPE_NONE,
	CONSOLE_ESCAPE_QUIT,    /* Ctrl-a x: bytes after it are dropped */
	CONSOLE_ESCAPE_SHOW_HELP,
};

/*
 * Filters n bytes typed at the terminal: the guest's bytes go to out (at
 * most n of them), their count to *out_len.  Returns the command seen;
 * after a help request filtering goes on, a quit stops it.
 */
enum console_escape_command console_escape_filter(struct console_escape *esc,
						  const char *in, size_t n,
						  char *out, size_t *out_len);

#endif /* HVK_VMM_CONSOLE_ESCAPE_H */
