enum Shape { Rect(float, float), Dot }
fn main() {
    let s = Rect(1.0); // E:13: variant 'Rect' takes 2 arguments but 1 was given
}
