// SPDX-License-Identifier: GPL-2.0
/* Instantiates hvk's tracepoints (trace.h). */
#define CREATE_TRACE_POINTS
#include "trace.h"
