#ifndef ZEROERRAND_CTURBOJPEG_SHIM_H
#define ZEROERRAND_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
