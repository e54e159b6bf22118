fn main() {
    let xs = [1, 2];
    push(xs); // E:5: 'push' takes 2 arguments but 1 was given
}
