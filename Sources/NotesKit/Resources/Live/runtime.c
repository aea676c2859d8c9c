/**
 * The C runtime that every live-cell WebAssembly module links with.
 *
 * A live cell is Embedded Swift compiled for wasm32-unknown-none-wasm. Such a module must have no
 * imports, so everything the Swift code and LLVM call outside the module is defined here:
 *
 * - a memory allocator over linear memory: malloc, free, calloc, realloc, posix_memalign,
 *   aligned_alloc;
 * - memcpy, memmove, memset (as bulk-memory instructions), memcmp, strlen;
 * - fma and fmaf, correctly rounded, so that `addingProduct` gives the bits that the native
 *   build's hardware FMA gives; round and roundf, for `rounded()`;
 * - putchar, which `print` calls: it appends to a buffer that JavaScript may read;
 * - arc4random_buf, which seeds hashing and `SystemRandomNumberGenerator`: a FIXED stream, so a
 *   module behaves the same on every run (not secure; live cells need no secrets);
 * - __stack_chk_guard and __stack_chk_fail, for code compiled with the stack protector.
 *
 * Not here: fmod, remainder and remainderf (`truncatingRemainder(dividingBy:)` and
 * `remainder(dividingBy:)` call them) and transcendental functions; a module that uses them fails
 * to link. String comparison and hashing need the toolchain's libswiftUnicodeDataTables.a
 * (lib/swift/embedded/wasm32-unknown-none-wasm), linked after this runtime.
 *
 * Build: clang --target=wasm32-unknown-unknown -nostdlib -ffreestanding -O2 -mbulk-memory -c
 * runtime.c. The file is plain C except for the parts under `__wasm__`: the test script also
 * compiles the arithmetic natively, to compare it with the hardware.
 *
 * Nothing here is thread-safe: a module runs on one thread.
 */

#include <stddef.h>
#include <stdint.h>

// Every product and sum below must be rounded on its own: never fuse them into FMAs (clang obeys
// this pragma; compile with -ffp-contract=off too, for other compilers).
#pragma STDC FP_CONTRACT OFF

typedef uint64_t u64;
typedef uint32_t u32;

/// The bits of a double.
static inline u64 bits_of(double x) {
    u64 u;
    __builtin_memcpy(&u, &x, sizeof u);
    return u;
}

/// The double with the given bits.
static inline double double_of(u64 u) {
    double x;
    __builtin_memcpy(&x, &u, sizeof x);
    return x;
}

/* ============================================================================================
 * Fused multiply-add
 *
 * fma(x, y, z) is x*y+z computed exactly and rounded once, to nearest, ties to even. The exact
 * value is formed in integers: the product of the two 53-bit significands is exact in 106 bits;
 * the addend's significand is aligned to it in a 128-bit fixed-point word, bits shifted out on
 * the right being "jammed" into the lowest bit (sticky), which keeps the rounding exact as long
 * as the rounding position stays at least two bits above that lowest bit; the sum is then
 * rounded to 53 bits, or to fewer where the result is subnormal.
 * ========================================================================================== */

