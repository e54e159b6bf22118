// A generic effect is always written with its type arguments.
effect State[T] { get() -> T, put(T) }
effect Log { log(str) }
fn bad_arity() / {State} {} // E:19: effect 'State' takes 1 type argument but 0 were given; write State[T]
fn too_many() / {State[int, str]} {} // E:18: effect 'State' takes 1 type argument but 2 were given; write State[T]
fn not_generic() / {Log[int]} {} // E:21: effect 'Log' takes no type arguments
fn main() {}
