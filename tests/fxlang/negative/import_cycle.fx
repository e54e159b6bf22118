import import_cycle; // E:1: import cycle: main -> import_cycle
fn main() {}
