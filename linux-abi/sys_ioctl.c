/*
 * ioctl: the terminal requests libc and shells make. On anything that is
 * not a terminal they give -ENOTTY, as on Linux (isatty() relies on it).
 * On a terminal they answer as a cooked 80x24 console would; settings
 * written are accepted and not kept yet. Requests nobody knows: -ENOTTY,
 * Linux's answer for an unknown ioctl.
 */
#include <tessera/errno.h>
#include <tessera/string.h>
#include <tessera/uapi/ioctls.h>

#include "linux-abi/syscalls.h"
#include "linux-abi/user.h"

static void default_termios(struct termios *tio)
{
	memset(tio, 0, sizeof(*tio));
	tio->c_iflag = ICRNL | IXON;
	tio->c_oflag = OPOST | ONLCR;
	tio->c_cflag = B38400 | CS8 | CREAD;
	tio->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN;
	tio->c_cc[VINTR] = 3;
	tio->c_cc[VQUIT] = 28;
	tio->c_cc[VERASE] = 127;
	tio->c_cc[VKILL] = 21;
	tio->c_cc[VEOF] = 4;
	tio->c_cc[VMIN] = 1;
	tio->c_cc[VSTART] = 17;
	tio->c_cc[VSTOP] = 19;
	tio->c_cc[VSUSP] = 26;
}

/* Read a setting from arg, to check the pointer, and accept it. */
static long accept_setting(struct abi_thread *t, u64 arg, u64 len)
{
	u8 buf[sizeof(struct termios)];

	return abi_copy_in(t, buf, arg, len);
}

static long tty_ioctl(struct abi_thread *t, u64 cmd, u64 arg)
{
	struct termios tio;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	s32 pgrp = (s32)t->proc->pgid;

	switch (cmd) {
	case TCGETS:
		default_termios(&tio);
		return abi_copy_out(t, arg, &tio, sizeof(tio));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return accept_setting(t, arg, sizeof(struct termios));
	case TIOCGWINSZ:
		return abi_copy_out(t, arg, &ws, sizeof(ws));
	case TIOCSWINSZ:
		return accept_setting(t, arg, sizeof(struct winsize));
	case TIOCGPGRP:
		return abi_copy_out(t, arg, &pgrp, sizeof(pgrp));
	case TIOCSPGRP:
		return accept_setting(t, arg, sizeof(pgrp));
	default:
		return -ENOTTY;
	}
}

/* ioctl(fd, cmd, arg) */
long sys_ioctl(struct syscall_args *a)
{
	struct abi_thread *t = a->t;
	int tty = t->proc->ops->fd_is_tty(t, (int)a->a[0]);

	if (tty < 0)
		return tty;
	if (!tty)
		return -ENOTTY;
	return tty_ioctl(t, (u32)a->a[1], a->a[2]);
}
