fn main() {
    let a = return.x; // E:13: type never has no field 'x'
}
