fn main() {
    let l = len; // E:13: builtin 'len' can only be called
}
