#include "strata_kernels.h"
int strata_kernels_version(void) { return 1; }
