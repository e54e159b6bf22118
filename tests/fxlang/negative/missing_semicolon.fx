fn main() {
    let x = 1
    let y = 2; // E:5: expected ';', found 'let'
}
