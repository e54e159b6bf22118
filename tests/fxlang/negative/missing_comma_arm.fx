fn main() {
    let v = match 3 {
        1 => 10
        _ => 20 // E:9: expected ',' after match arm
    };
}
