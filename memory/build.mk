ksrcs-memory += memory/role.c