/// The 128-bit product of two 64-bit numbers, from 32-bit halves (wasm32 has no 64x64->128
/// multiply, and `__int128` would need compiler-rt's `__multi3`).
static inline void multiply_64x64(u64 a, u64 b, u64 *high, u64 *low) {
    u64 a0 = (u32)a, a1 = a >> 32, b0 = (u32)b, b1 = b >> 32;
    u64 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    u64 middle = (p00 >> 32) + (u32)p01 + (u32)p10;
    *low = (middle << 32) | (u32)p00;
    *high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

/// The low 128 bits of the product of two 128-bit integers: compiler-rt's `__multi3`, which
/// Swift's printing of floating-point numbers calls (wasm32 has no 128-bit multiply).
__int128 __multi3(__int128 a, __int128 b) {
    u64 a_low = (u64)a, a_high = (u64)((unsigned __int128)a >> 64);
    u64 b_low = (u64)b, b_high = (u64)((unsigned __int128)b >> 64);
    u64 high, low;
    multiply_64x64(a_low, b_low, &high, &low);
    high += a_low * b_high + a_high * b_low; // the cross terms' low halves; the rest is beyond 128 bits
    return (__int128)(((unsigned __int128)high << 64) | low);
}

/// Shifts the 128-bit number (high, low) right by `n` bits, 1 <= n, ORing the bits shifted out
/// into the lowest bit of the result.
static inline void shift_right_jamming(u64 *high, u64 *low, int n) {
    u64 h = *high, l = *low;
    if (n < 64) {
        *low = (l >> n) | (h << (64 - n)) | ((l << (64 - n)) != 0);
        *high = h >> n;
    } else if (n < 128) {
        u64 lost = l | (n > 64 ? h << (128 - n) : 0);
        *low = (h >> (n - 64)) | (lost != 0);
        *high = 0;
    } else {
        *low = (h | l) != 0;
        *high = 0;
    }
}

/// Rounds sign * (high, low) * 2^exponent, a nonzero value, to the nearest double (ties to
/// even), with gradual underflow and overflow to infinity.
static double round_to_double(u64 sign, u64 high, u64 low, int exponent) {
    int top = high ? 127 - __builtin_clzll(high) : 63 - __builtin_clzll(low); // leading bit
    int biased = exponent + top + 1023;  // biased exponent if normal: value in [2^(biased-1023), 2)
    int drop;                            // how many low bits do not fit in the significand
    u64 field;                           // exponent field, minus the significand's leading 1
    if (biased >= 1) {
        drop = top - 52;
        field = (u64)(biased - 1);
        if (biased >= 2047) return double_of(sign | 0x7ff0000000000000ull);
    } else {
        drop = -1074 - exponent; // subnormal: the last bit is worth 2^-1074
        field = 0;
    }
    u64 m, half, rest; // significand; the first dropped bit; whether any later one is set
    if (drop <= 0) {   // fits exactly (then the value is below 2^53, in `low`)
        return double_of(sign | ((field << 52) + (low << -drop)));
    } else if (drop < 64) {
        m = (low >> drop) | (high << (64 - drop));
        half = (low >> (drop - 1)) & 1;
        rest = drop > 1 && (low << (65 - drop)) != 0;
    } else if (drop < 128) {
        int d = drop - 64;
        m = high >> d;
        half = d ? (high >> (d - 1)) & 1 : low >> 63;
        rest = d ? low != 0 || (d > 1 && (high << (65 - d)) != 0) : (low << 1) != 0;
    } else {
        m = 0, half = 0, rest = 1; // below half of the smallest subnormal
    }
    m += half & (rest | (m & 1));
    // A carry out of the significand bumps the exponent field, up to infinity if need be.
    return double_of(sign | ((field << 52) + m));
}

/// Adds the exact product sp * mp * 2^ep (mp below 2^126, from two 63-bit factors) and the
/// addend sz * mz * 2^ez (mz a 53-bit significand), and rounds once. Both are nonzero.
__attribute__((always_inline)) static inline double add_product(u64 sp, u64 ph, u64 pl, int ep, u64 sz, u64 mz, int ez) {
    // The addend's significand, moved up to bit 124, where the product's leading bit is (or 125).
    u64 zh = mz << 8, zl = 0;
    ez -= 72;
    int exponent;
    if (ep >= ez) {
        if (ep > ez) shift_right_jamming(&zh, &zl, ep - ez);
        exponent = ep;
    } else {
        shift_right_jamming(&ph, &pl, ez - ep);
        exponent = ez;
    }
    u64 h, l, sign;
    if (sp == sz) {
        l = pl + zl;
        h = ph + zh + (l < pl);
        sign = sp;
    } else if (ph > zh || (ph == zh && pl >= zl)) {
        if (ph == zh && pl == zl) return 0.0; // exact cancellation: +0 when rounding to nearest
        l = pl - zl;
        h = ph - zh - (pl < zl);
        sign = sp;
    } else {
        l = zl - pl;
        h = zh - ph - (zl < pl);
        sign = sz;
    }
    return round_to_double(sign, h, l, exponent);
}

/// The significand (with its leading 1) and exponent of a finite nonzero double, normalised so
/// that the significand's leading bit is bit 52 even for subnormals: x = m * 2^e.
static inline u64 unpack(u64 bits, int *e) {
    int field = (int)(bits >> 52) & 0x7ff;
    u64 m = bits & 0x000fffffffffffffull;
    if (field) {
        *e = field - 1075;
        return m | 0x0010000000000000ull;
    }
    int shift = __builtin_clzll(m) - 11;
    *e = -1074 - shift;
    return m << shift;
}

/**
 * x * y + z, computed exactly and rounded once to nearest, ties to even (IEEE 754 fusedMultiplyAdd).
 *
 * This is what x86-64's vfmadd and ARM's fmadd compute, so `addingProduct` in a wasm build gives
 * the native bits. Special operands follow IEEE 754: a NaN operand, inf * 0 and inf - inf give
 * NaN (its payload unspecified); an exactly zero sum of nonzero terms is +0; a zero from
 * underflow keeps the sign of the exact result; zeros add as in an ordinary addition
 * (-0 + -0 = -0, -0 + +0 = +0). x*y may overflow while x*y+z does not.
 */
double fma(double x, double y, double z) {
    u64 ix = bits_of(x), iy = bits_of(y), iz = bits_of(z);
    u32 fx = (u32)(ix >> 52) & 0x7ff, fy = (u32)(iy >> 52) & 0x7ff, fz = (u32)(iz >> 52) & 0x7ff;
    // Fast path: three normal operands (one unsigned comparison each catches 0 and 0x7ff).
    if (__builtin_expect((fx - 1 < 0x7fe) & (fy - 1 < 0x7fe) & (fz - 1 < 0x7fe), 1)) {
        u64 ph, pl;
        multiply_64x64((ix & 0x000fffffffffffffull) << 10 | 1ull << 62,
                       (iy & 0x000fffffffffffffull) << 10 | 1ull << 62, &ph, &pl);
        return add_product((ix ^ iy) & 0x8000000000000000ull, ph, pl, (int)(fx + fy) - 2150 - 20,
                           iz & 0x8000000000000000ull, (iz & 0x000fffffffffffffull) | 1ull << 52,
                           (int)fz - 1075);
    }
    // NaN or infinity in the product: x*y is then exact (inf or NaN), and so is the sum with z.
    if (fx == 0x7ff || fy == 0x7ff) return x * y + z;
    // A finite product plus an infinite or NaN z is z (x*y might overflow, so don't compute it).
    if (fz == 0x7ff) return z;
    // A zero factor: x*y is an exact signed zero, and the sum with z follows the usual rules.
    if ((ix << 1) == 0 || (iy << 1) == 0) return x * y + z;
    // A zero addend: the result is the product, rounded once (keeping its sign if it underflows).
    if ((iz << 1) == 0) return x * y;
    // Subnormal operands, normalised.
    int ex, ey, ez;
    u64 mx = unpack(ix, &ex), my = unpack(iy, &ey), mz = unpack(iz, &ez), ph, pl;
    multiply_64x64(mx << 10, my << 10, &ph, &pl);
    return add_product((ix ^ iy) & 0x8000000000000000ull, ph, pl, ex + ey - 20,
                       iz & 0x8000000000000000ull, mz, ez);
}

/**
 * x * y + z in single precision, computed exactly and rounded once to nearest, ties to even.
 *
 * The product of two floats is exact in a double; the double sum is rounded to odd (the exact
 * sum's error, from the TwoSum algorithm, says which way), and a double rounded to odd has enough
 * bits (53 >= 24 + 2) for its rounding to float to be that of the exact sum.
 */
float fmaf(float x, float y, float z) {
    double p = (double)x * (double)y, c = z;
    double s = p + c;
    u64 bits = bits_of(s);
    if (((bits >> 52) & 0x7ff) == 0x7ff) return (float)s; // NaN or infinite operands
    double v = s - p;
    double error = (p - (s - v)) + (c - v); // s + error == p + c exactly
    if (error != 0 && (bits & 1) == 0) bits += (error > 0) == (s > 0) ? 1 : (u64)-1;
    return (float)double_of(bits);
}

/// x rounded to the nearest integer, halfway cases away from zero (Swift's `rounded()`).
double round(double x) {
    double t = __builtin_trunc(x);
    // x - t is exact: the fraction bits of x. NaN and large x fall through (t == x).
    return __builtin_fabs(x - t) >= 0.5 ? t + __builtin_copysign(1.0, x) : t;
}

/// x rounded to the nearest integer, halfway cases away from zero (`Float.rounded()`).
float roundf(float x) {
    float t = __builtin_truncf(x);
    return __builtin_fabsf(x - t) >= 0.5f ? t + __builtin_copysignf(1.0f, x) : t;
}

#if defined(__wasm__)

#ifndef __wasm_bulk_memory__
#error "compile with -mbulk-memory: memcpy and memset are the memory.copy and memory.fill instructions"
#endif

/* ============================================================================================
 * Memory
 * ========================================================================================== */

/// Copies n bytes from src to dst, which must not overlap (the memory.copy instruction).
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}

