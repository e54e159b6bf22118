fn double[T](x: T) -> T {
    x * 2 // E:5: operator '*' cannot be applied to T
}
fn main() { println(double(1)); println(double(2.5)); }
