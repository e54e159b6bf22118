// std.collections: a generic hash map and hash set, written in fx (docs/stdlib.md lists them).
//
// fx has no traits, so a map is made with the two functions it needs for its keys: `hash` and `eq`
// (map_new(hash, eq)); str_map() and int_map() give them for str and int keys.  Entries live in one array in
// insertion order (removed ones are marked dead and dropped at the next resize), and each bucket lists the
// indexes of its entries: iteration follows insertion order, like Python's dict.  The table doubles when
// it holds more than 3/4 as many live entries as buckets, so get/set/remove take O(1) on average.

struct MapEntry[K, V] { key: K, value: V, live: bool }

struct HashMap[K, V] {
    hash: fn(K) -> int,
    eq: fn(K, K) -> bool,
    entries: [MapEntry[K, V]],
    buckets: [[int]],           // entry indexes, per bucket; len is a power of two
    live: int,
}

fn map_new[K, V](hash: fn(K) -> int, eq: fn(K, K) -> bool) -> HashMap[K, V] {
    let entries: [MapEntry[K, V]] = [];
    HashMap { hash: hash, eq: eq, entries: entries, buckets: collections_buckets(8), live: 0 }
}

// a map with str keys
fn str_map[V]() -> HashMap[str, V] { map_new(hash_str, |a: str, b: str| a == b) }

// a map with int keys
fn int_map[V]() -> HashMap[int, V] { map_new(hash_int, |a: int, b: int| a == b) }

// A hash of a string's bytes (polynomial, wrapping); equal strings have equal hashes.
fn hash_str(s: str) -> int {
    let mut h = 1469598103934665603;
    for i in 0..len(s) { h = h * 1099511628211 + byte(s, i) + 1; }
    h
}

fn hash_int(x: int) -> int { x }

// mixes the high bits of a hash into the low ones (bucket indexes take the low bits)
fn collections_mix(h: int) -> int {
    let a = h * -7046029254386353131;
    a + a / 4294967296 + a / 281474976710656
}

fn collections_buckets(n: int) -> [[int]] {
    let out: [[int]] = [];
    for _ in 0..n {
        let b: [int] = [];
        push(out, b);
    }
    out
}

fn collections_bucket_of[K, V](m: HashMap[K, V], k: K) -> int {
    let n = len(m.buckets);
    let i = collections_mix(m.hash(k)) % n;
    if i < 0 { i + n } else { i }
}

// the index in m.entries of the live entry for `k`, or -1
fn collections_index[K, V](m: HashMap[K, V], k: K) -> int {
    for i in m.buckets[collections_bucket_of(m, k)] {
        let e = m.entries[i];
        if m.eq(e.key, k) { return i; }
    }
    -1
}

fn collections_resize[K, V](m: HashMap[K, V], n: int) {
    let old = m.entries;
    let entries: [MapEntry[K, V]] = [];
    m.entries = entries;
    m.buckets = collections_buckets(n);
    for e in old {
        if e.live {
            push(m.buckets[collections_bucket_of(m, e.key)], len(m.entries));
            push(m.entries, e);
        }
    }
}

fn map_len[K, V](m: HashMap[K, V]) -> int { m.live }

// sets the value for `k` (a new key goes last in the iteration order; an existing one keeps its place)
fn map_set[K, V](m: HashMap[K, V], k: K, v: V) {
    let i = collections_index(m, k);
    if i >= 0 {
        m.entries[i].value = v;
        return;
    }
    if 4 * (m.live + 1) > 3 * len(m.buckets) {
        collections_resize(m, 2 * len(m.buckets));
    } else if len(m.entries) >= 2 * len(m.buckets) {
        collections_resize(m, len(m.buckets));         // many dead entries: compact
    }
    push(m.buckets[collections_bucket_of(m, k)], len(m.entries));
    push(m.entries, MapEntry { key: k, value: v, live: true });
    m.live += 1;
}

fn map_get[K, V](m: HashMap[K, V], k: K) -> Option[V] {
    let i = collections_index(m, k);
    if i < 0 { None } else { Some(m.entries[i].value) }
}

// the value for `k`, or `default`
fn map_get_or[K, V](m: HashMap[K, V], k: K, default: V) -> V {
    let i = collections_index(m, k);
    if i < 0 { default } else { m.entries[i].value }
}

fn map_has[K, V](m: HashMap[K, V], k: K) -> bool { collections_index(m, k) >= 0 }

// removes `k`; whether it was there
fn map_remove[K, V](m: HashMap[K, V], k: K) -> bool {
    let i = collections_index(m, k);
    if i < 0 { return false; }
    let bucket = m.buckets[collections_bucket_of(m, k)];
    let mut j = 0;
    while bucket[j] != i { j += 1; }
    bucket[j] = bucket[len(bucket) - 1];
    pop(bucket);
    m.entries[i].live = false;
    m.live -= 1;
    true
}

// the keys, in insertion order
fn map_keys[K, V](m: HashMap[K, V]) -> [K] {
    let out: [K] = [];
    for e in m.entries { if e.live { push(out, e.key); } }
    out
}

// the values, in the keys' order
fn map_values[K, V](m: HashMap[K, V]) -> [V] {
    let out: [V] = [];
    for e in m.entries { if e.live { push(out, e.value); } }
    out
}

// calls f(key, value) for each entry, in insertion order (f must not add or remove keys)
fn map_each[K, V](m: HashMap[K, V], f: fn(K, V) -> unit) {
    for e in m.entries { if e.live { f(e.key, e.value); } }
}

// ---- sets: a map whose values are unused

struct HashSet[T] { map: HashMap[T, bool] }

fn set_new[T](hash: fn(T) -> int, eq: fn(T, T) -> bool) -> HashSet[T] { HashSet { map: map_new(hash, eq) } }

fn str_set() -> HashSet[str] { HashSet { map: str_map() } }

fn int_set() -> HashSet[int] { HashSet { map: int_map() } }

// adds `x`; whether it was new
fn set_add[T](s: HashSet[T], x: T) -> bool {
    if map_has(s.map, x) { return false; }
    map_set(s.map, x, true);
    true
}

fn set_has[T](s: HashSet[T], x: T) -> bool { map_has(s.map, x) }

fn set_remove[T](s: HashSet[T], x: T) -> bool { map_remove(s.map, x) }

fn set_len[T](s: HashSet[T]) -> int { map_len(s.map) }

// the elements, in insertion order
fn set_items[T](s: HashSet[T]) -> [T] { map_keys(s.map) }
