"""`str(x)` of a float, computed inside the program: exactly Python's repr(float) (docs/host.md, "Float
formatting"), so no host formats floats.

Algorithm: Burger & Dybvig's free-format printing ("Printing Floating-Point Numbers Quickly and
Accurately", 1996) over exact bignums, which yields the shortest digit string that reads back as the same
double, and among those the one nearest to the exact value — the definition David Gay's dtoa (mode 0) and
so Python's repr implement.  x = f × 2^e (f the 53-bit integer significand) lies in the rounding interval
(x − m−, x + m+) of half-gaps to its neighbours, inclusive when f is even (round-half-even reading):
  1. set up integers r, s, m+, m− with r/s = x and m±/s the half-gaps (all scaled by a power of two so they
     are integers; the gap below 2^k is half the one above);
  2. scale by 10^k where k = ceil(log10 x), estimated from the binary exponent and fixed up by one
     comparison (r + m+ against s);
  3. generate digits: d = ⌊10r/s⌋, r = 10r mod s, until stopping low (r < m−) or high (r + m+ > s) keeps
     the number in the interval; when both would, pick the nearer (2r against s), a tie going to the even
     digit, as dtoa does.
The bignums are little-endian arrays of 32-bit limbs in linear memory at BIG (r, s, m+, m−, a temporary),
LIMBS limbs each: the largest value met is below 2^1140 (r for subnormals, scaled by 10^324).  Loops run
over the `n` limbs in use (s's top limb + 2), so ordinary numbers cost a few limbs per operation.
Then the digits d1..dn and the decimal exponent k (x = 0.d1..dn × 10^k) are laid out by repr's rule:
positional when -4 < k <= 16 ("0.001", "123.25", "1e+16" is the first scientific one), with at least one
digit after the point; otherwise d1[.d2..dn]e±XX with at least two exponent digits; "nan", "inf", "-inf",
"-0.0".

Memory used (above the I/O scratch area): DIGITS (32 bytes), then the five bignums.
"""

from __future__ import annotations

SCRATCH_END = 4096            # runtime.SCRATCH: the I/O scratch area ends here
DIGITS = SCRATCH_END          # up to 17 significant digits
LIMBS = 40
BIG_BYTES = 4 * LIMBS
BIG = DIGITS + 32
R, S, MP, MM, T = (BIG + i * BIG_BYTES for i in range(5))
AREA_END = BIG + 5 * BIG_BYTES   # first byte after what float formatting uses
MAX_TEXT = 32                 # the longest result is 24 bytes ('-2.2250738585072014e-308')

LOG10_2 = 0.30102999566398114