/// Copies n bytes from src to dst, which may overlap (memory.copy handles overlap).
void *memmove(void *dst, const void *src, size_t n) {
    __builtin_memmove(dst, src, n);
    return dst;
}

/// Sets n bytes at dst to the byte c (the memory.fill instruction).
void *memset(void *dst, int c, size_t n) {
    __builtin_memset(dst, c, n);
    return dst;
}

/// Compares n bytes as unsigned chars: negative, zero or positive as a is below, equal to or
/// above b. Eight bytes at a time while they are equal.
int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    for (; n >= 8; n -= 8, p += 8, q += 8) {
        u64 u, v;
        __builtin_memcpy(&u, p, 8);
        __builtin_memcpy(&v, q, 8);
        if (u != v) break;
    }
    for (; n; n--, p++, q++)
        if (*p != *q) return *p - *q;
    return 0;
}

/// The length of a NUL-terminated string (`String(cString:)` calls it).
size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}

/* ============================================================================================
 * The allocator
 *
 * The heap runs from __heap_base to the end of linear memory and grows with memory.grow. It is
 * a sequence of chunks, each 16-byte aligned payload preceded by an 8-byte header:
 *
 *     [prev_size | size, INUSE, PREV_INUSE] payload ...
 *
 * `size` is the whole chunk's, a multiple of 16; `prev_size` is the size of the chunk before,
 * written only while that one is free (a boundary tag), so that freeing can merge a chunk with
 * both neighbours. Free chunks are never adjacent. The last chunk, `top`, is the untouched rest
 * of memory; a chunk freed next to it goes back into it.
 *
 * Free chunks sit in doubly linked lists, by size: one list for each size below 1 KiB (exact fit,
 * constant time), then four lists for each power of two. A bitmap of the non-empty lists finds
 * the smallest list that can serve a request in a few instructions. A request takes a chunk of
 * its exact size if there is one, else the first large enough in its list, else the first chunk
 * of the next non-empty list, else it is cut from top; a chunk larger than needed is split, and
 * the rest freed. A loop that allocates and frees arrays thus reuses the same memory.
 * ========================================================================================== */

