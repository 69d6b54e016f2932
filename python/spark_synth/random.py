"""A port of `src/core/random.ts` (sfc32): the same seed gives the same stream as the TypeScript sampler."""

import math

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
