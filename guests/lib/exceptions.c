/* SPDX-License-Identifier: MIT */
#include "cpu.h"
#include "exceptions.h"
#include "shutdown.h"

static const char *const exception_names[EXCEPTION_VECTORS] = {
	[0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF",
	[5] = "#BR", [6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS",
	[11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
	[17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
	[28] = "#HV", [29] = "#VC", [30] = "#SX",
};

void exception_report(unsigned long vector, unsigned long error_code,
		      unsigned long ip, unsigned long cs)
{
	const char *name = vector < EXCEPTION_VECTORS && exception_names[vector]
			   ? exception_names[vector] : "?";

	guest_fail("exception %lu (%s), error code 0x%lx, at %lx:%lx, cr2 0x%lx",
		   vector, name, error_code, cs, ip, read_cr2());
}
