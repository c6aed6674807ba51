/* Linux x86-64 ioctl numbers and the tty structures they carry
 * (include/uapi/asm-generic/ioctls.h, termbits.h). struct termios here is
 * the kernel's (NCCS 19, 36 bytes), not glibc's larger user-side one. */
#ifndef TESSERA_UAPI_IOCTLS_H
#define TESSERA_UAPI_IOCTLS_H

#include <tessera/types.h>

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCSCTTY 0x540E
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD 0x541B
#define FIONBIO 0x5421
#define TIOCNOTTY 0x5422
#define TIOCGPTN 0x80045430
#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIOASYNC 0x5452

#define NCCS 19

struct termios {
	u32 c_iflag;
	u32 c_oflag;
	u32 c_cflag;
	u32 c_lflag;
	u8 c_line;
	u8 c_cc[NCCS];
};
_Static_assert(sizeof(struct termios) == 36, "kernel termios is 36 bytes");
_Static_assert(offsetof(struct termios, c_cc) == 17, "termios.c_cc");

struct winsize {
	u16 ws_row;
	u16 ws_col;
	u16 ws_xpixel;
	u16 ws_ypixel;
};
_Static_assert(sizeof(struct winsize) == 8, "winsize is 8 bytes");

/* c_cc indices and the flag bits a sane cooked terminal sets. */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSTART 8
#define VSTOP 9
#define VSUSP 10

#define ICRNL 0000400
#define IXON 0002000
#define OPOST 0000001
#define ONLCR 0000004
#define B38400 0000017
#define CS8 0000060
#define CREAD 0000200
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define IEXTEN 0100000

#endif
