fn main() {
    let x = 1;
// E@4:1: expected statement or '}', found end of file
