exception Stop
fn main() {
    try { throw Stop; }
    catch _ { println("any"); }
    catch Stop { println("stop"); } // E:5: unreachable 'catch': the 'catch _' above it catches every exception
}
