fn g() -> Gen { // E:11: type 'Gen' takes 1 type argument but 0 were given; write Gen[T]
    yield 1;
}
fn main() {}
