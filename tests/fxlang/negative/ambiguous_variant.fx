enum A { Empty, Full(int) }
enum B { Empty, Many([int]) }
fn main() {
    let x = Empty; // E:13: ambiguous variant 'Empty': write A::Empty or B::Empty
}
