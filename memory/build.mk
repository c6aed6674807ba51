ksrcs-memory += memory/role.c
ksrcs-memory += memory/mem_kalloc.c memory/vma.c memory/vma_space.c
ksrcs-memory += memory/pstore.c memory/vregion.c memory/mem_proc.c \
	memory/mem_home.c memory/mem_owner.c memory/mem_route.c memory/mem_line.c
