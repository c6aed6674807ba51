# Static Linux x86-64 test programs, built with the host's compilers into
# build/progs/. TEST_PROGS lists them, for the rule that puts them into the
# storage image; `make build/progs/<name>` builds one.
#
#   hello-musl    musl static hello        hello-glibc  glibc static hello
#   hello-pie     glibc static-pie hello   exit3        exits with status 3
#   nullderef     dies of SIGSEGV          efault       write() of a bad pointer
#   memtest       writes and checks N MiB (argv[1], default 64)
#   sigself       signals a process sends itself (handlers, masks, frames)
#   pipes         pipes, fcntl, poll and select in one process
#   forks         fork, wait, process groups; "mem N": fork of N MiB
#   execs         execve: limits, errors, argv/envp, close-on-exec, scripts
#   timers        alarm and setitimer, interrupted and restarted reads, sleeps
#   fsyncer       writes files, fsyncs each, prints its name (fs-crash)
#   spinners      N CPU-bound threads (bench: 2 CPUs against 1; smp-threads)
#   threadmem     T threads touching their parts of N MiB (bench: ExCache
#                 miss throughput, 4 threads against 1)
#   shell.sh      a busybox sh script: functions, loops, subshells, $(...),
#                 pipelines, a here-document, trap (scenario run-shell)
#   bash.sh       the same kind of script for bash, with bash's own syntax
#                 (scenario run-bash)
#   sysfuzz       random system calls with hostile arguments (run-fuzz);
#                 never run it on the host
#
# The bench's workloads (tools/bench.py), run the same in a vNode and in a
# Linux guest:
#   hashtab       random access: hash table inserts and lookups
#   sqlbench      SQLite (libsqlite3.a) on an in-memory database, a fixed
#                 query mix
#   wordcount     Phoenix-style word count of a file
#   gentext       writes the deterministic text that sort and wordcount read
#   procbench     fork+exit+wait latency and a pipe ping-pong round trip

PROGS_DIR := $(BUILD)/progs
PROGS_CFLAGS := -O2 -g -Wall -Wextra -Werror
PROGS_MUSL := exit3 nullderef efault memtest sigself pipes forks execs timers hashtab wordcount gentext \
	fsyncer procbench sysfuzz spinners threadmem

TEST_PROGS := $(addprefix $(PROGS_DIR)/,hello-musl hello-glibc hello-pie \
	$(PROGS_MUSL) sqlbench shell.sh bash.sh)

$(PROGS_DIR)/shell.sh $(PROGS_DIR)/bash.sh: $(PROGS_DIR)/%.sh: tests/progs/%.sh
	@mkdir -p $(dir $@)
	@cp $< $@

$(PROGS_DIR)/hello-musl: tests/progs/hello.c
	@mkdir -p $(dir $@)
	@echo "  MUSL $@"
	@musl-gcc -static $(PROGS_CFLAGS) -o $@ $<

$(PROGS_DIR)/hello-glibc: tests/progs/hello.c
	@mkdir -p $(dir $@)
	@echo "  GLIBC $@"
	@$(HOSTCC) -static $(PROGS_CFLAGS) -o $@ $<

$(PROGS_DIR)/hello-pie: tests/progs/hello.c
	@mkdir -p $(dir $@)
	@echo "  GLIBC $@ (static-pie)"
	@$(HOSTCC) -static-pie -fPIE $(PROGS_CFLAGS) -o $@ $<

# Debian's libsqlite3.a may call dlopen (extensions, never loaded here):
# glibc's static-link warning about it is expected.
$(PROGS_DIR)/sqlbench: tests/progs/sqlbench.c
	@mkdir -p $(dir $@)
	@echo "  GLIBC $@ (libsqlite3.a)"
	@$(HOSTCC) -static $(PROGS_CFLAGS) -o $@ $< -lsqlite3 -lm 2>&1 | \
		grep -v "dlopen\|unixDlOpen" >&2 || true
	@test -x $@

$(addprefix $(PROGS_DIR)/,$(PROGS_MUSL)): $(PROGS_DIR)/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	@echo "  MUSL $@"
	@musl-gcc -static $(PROGS_CFLAGS) -o $@ $<

progs: $(TEST_PROGS)

# The ELF loader's host tests read and run these binaries.
$(BUILD)/host/test/elf_load $(BUILD)/host/test/exec_stack: | $(TEST_PROGS)

.PHONY: progs
