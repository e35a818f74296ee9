#ifndef ZEROERRAND_CQRENCODE_SHIM_H
#define ZEROERRAND_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
