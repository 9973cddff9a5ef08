/*
 * hvk's terminal in raw mode while a guest owns the console: keys go to
 * the guest as typed (Ctrl-C included), and the terminal is put back on
 * every way out of hvk, not only the normal one.
 */
#ifndef HVK_VMM_TERMINAL_H
#define HVK_VMM_TERMINAL_H

#include "err.h"

/*
 * Puts the terminal fd in raw mode (as QEMU's stdio console: no echo, no
 * line editing, no signals from keys, output post-processing kept so hvk's
 * own messages still start at the left margin) and arranges for
 * terminal_restore() to run at exit() and on a fatal signal (SIGSEGV,
 * SIGABRT, SIGPIPE, SIGQUIT...), which then goes on to kill hvk as before.
 * SIGINT, SIGTERM and SIGHUP are vm_run()'s and end the run normally.
 */
int terminal_raw_enter(int fd, struct hvk_err *err);

/* Puts the terminal back as it was; does nothing when it is not raw. */
void terminal_restore(void);

#endif /* HVK_VMM_TERMINAL_H */