extern unsigned char __heap_base; // defined by wasm-ld: the first byte after data and stack

/// A chunk's header; `next` and `prev` exist only while the chunk is free (in the payload).
typedef struct chunk {
    size_t prev_size;
    size_t head;
    struct chunk *next, *prev;
} chunk;

enum {
    HEADER = 2 * sizeof(size_t), // 8 bytes on wasm32
    MIN_CHUNK = sizeof(chunk),   // 16 bytes: a header and two links
    INUSE = 1,
    PREV_INUSE = 2,
    SMALL_LISTS = 64, // exact sizes 16 ... 1008
    LISTS = SMALL_LISTS + 22 * 4,
    PAGE = 65536,
};

_Static_assert(HEADER == 8 && MIN_CHUNK == 16, "the chunk layout assumes wasm32");

#define SIZE_OF(c) ((c)->head & ~(size_t)15)
#define AT(c, offset) ((chunk *)((unsigned char *)(c) + (offset)))
#define PAYLOAD(c) ((void *)((unsigned char *)(c) + HEADER))
#define CHUNK_OF(p) ((chunk *)((unsigned char *)(p) - HEADER))
#define MAX_REQUEST ((size_t)0x7fff0000) /* larger requests fail at once */

static chunk *lists[LISTS];
static u32 nonempty[(LISTS + 31) / 32];
static chunk *top;     // the rest of memory, from here to top + top_size
static size_t top_size;

