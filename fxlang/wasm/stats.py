"""instruction_counts(data) -> {instruction name: static count}, for `fxc build --stats`.

Static counts over every function body of a binary (text-format names, e.g. `resume`, `ref.cast`), plus a few
module-level entries prefixed with `#` (`#functions`, `#types`, `#tags`, `#bytes`) so the size of the output
is visible too.  Raises read.ReadError for a malformed binary.
"""

from collections import Counter

from . import opcodes
from .read import read


def instruction_counts(data: bytes) -> dict[str, int]:
    module = read(data)
    counts: Counter[str] = Counter()
    for f in module.funcs:
        for ins in f.body:
            counts[opcodes.TEXT_NAME.get(ins.op, ins.op)] += 1
    counts['#functions'] = len(module.funcs)
    counts['#types'] = len(module.types)
    counts['#tags'] = len(module.tags) + module.imports.count('tag')
    counts['#bytes'] = len(data)
    return dict(counts)
