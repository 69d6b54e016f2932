"""A port of `src/core/random.ts`: sfc32 and the counter-based uniforms, the same numbers as the TypeScript sampler's."""

import math

import numpy as np

_MASK = 0xFFFFFFFF


class Random:
    """sfc32 on unsigned 32-bit words; JavaScript's `| 0` and `>>> 0` become masks, which keep the same bits."""

    __slots__ = ("a", "b", "c", "d")

    def __init__(self, seed):
        self.a = 0x9E3779B9
        self.b = 0x243F6A88
        self.c = 0xB7E15162
        self.d = int(seed) & _MASK  # `seed >>> 0`
        for _ in range(15):
            self.next()

    def next(self):
        """Uniform in [0, 1)."""
        a, b, c, d = self.a, self.b, self.c, self.d
        t = (a + b + d) & _MASK
        self.d = (d + 1) & _MASK
        self.a = b ^ (b >> 9)
        self.b = (c + (c << 3)) & _MASK
        c = ((c << 21) | (c >> 11)) & _MASK
        self.c = (c + t) & _MASK
        return t / 4294967296

    def uniforms(self, count):
        """The next `count` uniforms, as `next` gives them one by one, in one loop over local words (faster)."""
        a, b, c, d = self.a, self.b, self.c, self.d
        out = [0.0] * count
        for i in range(count):
            t = (a + b + d) & _MASK
            d = (d + 1) & _MASK
            a = b ^ (b >> 9)
            b = (c + (c << 3)) & _MASK
            c = ((((c << 21) | (c >> 11)) & _MASK) + t) & _MASK
            out[i] = t / 4294967296
        self.a, self.b, self.c, self.d = a, b, c, d
        return out

    def int(self, n):
        """Uniform integer in [0, n)."""
        return math.floor(self.next() * n)

    def normal(self):
        """Standard normal (Box–Muller), drawing two uniforms in the TypeScript order."""
        u = 1 - self.next()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * self.next())


def imul(a, b):
    """JavaScript's `Math.imul`: the low 32 bits of the product, as a signed integer."""
    product = (int(a) * int(b)) & _MASK
    return product - (1 << 32) if product & 0x80000000 else product


def mix32(x):
    """`mix32` on uint32 values (products wrap mod 2**32, as `Math.imul` keeps the low bits)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint32(16))
        x = x * np.uint32(0x21F0AAAD)
        x = x ^ (x >> np.uint32(15))
        x = x * np.uint32(0x735A2D97)
        return x ^ (x >> np.uint32(15))


def stream_key(*parts):
    """`streamKey`: the key of a counter-based stream, from whole numbers."""
    key = np.uint32(0x243F6A88)
    for part in parts:
        key = mix32(key ^ mix32(np.uint32(int(part) & _MASK)))
    return int(key)


def uniforms_at(key, counters):
    """`uniformAt(key, n)` for each n of a uint32 array of counters, at once."""
    key = np.uint32(key)
    with np.errstate(over="ignore"):
        return mix32(mix32((counters.astype(np.uint32) * np.uint32(0x9E3779B9)) ^ key) + key) / 4294967296


def normals_at(key, counters):
    """`normalAt(key, n)` for each n: Box–Muller from numbers n and n + 1."""
    counters = counters.astype(np.uint32)
    return np.sqrt(-2 * np.log(1 - uniforms_at(key, counters))) * np.cos(2 * math.pi * uniforms_at(key, counters + np.uint32(1)))