/// The list for chunks of `size` bytes.
static inline u32 list_of(size_t size) {
    if (size < 1024) return (u32)(size >> 4);
    u32 log = 31 - (u32)__builtin_clz((u32)size); // 10 ... 31
    return SMALL_LISTS + (log - 10) * 4 + (u32)((size >> (log - 2)) & 3);
}

/// Adds a free chunk to its list.
static inline void insert(chunk *c, size_t size) {
    u32 i = list_of(size);
    c->next = lists[i];
    c->prev = 0;
    if (lists[i]) lists[i]->prev = c;
    lists[i] = c;
    nonempty[i >> 5] |= 1u << (i & 31);
}

/// Takes a free chunk off its list.
static inline void unlink_chunk(chunk *c) {
    if (c->next) c->next->prev = c->prev;
    if (c->prev) {
        c->prev->next = c->next;
    } else {
        u32 i = list_of(SIZE_OF(c));
        lists[i] = c->next;
        if (!c->next) nonempty[i >> 5] &= ~(1u << (i & 31));
    }
}

/// The first non-empty list after list i, or LISTS if there is none.
static inline u32 next_nonempty(u32 i) {
    i++;
    for (u32 w = i >> 5; w < sizeof nonempty / sizeof nonempty[0]; w++, i = w << 5) {
        u32 bits = nonempty[w] & (~0u << (i & 31));
        if (bits) return (w << 5) + (u32)__builtin_ctz(bits);
    }
    return LISTS;
}

/// Frees chunk c (whose INUSE bit may still be set), merging it with free neighbours or top.
static void release(chunk *c) {
    size_t size = SIZE_OF(c);
    chunk *next = AT(c, size);
    if (!(c->head & PREV_INUSE)) { // merge with the free chunk before
        chunk *before = AT(c, -(ptrdiff_t)c->prev_size);
        unlink_chunk(before);
        size += c->prev_size;
        c = before;
    }
    if (next == top) { // back into the rest of memory
        top = c;
        top_size += size;
        return;
    }
    if (next->head & INUSE) {
        next->head &= ~(size_t)PREV_INUSE;
    } else { // merge with the free chunk after (whose successor already knows it is free)
        unlink_chunk(next);
        size += SIZE_OF(next);
    }
    c->head = size | PREV_INUSE; // the chunk before a free chunk is never free
    AT(c, size)->prev_size = size;
    insert(c, size);
}

/// Shrinks the in-use chunk c to `size` bytes, freeing the rest if it can be a chunk.
static inline void trim(chunk *c, size_t size) {
    size_t rest = SIZE_OF(c) - size;
    if (rest < MIN_CHUNK) return;
    c->head = size | (c->head & (INUSE | PREV_INUSE));
    chunk *r = AT(c, size);
    r->head = rest | INUSE | PREV_INUSE;
    release(r);
}

