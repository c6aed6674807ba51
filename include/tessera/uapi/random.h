/* getrandom(2) flags (include/uapi/linux/random.h). */
#ifndef TESSERA_UAPI_RANDOM_H
#define TESSERA_UAPI_RANDOM_H

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM 0x0002
#define GRND_INSECURE 0x0004

#endif
