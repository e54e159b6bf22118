// Nothing fixes T: no use of the value, no handler around, no declared effect.
effect State[T] { get() -> T, put(T) }
fn open() { perform put(perform get()); } // E:13: cannot infer the type argument T of effect State; add a type annotation or handle it where the type is known
fn main() {}
