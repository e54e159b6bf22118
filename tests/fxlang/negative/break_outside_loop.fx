fn main() {
    if true {
        break; // E:9: 'break' outside of a loop
    }
}
