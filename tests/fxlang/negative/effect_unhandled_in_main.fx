effect Log { log(str) }
fn work() { perform log("working"); }
fn main() { // E:4: 'main' may perform effect Log that no handler handles (main -> work -> perform Log::log)
    work();
}