/// Makes top at least `size` bytes by growing memory; false if memory cannot grow.
static int grow_top(size_t size) {
    size_t end = __builtin_wasm_memory_size(0) * PAGE;
    size_t needed = size - top_size;
    if ((unsigned char *)top + top_size != (unsigned char *)end) {
        // Someone else grew memory since: start a new top in the fresh pages (the old is lost).
        needed = size + 16;
    }
    size_t pages = (needed + PAGE - 1) / PAGE;
    size_t old = __builtin_wasm_memory_grow(0, pages < 16 ? 16 : pages); // 1 MiB at least
    if (old == (size_t)-1) old = __builtin_wasm_memory_grow(0, pages);
    if (old == (size_t)-1) return 0;
    size_t new_end = __builtin_wasm_memory_size(0) * PAGE;
    if ((unsigned char *)top + top_size == (unsigned char *)(old * PAGE)) {
        top_size = new_end - (size_t)top;
    } else {
        top = (chunk *)((((old * PAGE) + 8 + 15) & ~(size_t)15) - 8);
        top_size = new_end - (size_t)top;
    }
    return top_size >= size;
}

/// The chunk size for a request of n bytes (n <= MAX_REQUEST).
static inline size_t chunk_size(size_t n) {
    size_t size = (n + HEADER + 15) & ~(size_t)15;
    return size < MIN_CHUNK ? MIN_CHUNK : size;
}

/// An in-use chunk of at least `size` bytes, or NULL.
static chunk *allocate_chunk(size_t size) {
    if (!top) { // first call: the heap starts at __heap_base, payloads 16-byte aligned
        top = (chunk *)((((size_t)&__heap_base + 8 + 15) & ~(size_t)15) - 8);
        top_size = __builtin_wasm_memory_size(0) * PAGE - (size_t)top;
    }
    u32 i = list_of(size);
    chunk *c = lists[i];
    if (i >= SMALL_LISTS) // a list of mixed sizes: first fit
        while (c && SIZE_OF(c) < size) c = c->next;
    if (!c) {
        u32 j = next_nonempty(i);
        if (j < LISTS) c = lists[j];
    }
    if (c) {
        unlink_chunk(c);
        c->head |= INUSE;
        AT(c, SIZE_OF(c))->head |= PREV_INUSE; // a free chunk is never next to top
        trim(c, size);
        return c;
    }
    if (top_size < size && !grow_top(size)) return 0;
    c = top;
    c->head = size | INUSE | PREV_INUSE; // the chunk before top is never free
    top = AT(c, size);
    top_size -= size;
    return c;
}

/// Allocates n bytes, 16-byte aligned; NULL if memory cannot grow enough.
void *malloc(size_t n) {
    if (n > MAX_REQUEST) return 0;
    chunk *c = allocate_chunk(chunk_size(n));
    return c ? PAYLOAD(c) : 0;
}

/// Frees memory from malloc, calloc, realloc, posix_memalign or aligned_alloc (NULL is ignored).
void free(void *p) {
    if (p) release(CHUNK_OF(p));
}

/// Allocates count * size bytes set to zero; NULL on overflow or if memory cannot grow.
void *calloc(size_t count, size_t size) {
    if (size && count > MAX_REQUEST / size) return 0;
    void *p = malloc(count * size);
    if (p) __builtin_memset(p, 0, count * size);
    return p;
}

/**
 * Resizes the block at p to n bytes, keeping its contents up to the smaller size.
 *
 * It grows in place into a free chunk or top that follows, else moves. realloc(NULL, n) is
 * malloc(n); realloc(p, 0) frees p and returns NULL. On failure p is left as it was.
 */
void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    if (n == 0) {
        free(p);
        return 0;
    }
    if (n > MAX_REQUEST) return 0;
    chunk *c = CHUNK_OF(p);
    size_t size = chunk_size(n), old = SIZE_OF(c);
    if (old >= size) {
        trim(c, size);
        return p;
    }
    chunk *next = AT(c, old);
    if (next == top) {
        if (top_size >= size - old || (grow_top(size - old) && AT(c, old) == top)) {
            c->head = size | (c->head & (INUSE | PREV_INUSE));
            top = AT(c, size);
            top_size -= size - old;
            return p;
        }
    } else if (!(next->head & INUSE) && old + SIZE_OF(next) >= size) {
        unlink_chunk(next);
        size_t merged = old + SIZE_OF(next);
        c->head = merged | (c->head & (INUSE | PREV_INUSE));
        AT(c, merged)->head |= PREV_INUSE;
        trim(c, size);
        return p;
    }
    void *q = malloc(n);
    if (!q) return 0;
    __builtin_memcpy(q, p, old - HEADER);
    free(p);
    return q;
}

