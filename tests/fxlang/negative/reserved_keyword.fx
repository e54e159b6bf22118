fn main() {
    let resume = 3; // E:9: 'resume' is reserved for a future version of fx and cannot be used here
}
