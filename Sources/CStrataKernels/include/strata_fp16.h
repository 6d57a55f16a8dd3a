#ifndef STRATA_FP16_H
#define STRATA_FP16_H

// Scalar conversions between binary32 and binary16 / bfloat16, portable and exact.
// SIMD code uses F16C instead; both agree bit for bit (round to nearest even, NaN stays NaN).

#include <stdint.h>
#include <string.h>
#include "strata_blocks.h"

#ifdef __cplusplus
extern "C" {
#endif

static inline uint32_t strata_f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float strata_f32_from_bits(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/// Exact binary16 -> binary32 (subnormals, infinities and NaN payloads included).
static inline float strata_fp16_to_f32(strata_fp16 h) {
    const uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0x1fu) {  // inf / NaN
        return strata_f32_from_bits(sign | 0x7f800000u | (mantissa << 13));
    }
    if (exponent == 0) {
        if (mantissa == 0) return strata_f32_from_bits(sign);
        // Subnormal: value = mantissa * 2^-24; normalise it.
        int shift = 0;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            shift++;
        }
        mantissa &= 0x3ffu;
        const uint32_t e32 = (uint32_t)(127 - 15 + 1 - shift);
        return strata_f32_from_bits(sign | (e32 << 23) | (mantissa << 13));
    }
    return strata_f32_from_bits(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
}

/// binary32 -> binary16, round to nearest even; overflow gives infinity, NaN gives a quiet NaN.
static inline strata_fp16 strata_f32_to_fp16(float f) {
    const uint32_t u = strata_f32_bits(f);
    const uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    const uint32_t a = u & 0x7fffffffu;
    if (a >= 0x7f800000u) {  // inf / NaN
        if (a == 0x7f800000u) return (strata_fp16)(sign | 0x7c00u);
        return (strata_fp16)(sign | 0x7e00u | ((a >> 13) & 0x3ffu));
    }
    if (a >= 0x477ff000u) {  // rounds to >= 65520: infinity
        return (strata_fp16)(sign | 0x7c00u);
    }
    if (a < 0x38800000u) {  // below the smallest normal half (2^-14): subnormal or zero
        if (a < 0x33000000u) return sign;  // < 2^-25 rounds to zero (2^-25 itself ties to even zero)
        const uint32_t e = a >> 23;
        const uint32_t m = (a & 0x7fffffu) | 0x800000u;  // 24-bit significand
        // value = m * 2^(e - 150); half subnormal unit is 2^-24 -> shift right by (126 - e).
        const uint32_t shift = 126u - e;
        uint32_t q = m >> shift;
        const uint32_t rem = m & ((1u << shift) - 1u);
        const uint32_t halfway = 1u << (shift - 1u);
        if (rem > halfway || (rem == halfway && (q & 1u))) q++;
        return (strata_fp16)(sign | q);
    }
    // Normal: rebias the exponent and round the 13 dropped bits to nearest even.
    uint32_t v = a - ((uint32_t)(127 - 15) << 23);
    const uint32_t rem = v & 0x1fffu;
    v >>= 13;
    if (rem > 0x1000u || (rem == 0x1000u && (v & 1u))) v++;  // carry into the exponent is correct
    return (strata_fp16)(sign | v);
}

/// bfloat16 -> binary32 (exact: bf16 is the top half of a binary32).
static inline float strata_bf16_to_f32(strata_bf16 h) {
    return strata_f32_from_bits((uint32_t)h << 16);
}

/// binary32 -> bfloat16, round to nearest even; NaN stays a (quiet) NaN.
static inline strata_bf16 strata_f32_to_bf16(float f) {
    const uint32_t u = strata_f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        return (strata_bf16)((u >> 16) | 0x40u);
    }
    return (strata_bf16)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

#ifdef __cplusplus
}
#endif

#endif
