# Compilers and flags for the two worlds: the freestanding kernel and Linux
# user space (daemons, tools, host tests).

CC      ?= gcc
LD      ?= ld
HOSTCC  ?= gcc

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter -Wstrict-prototypes \
           -Wmissing-prototypes -Wshadow -Wvla

KCFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdinc \
           -isystem $(shell $(CC) -print-file-name=include) \
           -mno-red-zone -mcmodel=kernel -mgeneral-regs-only -mno-sse -mno-mmx \
           -fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
           -fno-asynchronous-unwind-tables -fno-strict-aliasing \
           -Iinclude -I. -MMD -MP
KASFLAGS := -g -Wa,--noexecstack -Iinclude -I. -MMD -MP -D__ASSEMBLY__
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments

HCFLAGS := -std=gnu11 -O2 -g $(WARN) -fno-strict-aliasing -Iinclude -I. \
           -MMD -MP -pthread
HLDFLAGS := -pthread

# Sanitized host tests (make host-san) and libFuzzer targets (make fuzz):
# every report is fatal, so a finding fails the run.
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
FUZZCC  ?= clang
FCFLAGS := $(filter-out -O2,$(HCFLAGS)) -O1 -Wno-unknown-warning-option \
           -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
FUZZFLAGS := -fsanitize=fuzzer,address,undefined
