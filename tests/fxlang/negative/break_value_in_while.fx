fn main() {
    while true {
        break 5; // E:15: 'break' with a value is only allowed inside 'loop'
    }
}
