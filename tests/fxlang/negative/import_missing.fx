import nowhere.to_be_found; // E:1: cannot find module 'nowhere.to_be_found' (looked for {dir}/nowhere/to_be_found.fx)
fn main() {}
