exception Bad(int)
fn main() {
    throw Bad; // E:5: exception 'Bad' takes 1 argument but 0 were given
}
