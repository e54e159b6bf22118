"""vm.valid: validation of decoded modules.

    validate(module) -> None      raises vm.errors.ValidationError, and nothing else

Layout, one phase step per module:
    validate.py     the module rule (types, imports, tables, globals, segments, functions, exports)
    context.py      the context C: index spaces and lookups with the spec's error wording
    code.py         instruction sequences by the spec appendix's algorithm (value/control stacks)
    rules/          one typing rule per instruction, by group (control, variables, memory,
                    references, aggregates, continuations)
    subtyping.py    iso-recursive canonicalization and matching of types

subtyping.py also offers canonical type ids (`canonical_ids`, `match_canonical`) for import
matching at link time: ids are process-wide, so ids of different modules compare directly.
"""

from .validate import validate
from .subtyping import canonical_ids, match_canonical

__all__ = ['validate', 'canonical_ids', 'match_canonical']
