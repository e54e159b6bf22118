fn main() {
    let x = next([1]); // E:18: 'next' cannot be applied to [int] (it takes a generator, Gen[T])
    cancel(3); // E:12: 'cancel' cannot be applied to int (it takes a generator, Gen[T])
}
