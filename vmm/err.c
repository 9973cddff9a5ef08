/* One-line error messages (see err.h). */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"

int hvk_err_set(struct hvk_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -errnum;
}
