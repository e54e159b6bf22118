fn f() {}
fn main() {
    f = 3; // E:5: cannot assign to function 'f'
}
