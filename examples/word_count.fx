// Word frequencies over a text: split on non-letters, lower-case, count in a small hash table, sort by count.
struct Entry { word: str, count: int }

fn is_letter(b: int) -> bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

fn lower(b: int) -> int { if b >= 65 && b <= 90 { b + 32 } else { b } }

fn words(text: str) -> [str] {
    let out = [];
    let mut i = 0;
    let n = len(text);
    while i < n {
        while i < n && !is_letter(byte(text, i)) { i += 1; }
        let mut w = "";
        while i < n && is_letter(byte(text, i)) { w = w + chr(lower(byte(text, i))); i += 1; }
        if len(w) > 0 { push(out, w); }
    }
    out
}

fn hash(s: str) -> int {
    let mut h = 5381;
    let mut i = 0;
    while i < len(s) { h = (h * 33 + byte(s, i)) % 1000003; i += 1; }
    h
}

// Open addressing with linear probing; the table doubles when half full.
struct Table { slots: [Entry], used: int }

fn new_table(size: int) -> Table {
    let slots = [];
    let mut i = 0;
    while i < size { push(slots, Entry { word: "", count: 0 }); i += 1; }
    Table { slots: slots, used: 0 }
}

fn add(t: Table, w: str, by: int) -> Table {
    let mut table = t;
    if table.used * 2 >= len(table.slots) {
        let bigger = new_table(len(table.slots) * 2);
        let mut i = 0;
        while i < len(table.slots) {
            let e = table.slots[i];
            if e.count > 0 { add(bigger, e.word, e.count); }
            i += 1;
        }
        table = bigger;
    }
    let size = len(table.slots);
    let mut j = hash(w) % size;
    while table.slots[j].count > 0 && table.slots[j].word != w { j = (j + 1) % size; }
    if table.slots[j].count == 0 {
        table.slots[j] = Entry { word: w, count: by };
        table.used += 1;
    } else {
        table.slots[j].count += by;
    }
    table
}

fn main() {
    let text = "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!\n" +
        "A fox, a dog, and THE end: over and over, the quick fox wins.";
    let ws = words(text);
    let mut t = new_table(4);
    let mut i = 0;
    while i < len(ws) { t = add(t, ws[i], 1); i += 1; }
    let entries = [];
    i = 0;
    while i < len(t.slots) { if t.slots[i].count > 0 { push(entries, t.slots[i]); } i += 1; }
    // Insertion sort: by count descending, then alphabetically.
    i = 1;
    while i < len(entries) {
        let e = entries[i];
        let mut j = i - 1;
        while j >= 0 && (entries[j].count < e.count || (entries[j].count == e.count && entries[j].word > e.word)) {
            entries[j + 1] = entries[j];
            j -= 1;
        }
        entries[j + 1] = e;
        i += 1;
    }
    println(str(len(ws)) + " words, " + str(len(entries)) + " distinct");
    i = 0;
    while i < 6 { println(slice(entries[i].word + "          ", 0, 8) + str(entries[i].count)); i += 1; }
}
