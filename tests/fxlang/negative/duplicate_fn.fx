fn helper() -> int { 1 }
fn helper() -> int { 2 } // E:4: duplicate definition of 'helper'
fn main() {}
