// std.io: standard input, arguments and files, written in fx over the low-level I/O builtins (WASI calls;
// docs/host.md, docs/language.md "Input and output"). Failures are IOError exceptions.
//
//   read_line() -> Option[str]     the next line of standard input without its "\n"; None at the end
//   read_all() -> str              the rest of standard input
//   args() -> [str]                the program's arguments, argv[0] (the program's file name) first
//   read_file(path) -> str         a whole file
//   write_file(path, s)            create or truncate the file and write `s`
//   append_file(path, s)           append `s` (creating the file)
//   lines(path) -> Gen[str]        the lines of a file, read lazily as the generator is stepped
//   eprintln(s)                    `s` and a newline on standard error
//
// A path is looked up the way WASI libc does: under the preopened directory (`fxc run --dir`) whose name is
// its longest leading component(s) ("data/x.txt" under --dir data, "/box/x" under --dir h::/box), and a
// relative path under a directory preopened as "." too. Nothing outside the preopened directories exists.

exception IOError(str)

let CHUNK = 65536;
let mut stdin_buf = "";
let mut stdin_pos = 0;
let mut stdin_done = false;

// The text of a WASI errno (the common ones; others by number).
fn errno_text(e: int) -> str {
    if e == 44 { "no such file or directory" }
    else if e == 76 || e == 63 { "not permitted (outside every --dir)" }
    else if e == 8 { "bad file descriptor (no --dir given?)" }
    else if e == 54 { "not a directory" }
    else if e == 31 { "is a directory" }
    else if e == 2 { "permission denied" }
    else if e == 20 { "file exists" }
    else if e == 37 { "name too long" }
    else if e == 32 { "too many symbolic links" }
    else if e == 51 { "no space left on device" }
    else { "WASI errno " + str(e) }
}

fn starts_with(s: str, prefix: str) -> bool {
    len(s) >= len(prefix) && slice(s, 0, len(prefix)) == prefix
}

fn find_byte(s: str, b: int, from: int) -> int {
    let mut i = from;
    let n = len(s);
    while i < n {
        if byte(s, i) == b { return i; }
        i += 1;
    }
    -1
}

// "x/" -> "x" (not "/" itself), "./a" -> "a"
fn trim_dir(name: str) -> str {
    let mut s = name;
    while len(s) > 1 && byte(s, len(s) - 1) == 47 { s = slice(s, 0, len(s) - 1); }
    if s == "./" { s = "."; }
    s
}

// fd of the preopened directory `path` lies under, and the path relative to it: (fd, rest); fd -1 if none.
struct Found { fd: int, rest: str }

fn find_preopen(path: str) -> Found {
    let mut p = path;
    while starts_with(p, "./") { p = slice(p, 2, len(p)); }
    let mut best = Found { fd: -1, rest: "" };
    let mut best_len = -1;
    let mut fd = 3;
    loop {
        let name = trim_dir(sys_preopen(fd));
        if len(name) == 0 && sys_errno() != 0 { break; }       // no such descriptor: the preopens ended
        if len(name) > 0 {
            let mut rest = "";
            let mut matched = -1;
            if name == "." {
                if !starts_with(p, "/") { matched = 0; rest = p; }
            } else if name == "/" {
                if starts_with(p, "/") { matched = 1; rest = slice(p, 1, len(p)); }
            } else if p == name {
                matched = len(name); rest = ".";
            } else if starts_with(p, name + "/") {
                matched = len(name); rest = slice(p, len(name) + 1, len(p));
            }
            if matched > best_len { best_len = matched; best = Found { fd: fd, rest: rest }; }
        }
        fd += 1;
    }
    if len(best.rest) == 0 && best.fd >= 0 { best = Found { fd: best.fd, rest: "." }; }
    best
}

// mode 0 read, 1 write (create, truncate), 2 append (create)
fn open(path: str, mode: int) -> int {
    let found = find_preopen(path);
    if found.fd < 0 {
        throw IOError(path + ": not under any preopened directory (fxc run --dir)");
    }
    let fd = sys_open_at(found.fd, found.rest, mode);
    if fd < 0 { throw IOError(path + ": " + errno_text(0 - fd)); }
    fd
}

fn read_fd(fd: int, what: str) -> str {
    let mut out = "";
    loop {
        let chunk = sys_read(fd, CHUNK);
        if len(chunk) == 0 {
            let e = sys_errno();
            if e != 0 { throw IOError(what + ": " + errno_text(e)); }
            break;
        }
        out = out + chunk;
    }
    out
}

fn read_file(path: str) -> str {
    let fd = open(path, 0);
    let text = try { read_fd(fd, path) } finally { sys_close(fd); };
    text
}

fn write_to(path: str, s: str, mode: int) {
    let fd = open(path, mode);
    let e = sys_write(fd, s);
    sys_close(fd);
    if e != 0 { throw IOError(path + ": " + errno_text(e)); }
}

fn write_file(path: str, s: str) { write_to(path, s, 1); }

fn append_file(path: str, s: str) { write_to(path, s, 2); }

fn args() -> [str] { sys_args() }

fn eprintln(s: str) { sys_write(2, s + "\n"); }

// Refill the standard input buffer; false at the end of input.
fn fill_stdin() -> bool {
    if stdin_done { return false; }
    let chunk = sys_read(0, CHUNK);
    if len(chunk) == 0 {
        let e = sys_errno();
        if e != 0 { throw IOError("standard input: " + errno_text(e)); }
        stdin_done = true;
        return false;
    }
    stdin_buf = slice(stdin_buf, stdin_pos, len(stdin_buf)) + chunk;
    stdin_pos = 0;
    true
}

fn read_line() -> Option[str] {
    loop {
        let i = find_byte(stdin_buf, 10, stdin_pos);
        if i >= 0 {
            let line = slice(stdin_buf, stdin_pos, i);
            stdin_pos = i + 1;
            return Some(line);
        }
        if !fill_stdin() {
            if stdin_pos < len(stdin_buf) {
                let line = slice(stdin_buf, stdin_pos, len(stdin_buf));
                stdin_pos = len(stdin_buf);
                return Some(line);
            }
            return None;
        }
    }
}

fn read_all() -> str {
    while fill_stdin() { }
    let rest = slice(stdin_buf, stdin_pos, len(stdin_buf));
    stdin_buf = "";
    stdin_pos = 0;
    rest
}

// The lines of a file (without "\n"), read CHUNK bytes at a time as the generator is stepped; the file is
// closed when the lines end, when the generator is cancelled (a `for` left early) or on an error.
fn lines(path: str) -> Gen[str] {
    let fd = open(path, 0);
    try {
        let mut buf = "";
        let mut pos = 0;
        let mut more = true;
        loop {
            let i = find_byte(buf, 10, pos);
            if i >= 0 {
                yield slice(buf, pos, i);
                pos = i + 1;
            } else if more {
                let chunk = sys_read(fd, CHUNK);
                if len(chunk) == 0 {
                    let e = sys_errno();
                    if e != 0 { throw IOError(path + ": " + errno_text(e)); }
                    more = false;
                } else {
                    buf = slice(buf, pos, len(buf)) + chunk;
                    pos = 0;
                }
            } else {
                if pos < len(buf) { yield slice(buf, pos, len(buf)); }
                break;
            }
        }
    } finally {
        sys_close(fd);
    };
}
