struct Box[T] { v: T }
fn main() {
    let a: Box = Box { v: 1 }; // E:12: type 'Box' takes 1 type argument but 0 were given; write Box[T]
    let b: Option[int, int] = None; // E:12: type 'Option' takes 1 type argument but 2 were given; write Option[T]
}
