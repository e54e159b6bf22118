fn main() {
    let f = || {
        continue // E:9: 'continue' outside of a loop
    };
    while true { f(); }
}
