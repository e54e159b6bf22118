exception Stop
fn main() {
    try { throw Stop; } catch Stop { } catch Stop { } // E:40: exception 'Stop' is caught twice
}
