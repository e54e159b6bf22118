enum Pair { Two(int, int), Zero }
fn sum(p: Pair) -> int {
    match p {
        Two(a) => a, // E:9: variant 'Two' has 2 fields but the pattern has 1
        Zero => 0,
    }
}
fn main() {}
