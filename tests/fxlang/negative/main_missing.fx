// E@1:1: no 'main' function in {file}
fn start() {}