def float_format(helper, memory):
    """The helper `float.format(x: f64, ptr: i32) -> i32`: writes repr(x) at memory[ptr:] (at most
    MAX_TEXT bytes) and returns its length.  `helper(key, name, params, results, build, names)` is
    Runtime._helper; `memory` the module's memory index."""
    big = _Bignums(helper, memory)

    def build(f):
        a = _Asm(f)
        bits, frac, fm = f.local('i64', 'bits'), f.local('i64', 'frac'), f.local('i64', 'f')
        be, e, even, k, p = (f.local('i32', nm) for nm in ('be', 'e', 'even', 'k', 'p'))
        n, nd, d, c, tc1, tc2, up = (f.local('i32', nm) for nm in ('n', 'nd', 'd', 'c', 'tc1', 'tc2', 'up'))
        X, PTR = 0, 1

        def put_byte(ch):            # memory[p++] = ch
            a(('local.get', p), ('i32.const', ord(ch)), 'i32.store8',
              ('local.get', p), ('i32.const', 1), 'i32.add', ('local.set', p))

        def put_text(text):
            for ch in text:
                put_byte(ch)

        def ret():                   # return p - ptr
            a(('local.get', p), ('local.get', PTR), 'i32.sub', 'return')

        a(('local.get', PTR), ('local.set', p),
          ('local.get', X), 'i64.reinterpret_f64', ('local.set', bits),
          ('local.get', bits), ('i64.const', 52), 'i64.shr_u', 'i32.wrap_i64', ('i32.const', 0x7FF), 'i32.and',
          ('local.set', be),
          ('local.get', bits), ('i64.const', (1 << 52) - 1), 'i64.and', ('local.set', frac))
        # nan (never signed in repr), inf, -inf
        a(('local.get', be), ('i32.const', 0x7FF), 'i32.eq')
        with f.if_():
            a(('local.get', frac), 'i64.eqz')
            with f.if_():
                a(('local.get', bits), ('i64.const', 0), 'i64.lt_s')
                with f.if_():
                    put_byte('-')
                put_text('inf')
                ret()
            put_text('nan')
            ret()
        a(('local.get', bits), ('i64.const', 0), 'i64.lt_s')
        with f.if_():
            put_byte('-')
        a(('local.get', be), 'i32.eqz', ('local.get', frac), 'i64.eqz', 'i32.and')
        with f.if_():
            put_text('0.0')
            ret()
        # x = f × 2^e
        a(('local.get', be), 'i32.eqz')
        with f.if_():
            a(('local.get', frac), ('local.set', fm), ('i32.const', -1074), ('local.set', e))
            f.else_()
            a(('local.get', frac), ('i64.const', 1 << 52), 'i64.or', ('local.set', fm),
              ('local.get', be), ('i32.const', 1075), 'i32.sub', ('local.set', e))
        a(('local.get', fm), ('i64.const', 1), 'i64.and', 'i64.eqz', ('local.set', even))

        def set_big(addr, value_local=None, const=1, shift_code=()):
            if value_local is None:
                a(('i32.const', addr), ('i64.const', const))
            else:
                a(('i32.const', addr), ('local.get', value_local))
            a(*shift_code, ('call', big.set))

        e_plus = lambda c_: (('local.get', e), ('i32.const', c_), 'i32.add')       # noqa: E731
        c_minus_e = lambda c_: (('i32.const', c_), ('local.get', e), 'i32.sub')    # noqa: E731
        # step 1: r/s = x, m±/s the half-gaps; the gap below is half the one above at a power of two
        a(('local.get', fm), ('i64.const', 1 << 52), 'i64.ne')
        a(('local.set', up))                        # up: an asymmetric interval is impossible
        a(('local.get', e), ('i32.const', 0), 'i32.ge_s')
        with f.if_():
            a(('local.get', up))
            with f.if_():
                set_big(R, fm, shift_code=e_plus(1)); set_big(S, shift_code=(('i32.const', 1),))
                set_big(MP, shift_code=(('local.get', e),)); set_big(MM, shift_code=(('local.get', e),))
                f.else_()
                set_big(R, fm, shift_code=e_plus(2)); set_big(S, shift_code=(('i32.const', 2),))
                set_big(MP, shift_code=e_plus(1)); set_big(MM, shift_code=(('local.get', e),))
            f.else_()
            a(('local.get', up), ('local.get', be), ('i32.const', 1), 'i32.le_u', 'i32.or')
            with f.if_():
                set_big(R, fm, shift_code=(('i32.const', 1),)); set_big(S, shift_code=c_minus_e(1))
                set_big(MP, shift_code=(('i32.const', 0),)); set_big(MM, shift_code=(('i32.const', 0),))
                f.else_()
                set_big(R, fm, shift_code=(('i32.const', 2),)); set_big(S, shift_code=c_minus_e(2))
                set_big(MP, shift_code=(('i32.const', 1),)); set_big(MM, shift_code=(('i32.const', 0),))
        # step 2: k = ceil(log10 x) estimated (exact or one too small), then fixed up
        a(('local.get', e), ('i32.const', 63), 'i32.add', ('local.get', fm), 'i64.clz', 'i32.wrap_i64',
          'i32.sub', 'f64.convert_i32_s', ('f64.const', LOG10_2), 'f64.mul', ('f64.const', 1e-10), 'f64.sub',
          'f64.ceil', 'i32.trunc_f64_s', ('local.set', k))
        a(('local.get', k), ('i32.const', 0), 'i32.ge_s')
        with f.if_():
            a(('i32.const', S), ('local.get', k), ('call', big.pow10))
            f.else_()
            for addr in (R, MP, MM):
                a(('i32.const', addr), ('i32.const', 0), ('local.get', k), 'i32.sub', ('call', big.pow10))
        a(('i32.const', S), ('call', big.top), ('i32.const', 2), 'i32.add', ('local.tee', n),
          ('i32.const', LIMBS), ('local.get', n), ('i32.const', LIMBS), 'i32.lt_u', 'select', ('local.set', n))

        def cmp(x_addr, y_addr):
            a(('i32.const', x_addr), ('i32.const', y_addr), ('local.get', n), ('call', big.cmp))

        def add(dst, x_addr, y_addr):
            a(('i32.const', dst), ('i32.const', x_addr), ('i32.const', y_addr), ('local.get', n),
              ('call', big.add))

        def times10():
            for addr in (R, MP, MM):
                a(('i32.const', addr), ('i32.const', 10), ('local.get', n), ('call', big.mul_small))

        def high_ok():               # c >= 0 when the interval is closed, else c > 0
            a(('local.get', c), ('i32.const', 0), ('local.get', even), 'i32.sub', 'i32.gt_s')

        add(T, R, MP)
        cmp(T, S)
        a(('local.set', c))
        high_ok()
        with f.if_():
            a(('local.get', k), ('i32.const', 1), 'i32.add', ('local.set', k))
            f.else_()
            times10()
        # step 3: digits
        with f.block() as done:
            with f.loop() as gen:
                a(('i32.const', 0), ('local.set', d))
                with f.block() as divided:
                    with f.loop() as again:
                        cmp(R, S)
                        a(('i32.const', 0), 'i32.lt_s', ('br_if', divided),
                          ('i32.const', R), ('i32.const', S), ('local.get', n), ('call', big.sub),
                          ('local.get', d), ('i32.const', 1), 'i32.add', ('local.set', d), ('br', again))
                cmp(R, MM)
                a(('local.set', c),
                  ('local.get', c), ('i32.const', 0), ('local.get', even), 'i32.add', 'i32.lt_s', ('local.set', tc1))
                add(T, R, MP)
                cmp(T, S)
                a(('local.set', c))
                high_ok()
                a(('local.set', tc2),
                  ('local.get', tc1), ('local.get', tc2), 'i32.or', 'i32.eqz')
                with f.if_():
                    a(('local.get', nd), ('local.get', d), ('i32.const', 48), 'i32.add', ('i32.store8', DIGITS),
                      ('local.get', nd), ('i32.const', 1), 'i32.add', ('local.set', nd))
                    times10()
                    a(('br', gen))
                a(('local.get', tc2), ('local.set', up),
                  ('local.get', tc1), ('local.get', tc2), 'i32.and')
                with f.if_():            # both ends possible: the nearer, a tie to the even digit
                    add(T, R, R)
                    cmp(T, S)
                    a(('local.tee', c), ('i32.const', 0), 'i32.gt_s',
                      ('local.get', c), 'i32.eqz', ('local.get', d), ('i32.const', 1), 'i32.and', 'i32.and',
                      'i32.or', ('local.set', up))
                a(('local.get', nd), ('local.get', d), ('local.get', up), 'i32.add', ('i32.const', 48), 'i32.add',
                  ('i32.store8', DIGITS),
                  ('local.get', nd), ('i32.const', 1), 'i32.add', ('local.set', nd), ('br', done))

        # layout
        def copy_digits(start_code, count_code):     # memory[p:] = DIGITS[start:start+count]; p += count
            a(('local.get', p), *start_code, ('i32.const', DIGITS), 'i32.add', *count_code,
              ('memory.copy', memory, memory),
              ('local.get', p), *count_code, 'i32.add', ('local.set', p))

        def zeros(count_code):                        # count zeros
            a(('local.get', p), ('i32.const', ord('0')), *count_code, ('memory.fill', memory),
              ('local.get', p), *count_code, 'i32.add', ('local.set', p))

        K, ND = ('local.get', k), ('local.get', nd)
        a(K, ('i32.const', -4), 'i32.gt_s', K, ('i32.const', 16), 'i32.le_s', 'i32.and')
        with f.if_():
            a(K, ('i32.const', 0), 'i32.le_s')
            with f.if_():                         # 0.000ddd
                put_text('0.')
                zeros((('i32.const', 0), K, 'i32.sub'))
                copy_digits((('i32.const', 0),), (ND,))
                ret()
            a(K, ND, 'i32.ge_s')
            with f.if_():                         # ddd000.0
                copy_digits((('i32.const', 0),), (ND,))
                zeros((K, ND, 'i32.sub'))
                put_text('.0')
                ret()
            copy_digits((('i32.const', 0),), (K,))    # dd.ddd
            put_byte('.')
            copy_digits((K,), (ND, K, 'i32.sub'))
            ret()
        copy_digits((('i32.const', 0),), (('i32.const', 1),))
        a(ND, ('i32.const', 1), 'i32.gt_s')
        with f.if_():
            put_byte('.')
            copy_digits((('i32.const', 1),), (ND, ('i32.const', 1), 'i32.sub'))
        put_byte('e')
        a(K, ('i32.const', 1), 'i32.sub', ('local.set', k))
        a(K, ('i32.const', 0), 'i32.lt_s')
        with f.if_():
            put_byte('-')
            a(('i32.const', 0), K, 'i32.sub', ('local.set', k))
            f.else_()
            put_byte('+')
        a(K, ('i32.const', 100), 'i32.ge_s')
        with f.if_():
            a(('local.get', p), K, ('i32.const', 100), 'i32.div_s', ('i32.const', 48), 'i32.add', 'i32.store8',
              ('local.get', p), ('i32.const', 1), 'i32.add', ('local.set', p),
              K, ('i32.const', 100), 'i32.rem_s', ('local.set', k))
        a(('local.get', p), K, ('i32.const', 10), 'i32.div_s', ('i32.const', 48), 'i32.add', 'i32.store8',
          ('local.get', p), K, ('i32.const', 10), 'i32.rem_s', ('i32.const', 48), 'i32.add', ('i32.store8', 1),
          ('local.get', p), ('i32.const', 2), 'i32.add', ('local.set', p))
        ret()

    return helper('float_format', 'float.format', ['f64', 'i32'], ['i32'], build, ('x', 'ptr'))