/**
 * Allocates n bytes at a multiple of `alignment`, a power of two, into *result.
 *
 * Returns 0, or EINVAL (22) if the alignment is not a power of two, or ENOMEM (12) if memory
 * cannot grow (then *result is unchanged). Alignments up to 16 cost nothing extra; a larger one
 * takes a chunk with room to spare, whose unused front and back are freed at once.
 */
int posix_memalign(void **result, size_t alignment, size_t n) {
    if (alignment == 0 || (alignment & (alignment - 1))) return 22;
    if (n > MAX_REQUEST || alignment > MAX_REQUEST / 2) return 12;
    if (alignment <= 16) {
        void *p = malloc(n);
        if (!p) return 12;
        *result = p;
        return 0;
    }
    size_t size = chunk_size(n);
    chunk *c = allocate_chunk(size + alignment + MIN_CHUNK);
    if (!c) return 12;
    size_t payload = (size_t)PAYLOAD(c);
    size_t aligned = (payload + alignment - 1) & ~(alignment - 1);
    if (aligned != payload) { // free the front: at least 16 bytes, as both are 16-byte aligned
        size_t front = aligned - payload;
        chunk *d = AT(c, front);
        d->head = (SIZE_OF(c) - front) | INUSE;
        c->head = front | INUSE | (c->head & PREV_INUSE);
        release(c);
        c = d;
    }
    trim(c, size);
    *result = PAYLOAD(c);
    return 0;
}

/// Allocates n bytes at a multiple of `alignment`, a power of two; NULL otherwise or if memory
/// cannot grow (C11).
void *aligned_alloc(size_t alignment, size_t n) {
    void *p;
    return posix_memalign(&p, alignment, n) ? 0 : p;
}

/* ============================================================================================
 * Output, randomness, stack protector
 * ========================================================================================== */

enum { OUTPUT_CAPACITY = 65536 };
static unsigned char output[OUTPUT_CAPACITY];
static size_t output_length;
static size_t output_lost;

/// Appends a byte to the output buffer (Embedded Swift's `print` writes one byte at a time);
/// bytes past its 64 KiB are counted in live_output_lost and dropped. Returns c as an unsigned char.
int putchar(int c) {
    if (output_length < OUTPUT_CAPACITY) output[output_length++] = (unsigned char)c;
    else output_lost++;
    return (unsigned char)c;
}

/// The address of the output buffer, for JavaScript to read live_output_length() bytes of UTF-8.
unsigned char *live_output(void) { return output; }

/// How many bytes the output buffer holds.
size_t live_output_length(void) { return output_length; }

/// How many bytes were dropped because the buffer was full.
size_t live_output_lost(void) { return output_lost; }

/// Empties the output buffer.
void live_output_clear(void) { output_length = output_lost = 0; }

static u64 random_state = 0x4c69766543656c6cull; // "LiveCell"

/**
 * Fills buf with n bytes of a fixed pseudo-random stream (SplitMix64 from a constant seed).
 *
 * Embedded Swift seeds Hasher and SystemRandomNumberGenerator from here, so a module's
 * dictionary order and "random" numbers are the same on every run and in every browser.
 * They are not secret.
 */
void arc4random_buf(void *buf, size_t n) {
    unsigned char *p = buf;
    while (n) {
        u64 z = (random_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        for (int k = 0; k < 8 && n; k++, n--, z >>= 8) *p++ = (unsigned char)z;
    }
}

/// The stack protector's canary (code compiled without -disable-stack-protector reads it).
uintptr_t __stack_chk_guard = 0x2f8e61a5u;

/// Called when a stack protector finds its canary overwritten: traps.
void __stack_chk_fail(void) { __builtin_trap(); }

#endif /* __wasm__ */
