fn main() {
    let x = 1;
fn other() {} // E:1: expected statement or '}', found 'fn'
