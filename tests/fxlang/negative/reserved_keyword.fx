fn main() {
    let await = 3; // E:9: 'await' is reserved for a future version of fx and cannot be used here
}
