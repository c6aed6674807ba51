/* Test images check lock ranks at every acquire (tessera/lockrank.h). */
#include <tessera/lockrank.h>

const bool lockrank_checks = true;
