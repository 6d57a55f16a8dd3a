#ifndef STRATA_KERNELS_H
#define STRATA_KERNELS_H
// Placeholder until the kernels land.
int strata_kernels_version(void);
#endif
