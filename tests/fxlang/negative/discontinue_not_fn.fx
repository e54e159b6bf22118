fn main() {
    discontinue(3); // E:17: 'discontinue' cannot be applied to int (it takes a handler's continuation k)
}
