struct P { x: int, y: int }
fn main() {
    let p = P { x: 1, y: 2 };
    match p { P { x: 0, y } => println(y) } // E:5: non-exhaustive match: pattern 'P { .. }' is not covered
    match p { P { x } => println(x) } // E:15: pattern for struct P does not name field 'y'; add '..' to ignore the others
    match p { P { z: 1, .. } => {} } // E:19: struct P has no field 'z'
    match p { Q { .. } => {} } // E:15: unknown struct 'Q'
    match p { P { x: 1, x: 2, .. } => {}, _ => {} } // E:25: field 'x' is matched twice
    match Some(p) { Some(P { x: "s", .. }) => {}, _ => {} } // E:33: type mismatch: expected int, found str (pattern type)
}
