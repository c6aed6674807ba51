ksrcs-processor += processor/role.c
