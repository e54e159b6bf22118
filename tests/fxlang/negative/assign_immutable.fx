fn main() {
    let count = 0;
    count = count + 1; // E:5: cannot assign to immutable variable 'count'
}
