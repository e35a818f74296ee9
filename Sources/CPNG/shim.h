#ifndef ZEROERRAND_CPNG_SHIM_H
#define ZEROERRAND_CPNG_SHIM_H
#include <png.h>
#endif
