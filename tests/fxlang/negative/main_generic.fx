fn main[T]() { // E:4: 'main' cannot be generic
}
