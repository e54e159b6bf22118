fn main(argc: int) { // E:9: 'main' must take no parameters
}
