// The kernel tables: immutable sets of function pointers, one per ISA, chosen at run time.

#include "kernels_internal.h"

struct strata_kernel_table {
    const char *name;
    strata_type_kernels types[STRATA_TYPE_SLOTS];
};

#define STRATA_F32_ACTIVATIONS strata_quantize_row_f32, STRATA_TYPE_F32, 1, sizeof(float)
#define STRATA_Q8_0_ACTIVATIONS strata_quantize_row_q8_0, STRATA_TYPE_Q8_0, STRATA_QK, sizeof(strata_block_q8_0)
#define STRATA_Q8_K_ACTIVATIONS strata_quantize_row_q8_K, STRATA_TYPE_Q8_K, STRATA_QK_K, sizeof(strata_block_q8_K)
#define STRATA_Q8_0_ACTIVATIONS_AVX2 \
    strata_quantize_row_q8_0_avx2, STRATA_TYPE_Q8_0, STRATA_QK, sizeof(strata_block_q8_0)
#define STRATA_Q8_K_ACTIVATIONS_AVX2 \
    strata_quantize_row_q8_K_avx2, STRATA_TYPE_Q8_K, STRATA_QK_K, sizeof(strata_block_q8_K)

#define STRATA_ENTRY(dequant, wfmt, afmt, isa, ACTIVATIONS)                                                   \
    {strata_dequantize_row_##wfmt##_##dequant, strata_vec_dot_##wfmt##_##afmt##_##isa,                       \
     strata_mul_tile_##wfmt##_##afmt##_##isa, ACTIVATIONS}

static const strata_kernel_table strata_reference_table = {
    .name = "reference",
    .types = {
        [STRATA_TYPE_F32] = STRATA_ENTRY(ref, f32, f32, ref, STRATA_F32_ACTIVATIONS),
        [STRATA_TYPE_F16] = STRATA_ENTRY(ref, f16, f32, ref, STRATA_F32_ACTIVATIONS),
        [STRATA_TYPE_BF16] = STRATA_ENTRY(ref, bf16, f32, ref, STRATA_F32_ACTIVATIONS),
        [STRATA_TYPE_Q8_0] = STRATA_ENTRY(ref, q8_0, q8_0, ref, STRATA_Q8_0_ACTIVATIONS),
        [STRATA_TYPE_Q4_0] = STRATA_ENTRY(ref, q4_0, q8_0, ref, STRATA_Q8_0_ACTIVATIONS),
        [STRATA_TYPE_Q5_0] = STRATA_ENTRY(ref, q5_0, q8_0, ref, STRATA_Q8_0_ACTIVATIONS),
        [STRATA_TYPE_Q4_K] = STRATA_ENTRY(ref, q4_K, q8_K, ref, STRATA_Q8_K_ACTIVATIONS),
        [STRATA_TYPE_Q5_K] = STRATA_ENTRY(ref, q5_K, q8_K, ref, STRATA_Q8_K_ACTIVATIONS),
        [STRATA_TYPE_Q6_K] = STRATA_ENTRY(ref, q6_K, q8_K, ref, STRATA_Q8_K_ACTIVATIONS),
    },
};

#if defined(__x86_64__)
#include <cpuid.h>

/// AVX2, FMA and F16C present, and the OS saves the AVX registers (XCR0 bits 1 and 2).
static int strata_cpu_has_avx2_fma_f16c(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned fma = 1u << 12, osxsave = 1u << 27, avx = 1u << 28, f16c = 1u << 29;
    if ((ecx & (fma | osxsave | avx | f16c)) != (fma | osxsave | avx | f16c)) return 0;
    unsigned xcr0_lo, xcr0_hi;
    __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    if ((xcr0_lo & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & (1u << 5)) != 0;  // AVX2
}

static const strata_kernel_table strata_avx2_table = {
    .name = "avx2",
    .types = {
        [STRATA_TYPE_F32] = STRATA_ENTRY(ref, f32, f32, avx2, STRATA_F32_ACTIVATIONS),
        [STRATA_TYPE_F16] = STRATA_ENTRY(avx2, f16, f32, avx2, STRATA_F32_ACTIVATIONS),
        [STRATA_TYPE_BF16] = STRATA_ENTRY(avx2, bf16, f32, avx2, STRATA_F32_ACTIVATIONS),
        [STRATA_TYPE_Q8_0] = STRATA_ENTRY(avx2, q8_0, q8_0, avx2, STRATA_Q8_0_ACTIVATIONS_AVX2),
        [STRATA_TYPE_Q4_0] = STRATA_ENTRY(avx2, q4_0, q8_0, avx2, STRATA_Q8_0_ACTIVATIONS_AVX2),
        [STRATA_TYPE_Q5_0] = STRATA_ENTRY(avx2, q5_0, q8_0, avx2, STRATA_Q8_0_ACTIVATIONS_AVX2),
        [STRATA_TYPE_Q4_K] = STRATA_ENTRY(avx2, q4_K, q8_K, avx2, STRATA_Q8_K_ACTIVATIONS_AVX2),
        [STRATA_TYPE_Q5_K] = STRATA_ENTRY(avx2, q5_K, q8_K, avx2, STRATA_Q8_K_ACTIVATIONS_AVX2),
        [STRATA_TYPE_Q6_K] = STRATA_ENTRY(avx2, q6_K, q8_K, avx2, STRATA_Q8_K_ACTIVATIONS_AVX2),
    },
};
#endif

const strata_kernel_table *strata_kernels_reference(void) {
    return &strata_reference_table;
}

const strata_kernel_table *strata_kernels_best(void) {
#if defined(__x86_64__)
    if (strata_cpu_has_avx2_fma_f16c()) return &strata_avx2_table;
#endif
    return &strata_reference_table;
}

const char *strata_kernel_table_name(const strata_kernel_table *table) {
    return table->name;
}

const strata_type_kernels *strata_kernels_for_type(const strata_kernel_table *table, uint32_t type) {
    if (type >= STRATA_TYPE_SLOTS || table->types[type].vec_dot == NULL) return NULL;
    return &table->types[type];
}
