/* One-line error messages that name the file, the field and the limit. */
#ifndef HVK_VMM_ERR_H
#define HVK_VMM_ERR_H

struct hvk_err {
	char msg[256];
};

/* Formats err->msg (if err is not NULL) and returns -errnum. */
int hvk_err_set(struct hvk_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* HVK_VMM_ERR_H */
