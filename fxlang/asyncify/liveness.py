"""TEMPORARY conservative liveness (every local live everywhere), replaced by the real analysis."""
def live_after(module, func):
    n = len(func.params) + len(func.locals)
    s = frozenset(range(n))
    return [s] * len(func.body)
