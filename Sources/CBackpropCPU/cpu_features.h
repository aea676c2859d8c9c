// What the processor and the operating system let the Backprop engine use: one question,
// answered with CPUID and XGETBV. Header only (static inline), so that swiftc compiles it into
// the engine without a C compiler step.
#ifndef BACKPROP_CPU_FEATURES_H
#define BACKPROP_CPU_FEATURES_H

#if defined(__x86_64__)
#include <cpuid.h>

/// 1 when the 512-bit micro-kernel can run: the CPU has AVX-512 F, DQ, BW and VL (what code
/// generated for skylake-avx512 may use), and the OS saves the opmask and all 32 ZMM registers
/// (XCR0 bits 1, 2, 5, 6, 7) across context switches; else 0.
static inline int backprop_cpu_runs_avx512(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const unsigned int osxsave = 1u << 27, avx = 1u << 28;
    if ((ecx & (osxsave | avx)) != (osxsave | avx)) return 0;
    unsigned int xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    const unsigned int zmmState = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((xcr0_low & zmmState) != zmmState) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const unsigned int needed = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31); // F, DQ, BW, VL
    return (ebx & needed) == needed;
}
#else
static inline int backprop_cpu_runs_avx512(void) { return 0; }
#endif

#endif
