"""vm.valid: validation of decoded modules (spec appendix algorithm).

    validate(module) -> None      raises vm.errors.ValidationError

subtyping.py also offers canonical type ids (`canonical_ids`, `match_canonical`) for import
matching at link time: ids are process-wide, so ids of different modules compare directly.
"""

from .validate import validate
from .subtyping import canonical_ids, match_canonical

__all__ = ['validate', 'canonical_ids', 'match_canonical']
