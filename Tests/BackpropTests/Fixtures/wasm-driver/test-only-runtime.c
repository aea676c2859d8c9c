/*
 * TEST-ONLY C runtime for script/engine-wasm-check. NOT FOR PRODUCTION.
 *
 * Just enough for the Embedded Swift engine to link into a WebAssembly module with no imports:
 * a bump allocator that never frees, byte-by-byte memory routines, the 128-bit multiply that
 * Random's multipliedFullWidth needs, and a placeholder fma.
 *
 * The placeholder fma computes x * y + z with two roundings: it is NOT correctly rounded, so
 * results that go through it may differ from the native engine's in the last bits. Production
 * needs a correctly rounded fma (and a real allocator) instead of this file.
 *
 * Compiled with: clang --target=wasm32-unknown-unknown -nostdlib -O2 -fno-builtin -ffp-contract=off -c
 */
typedef __SIZE_TYPE__ size_t;
typedef __UINTPTR_TYPE__ uintptr_t;

extern unsigned char __heap_base;
static uintptr_t heap_top = 0;

/* Each block is preceded by its size, so that realloc knows how much to copy. */
#define HEADER 16

static void *bump(size_t size, size_t alignment) {
    if (alignment < HEADER) alignment = HEADER;
    if (heap_top == 0) heap_top = (uintptr_t)&__heap_base;
    uintptr_t block = (heap_top + HEADER + alignment - 1) & ~(uintptr_t)(alignment - 1);
    uintptr_t end = block + size;
    uintptr_t limit = (uintptr_t)__builtin_wasm_memory_size(0) * 65536;
    if (end > limit) {
        uintptr_t pages = (end - limit + 65535) / 65536;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return 0;
    }
    ((size_t *)block)[-1] = size;
    heap_top = end;
    return (void *)block;
}

int posix_memalign(void **out, size_t alignment, size_t size) {
    void *p = bump(size, alignment);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}

void *malloc(size_t size) { return bump(size, HEADER); }

void free(void *p) { (void)p; /* a bump allocator never frees */ }

void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++) d[i] = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++) d[i] = s[i];
    return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        for (size_t i = 0; i < n; i++) d[i] = s[i];
    } else {
        for (size_t i = n; i > 0; i--) d[i - 1] = s[i - 1];
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

void *calloc(size_t count, size_t size) {
    if (size != 0 && count > (size_t)-1 / size) return 0;
    void *p = malloc(count * size);
    return p ? memset(p, 0, count * size) : 0;
}

void *realloc(void *old, size_t size) {
    void *p = malloc(size);
    if (p && old) {
        size_t oldSize = ((size_t *)old)[-1];
        memcpy(p, old, oldSize < size ? oldSize : size);
    }
    return p;
}

/* TEST-ONLY placeholder: two roundings, NOT a correctly rounded fused multiply-add. */
double fma(double x, double y, double z) { return x * y + z; }

/* The low 128 bits of a 128 × 128-bit product (compiler-rt's __multi3), exact. */
__int128 __multi3(__int128 a, __int128 b) {
    unsigned long long a0 = (unsigned long long)a, a1 = (unsigned long long)((unsigned __int128)a >> 64);
    unsigned long long b0 = (unsigned long long)b, b1 = (unsigned long long)((unsigned __int128)b >> 64);
    /* a0 · b0 in full, from 32-bit halves. */
    unsigned long long x0 = a0 & 0xffffffffu, x1 = a0 >> 32, y0 = b0 & 0xffffffffu, y1 = b0 >> 32;
    unsigned long long p00 = x0 * y0, p01 = x0 * y1, p10 = x1 * y0, p11 = x1 * y1;
    unsigned long long middle = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    unsigned long long low = (p00 & 0xffffffffu) | (middle << 32);
    unsigned long long high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
    high += a0 * b1 + a1 * b0;
    return (__int128)(((unsigned __int128)high << 64) | low);
}
