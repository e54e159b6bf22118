exception NotFound(str)
fn main() {
    throw NotFund("k"); // E:5: unknown exception 'NotFund'
}
