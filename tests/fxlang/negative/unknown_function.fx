fn main() {
    frobnicate(3); // E:5: unknown function 'frobnicate'
}
