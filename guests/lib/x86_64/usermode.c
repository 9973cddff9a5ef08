/* SPDX-License-Identifier: MIT */
#include "../exceptions.h"
#include "usermode.h"

long usermode_enter(long (*fn)(void), void *user_stack_top);   /* usermode_switch.S */
void usermode_return(void);

long usermode_call(long (*fn)(void), void *user_stack_top)
{
	idt_set_gate(USERMODE_RETURN_VECTOR, usermode_return, 3);
	return usermode_enter(fn, user_stack_top);
}
