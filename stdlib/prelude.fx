// The prelude: seen by every module without an import (fxlang/modules.py loads it first).
// Names declared in a module or in the modules it imports take precedence over these.
// Everything here is generic, so a program pays only for what it uses (one copy per instantiation).

// An optional value; `next(g)` returns Some(value) while the generator `g` yields, then None.
enum Option[T] {
    Some(T),
    None,
}

fn is_some[T](o: Option[T]) -> bool {
    match o { Some(_) => true, None => false }
}

fn is_none[T](o: Option[T]) -> bool {
    match o { Some(_) => false, None => true }
}

// The value of `o`, or `default` when there is none.
fn unwrap_or[T](o: Option[T], default: T) -> T {
    match o { Some(v) => v, None => default }
}
