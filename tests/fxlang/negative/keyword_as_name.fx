fn main() {
    let await = 3; // E:9: 'await' is a keyword and cannot be used as a name
}
