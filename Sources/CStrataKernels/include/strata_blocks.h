#ifndef STRATA_BLOCKS_H
#define STRATA_BLOCKS_H

// Quantized block layouts, byte for byte as ggml stores them in GGUF files.
// Every struct is asserted to the size ggml uses; fields are little endian.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Elements in one block of the "legacy" formats (Q4_0, Q5_0, Q8_0).
#define STRATA_QK 32
/// Elements in one super-block of the K formats (Q4_K, Q5_K, Q6_K, Q8_K).
#define STRATA_QK_K 256
/// Bytes of packed 6-bit scales and mins in Q4_K and Q5_K.
#define STRATA_K_SCALE_SIZE 12

/// IEEE 754 binary16, stored as its bits.
typedef uint16_t strata_fp16;
/// bfloat16 (the top 16 bits of a binary32), stored as its bits.
typedef uint16_t strata_bf16;

/// Q4_0: x = d * (q - 8), q in 0...15. Element j in the low nibble of qs[j], j + 16 in the high nibble.
typedef struct {
    strata_fp16 d;
    uint8_t qs[STRATA_QK / 2];
} strata_block_q4_0;

/// Q5_0: x = d * (q - 16), q in 0...31. Low 4 bits as in Q4_0; bit 4 of element j is bit j of qh (little endian).
typedef struct {
    strata_fp16 d;
    uint8_t qh[4];
    uint8_t qs[STRATA_QK / 2];
} strata_block_q5_0;

/// Q8_0: x = d * q, q in -127...127 (activations use the same layout).
typedef struct {
    strata_fp16 d;
    int8_t qs[STRATA_QK];
} strata_block_q8_0;

/// Q4_K: 8 sub-blocks of 32; x = d * sc * q - dmin * m with 6-bit sc, m packed in `scales`.
/// Each 64 elements take 32 bytes of qs: the first 32 elements in the low nibbles, the next 32 in the high nibbles.
typedef struct {
    strata_fp16 d;
    strata_fp16 dmin;
    uint8_t scales[STRATA_K_SCALE_SIZE];
    uint8_t qs[STRATA_QK_K / 2];
} strata_block_q4_K;

/// Q5_K: as Q4_K with a fifth bit per element in qh (bit 2i for the low half of 64-element chunk i, 2i + 1 for the high half).
typedef struct {
    strata_fp16 d;
    strata_fp16 dmin;
    uint8_t scales[STRATA_K_SCALE_SIZE];
    uint8_t qh[STRATA_QK_K / 8];
    uint8_t qs[STRATA_QK_K / 2];
} strata_block_q5_K;

/// Q6_K: 16 sub-blocks of 16; x = d * scales[s] * (q - 32), q in 0...63 (low 4 bits in ql, high 2 bits in qh).
typedef struct {
    uint8_t ql[STRATA_QK_K / 2];
    uint8_t qh[STRATA_QK_K / 4];
    int8_t scales[STRATA_QK_K / 16];
    strata_fp16 d;
} strata_block_q6_K;

/// Q8_K (activations only): x = d * q, with bsums[i] = the sum of qs[16i ..< 16i + 16].
typedef struct {
    float d;
    int8_t qs[STRATA_QK_K];
    int16_t bsums[STRATA_QK_K / 16];
} strata_block_q8_K;

_Static_assert(sizeof(strata_block_q4_0) == 18, "q4_0 block must be 18 bytes");
_Static_assert(sizeof(strata_block_q5_0) == 22, "q5_0 block must be 22 bytes");
_Static_assert(sizeof(strata_block_q8_0) == 34, "q8_0 block must be 34 bytes");
_Static_assert(sizeof(strata_block_q4_K) == 144, "q4_K block must be 144 bytes");
_Static_assert(sizeof(strata_block_q5_K) == 176, "q5_K block must be 176 bytes");
_Static_assert(sizeof(strata_block_q6_K) == 210, "q6_K block must be 210 bytes");
_Static_assert(sizeof(strata_block_q8_K) == 292, "q8_K block must be 292 bytes");

#ifdef __cplusplus
}
#endif

#endif
