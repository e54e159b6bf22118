// A generator fn's tail is either unit (dropped) or a generator it hands on; anything else is an error.
fn nat() -> Gen[int] { yield 1; }
fn bad() -> Gen[int] { 5 } // E:24: type mismatch: expected unit, found int
fn wrong_elem() -> Gen[str] { nat() } // E:31: type mismatch: expected str, found int (this generator yields str)
fn main() {}
