fn main() {}
// E@3:1: unterminated block comment
/* this comment never ends