class _Asm:
    """Emit a sequence: a string is an instruction without immediates, a tuple an instruction with them."""

    def __init__(self, f):
        self.f = f

    def __call__(self, *code):
        for c in code:
            if isinstance(c, tuple):
                self.f.emit(*c)
            else:
                self.f.emit(c)


class _Bignums:
    """The bignum helpers, each emitted on first use: `addr` arguments are byte addresses of LIMBS-limb
    numbers; `n` is the number of low limbs an operation touches."""

    def __init__(self, helper, memory):
        self._helper = helper
        self._memory = memory

    @property
    def set(self):
        """set(a, v: i64, shift): a = v << shift (v < 2^63, shift < 32 × (LIMBS − 4))."""
        mem = self._memory

        def build(f):
            a = _Asm(f)
            at, bit = f.local('i32', 'at'), f.local('i32', 'bit')
            a(('local.get', 0), ('i32.const', 0), ('i32.const', BIG_BYTES), ('memory.fill', mem),
              ('local.get', 0), ('local.get', 2), ('i32.const', 5), 'i32.shr_u', ('i32.const', 2), 'i32.shl',
              'i32.add', ('local.set', at),
              ('local.get', 2), ('i32.const', 31), 'i32.and', ('local.set', bit),
              ('local.get', at), ('local.get', 1), ('local.get', bit), 'i64.extend_i32_u', 'i64.shl', 'i64.store',
              ('local.get', bit))
            with f.if_():
                a(('local.get', at), ('local.get', 1), ('i32.const', 64), ('local.get', bit), 'i32.sub',
                  'i64.extend_i32_u', 'i64.shr_u', ('i64.store', 8))
        return self._helper('big.set', 'big.set', ['i32', 'i64', 'i32'], [], build, ('a', 'v', 'shift'))

    @property
    def mul_small(self):
        """mul_small(a, m, n): a = a × m (m < 2^32, unsigned)."""
        def build(f):
            a = _Asm(f)
            i, carry, at = f.local('i32', 'i'), f.local('i64', 'carry'), f.local('i32', 'at')
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', i), ('local.get', 2), 'i32.ge_u', ('br_if', done),
                      ('local.get', 0), ('local.get', i), ('i32.const', 2), 'i32.shl', 'i32.add', ('local.tee', at),
                      ('local.get', at), 'i64.load32_u', ('local.get', 1), 'i64.extend_i32_u', 'i64.mul',
                      ('local.get', carry), 'i64.add', ('local.tee', carry), 'i64.store32',
                      ('local.get', carry), ('i64.const', 32), 'i64.shr_u', ('local.set', carry),
                      ('local.get', i), ('i32.const', 1), 'i32.add', ('local.set', i), ('br', again))
        return self._helper('big.mul_small', 'big.mul_small', ['i32', 'i32', 'i32'], [], build, ('a', 'm', 'n'))

    @property
    def add(self):
        """add(d, a, b, n): d = a + b."""
        def build(f):
            a = _Asm(f)
            i, carry, off = f.local('i32', 'i'), f.local('i64', 'carry'), f.local('i32', 'off')
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', i), ('local.get', 3), 'i32.ge_u', ('br_if', done),
                      ('local.get', i), ('i32.const', 2), 'i32.shl', ('local.set', off),
                      ('local.get', 0), ('local.get', off), 'i32.add',
                      ('local.get', 1), ('local.get', off), 'i32.add', 'i64.load32_u',
                      ('local.get', 2), ('local.get', off), 'i32.add', 'i64.load32_u', 'i64.add',
                      ('local.get', carry), 'i64.add', ('local.tee', carry), 'i64.store32',
                      ('local.get', carry), ('i64.const', 32), 'i64.shr_u', ('local.set', carry),
                      ('local.get', i), ('i32.const', 1), 'i32.add', ('local.set', i), ('br', again))
        return self._helper('big.add', 'big.add', ['i32', 'i32', 'i32', 'i32'], [], build, ('d', 'a', 'b', 'n'))

    @property
    def sub(self):
        """sub(a, b, n): a = a − b (a >= b)."""
        def build(f):
            a = _Asm(f)
            i, t, at = f.local('i32', 'i'), f.local('i64', 't'), f.local('i32', 'at')
            borrow = f.local('i64', 'borrow')
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', i), ('local.get', 2), 'i32.ge_u', ('br_if', done),
                      ('local.get', 0), ('local.get', i), ('i32.const', 2), 'i32.shl', 'i32.add', ('local.tee', at),
                      ('local.get', at), 'i64.load32_u',
                      ('local.get', 1), ('local.get', i), ('i32.const', 2), 'i32.shl', 'i32.add', 'i64.load32_u',
                      'i64.sub', ('local.get', borrow), 'i64.sub', ('local.tee', t), 'i64.store32',
                      ('local.get', t), ('i64.const', 63), 'i64.shr_u', ('local.set', borrow),
                      ('local.get', i), ('i32.const', 1), 'i32.add', ('local.set', i), ('br', again))
        return self._helper('big.sub', 'big.sub', ['i32', 'i32', 'i32'], [], build, ('a', 'b', 'n'))

    @property
    def cmp(self):
        """cmp(a, b, n) -> -1, 0 or 1."""
        def build(f):
            a = _Asm(f)
            i, x, y = f.local('i32', 'i'), f.local('i32', 'x'), f.local('i32', 'y')
            a(('local.get', 2), ('local.set', i))
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', i), 'i32.eqz', ('br_if', done),
                      ('local.get', i), ('i32.const', 1), 'i32.sub', ('local.tee', i), ('i32.const', 2), 'i32.shl',
                      ('local.tee', x), ('local.get', 0), 'i32.add', 'i32.load', ('local.set', y),
                      ('local.get', x), ('local.get', 1), 'i32.add', 'i32.load', ('local.set', x),
                      ('local.get', y), ('local.get', x), 'i32.ne')
                    with f.if_():
                        a(('local.get', y), ('local.get', x), 'i32.gt_u',
                          ('local.get', y), ('local.get', x), 'i32.lt_u', 'i32.sub', 'return')
                    a(('br', again))
            a(('i32.const', 0))
        return self._helper('big.cmp', 'big.cmp', ['i32', 'i32', 'i32'], ['i32'], build, ('a', 'b', 'n'))

    @property
    def top(self):
        """top(a) -> the index of the highest non-zero limb (0 for zero)."""
        def build(f):
            a = _Asm(f)
            i = f.local('i32', 'i')
            a(('i32.const', LIMBS - 1), ('local.set', i))
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', i), 'i32.eqz', ('br_if', done),
                      ('local.get', 0), ('local.get', i), ('i32.const', 2), 'i32.shl', 'i32.add', 'i32.load',
                      ('br_if', done),
                      ('local.get', i), ('i32.const', 1), 'i32.sub', ('local.set', i), ('br', again))
            a(('local.get', i))
        return self._helper('big.top', 'big.top', ['i32'], ['i32'], build, ('a',))

    @property
    def pow10(self):
        """pow10(a, k): a = a × 10^k over all LIMBS limbs (k >= 0), nine digits per multiplication."""
        mul = self.mul_small

        def build(f):
            a = _Asm(f)
            m = f.local('i32', 'm')
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', 1), ('i32.const', 9), 'i32.lt_u', ('br_if', done),
                      ('local.get', 0), ('i32.const', 10**9), ('i32.const', LIMBS), ('call', mul),
                      ('local.get', 1), ('i32.const', 9), 'i32.sub', ('local.set', 1), ('br', again))
            a(('i32.const', 1), ('local.set', m))
            with f.block() as done:
                with f.loop() as again:
                    a(('local.get', 1), 'i32.eqz', ('br_if', done),
                      ('local.get', m), ('i32.const', 10), 'i32.mul', ('local.set', m),
                      ('local.get', 1), ('i32.const', 1), 'i32.sub', ('local.set', 1), ('br', again))
            a(('local.get', 0), ('local.get', m), ('i32.const', LIMBS), ('call', mul))
        return self._helper('big.pow10', 'big.pow10', ['i32', 'i32'], [], build, ('a', 'k'))
