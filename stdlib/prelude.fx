// The prelude: seen by every module without an import (fxlang/modules.py loads it first).
// Names declared in a module or in the modules it imports take precedence over these.

// An optional value; `next(g)` returns Some(value) while the generator `g` yields, then None.
enum Option[T] {
    Some(T),
    None,
}
