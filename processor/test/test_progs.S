/* The static test programs (build/progs/), as one ustar archive that the
 * test file backend serves; processor/build.mk makes the archive and
 * names it in PTEST_PROGS_TAR. */
	.section .rodata.ptest_progs, "a"
	.balign 512
	.globl ptest_progs_start
ptest_progs_start:
	.incbin PTEST_PROGS_TAR
	.globl ptest_progs_end
ptest_progs_end:
	.section .note.GNU-stack, "", @progbits
