// A missing ';' is reported where it is missing: at the end of the line, not at the next statement.
fn main() {
    let x = 1 // E:14: expected ';' after this, found 'let' on the next line
    let y = 2;
}
