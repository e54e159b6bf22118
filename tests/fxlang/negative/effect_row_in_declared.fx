// An open row names a function type's effects; a fn's own declared effects are a closed bound.
effect Log { log(str) }
fn f() / {Log | e} {} // E:17: an open effect row ('| e') belongs in a function type, not in a fn's declared effects (leave the effects out to have them inferred)
fn main() {}
