// Strings: escapes, concatenation, comparison, numbers and booleans to text, and a small table printer.
fn pad(s: str, width: int) -> str {
    let mut out = s;
    while len(out) < width { out = out + " "; }
    out
}

fn min_str(a: str, b: str) -> str { if a < b { a } else { b } }

fn repeat(s: str, n: int) -> str {
    let mut out = "";
    let mut i = 0;
    while i < n { out = out + s; i += 1; }
    out
}

fn main() {
    println("tab:\t| quote: \" | backslash: \\ | unicode: héllo wörld");
    let names = ["pear", "apple", "fig", "banana", "cherry"];
    let mut smallest = names[0];
    let mut i = 1;
    while i < len(names) { smallest = min_str(smallest, names[i]); i += 1; }
    println("alphabetically first: " + smallest);
    println("\"apple\" < \"apples\": " + str("apple" < "apples") + ", \"b\" > \"abc\": " + str("b" > "abc"));
    println("equal: " + str("fig" == "f" + "ig") + ", not equal: " + str("fig" != "fig"));
    println(repeat("=-", 12));
    i = 0;
    while i < len(names) {
        let n = names[i];
        println("| " + pad(n, 8) + "| " + pad(str(len(n)), 3) + "| " + str(float(len(n)) / 4.0));
        i += 1;
    }
    println(repeat("=-", 12));
    print("no newline, ");
    print(42);
    print(" ");
    print(2.5e-7);
    print(" ");
    println(true);
    println(str(1.0 / 3.0) + " " + str(1e21) + " " + str(0.0 - 0.0) + " " + str(-9223372036854775807 - 1));
}
