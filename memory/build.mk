ksrcs-memory += memory/role.c
ksrcs-memory += memory/mem_kalloc.c memory/vma.c memory/vma_space.c
