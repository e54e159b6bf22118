fn main() {
    discontinue(); // E:5: 'discontinue' takes 1 argument but 0 were given
}
