fn main() {
    let v = Vec3 { x: 1.0 }; // E:13: unknown struct 'Vec3'
}
