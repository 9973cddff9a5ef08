/* The console's escape key (see console_escape.h). */
#include "console_escape.h"

enum console_escape_command console_escape_filter(struct console_escape *esc,
						  const char *in, size_t n,
						  char *out, size_t *out_len)
{
	enum console_escape_command cmd = CONSOLE_ESCAPE_NONE;
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		if (!esc->pending) {
			if (c == CONSOLE_ESCAPE_KEY)
				esc->pending = true;
			else
				out[len++] = c;
			continue;
		}
		esc->pending = false;
		if (c == CONSOLE_ESCAPE_KEY) {
			out[len++] = c;
		} else if (c == 'x' || c == 'X') {
			cmd = CONSOLE_ESCAPE_QUIT;
			break;
		} else if (c == 'h' || c == 'H' || c == '?') {
			cmd = CONSOLE_ESCAPE_SHOW_HELP;
		}
		/* else: an unknown command, dropped with its Ctrl-a. */
	}
	*out_len = len;
	return cmd;
}
