/*
 * abi_value.h: integer values read from the compiler, not from a program
 * run.  The checks of tests/abi compare what -m32 and -m64 make of the same
 * headers; running a -m32 program for that needs a kernel that executes
 * i386 binaries, and CI's and developers' kernels need not (a kernel built
 * without CONFIG_IA32_EMULATION answers "Exec format error").  So, as Kbuild
 * does for asm-offsets, each value is an immediate operand of an asm
 * statement compiled with -S, and the script reads it from the assembly:
 *
 *     ABI_VALUE(KEY, expression);
 *
 * puts the line
 *
 *     .ascii "@abi KEY $HIGH $LOW $SIZE"
 *
 * into the assembly: the expression's value converted to 64 bits, as two
 * 32-bit halves printed signed, and its sizeof.  Halves, because an i386
 * or x86-64 immediate of 64 bits is not a valid operand ("n" takes it only
 * in 32 bits).  KEY is one token without spaces.  ABI_VALUE must stand in a
 * function; a non-constant expression is a compile error ("impossible
 * constraint"), never a wrong value.  lib.sh's abi_values() decodes the
 * lines to "KEY 0xVALUE SIZE".
 */
#ifndef HVK_TESTS_ABI_VALUE_H
#define HVK_TESTS_ABI_VALUE_H

#define ABI_VALUE(key, e) \
	__asm__ volatile("\n.ascii \"@abi " key " %0 %1 %2\"" : : \
		"n"((unsigned int)((unsigned long long)(e) >> 32)), \
		"n"((unsigned int)(unsigned long long)(e)), \
		"n"((unsigned int)sizeof(e)))

#endif
