// An enum-based interpreter of a tiny expression language with variables, let-binding and conditionals.
enum Expr {
    Num(int),
    Var(str),
    Add(Expr, Expr),
    Mul(Expr, Expr),
    Sub(Expr, Expr),
    Less(Expr, Expr),
    If(Expr, Expr, Expr),
    Let(str, Expr, Expr),
}

struct Env { names: [str], values: [int] }

fn lookup(env: Env, name: str) -> int {
    let mut i = len(env.names) - 1;
    while i >= 0 {
        if env.names[i] == name { return env.values[i]; }
        i -= 1;
    }
    println("unbound variable " + name);
    0
}

fn eval(e: Expr, env: Env) -> int {
    match e {
        Expr::Num(n) => n,
        Expr::Var(x) => lookup(env, x),
        Expr::Add(a, b) => eval(a, env) + eval(b, env),
        Expr::Sub(a, b) => eval(a, env) - eval(b, env),
        Expr::Mul(a, b) => eval(a, env) * eval(b, env),
        Expr::Less(a, b) => if eval(a, env) < eval(b, env) { 1 } else { 0 },
        Expr::If(c, t, f) => if eval(c, env) != 0 { eval(t, env) } else { eval(f, env) },
        Expr::Let(x, v, body) => {
            let value = eval(v, env);
            push(env.names, x);
            push(env.values, value);
            let r = eval(body, env);
            pop(env.names);
            pop(env.values);
            r
        }
    }
}

fn show(e: Expr) -> str {
    match e {
        Expr::Num(n) => str(n),
        Expr::Var(x) => x,
        Expr::Add(a, b) => "(" + show(a) + " + " + show(b) + ")",
        Expr::Sub(a, b) => "(" + show(a) + " - " + show(b) + ")",
        Expr::Mul(a, b) => show(a) + " * " + show(b),
        Expr::Less(a, b) => show(a) + " < " + show(b),
        Expr::If(c, t, f) => "if " + show(c) + " then " + show(t) + " else " + show(f),
        Expr::Let(x, v, body) => "let " + x + " = " + show(v) + " in " + show(body),
    }
}

// Constant folding: a small optimiser over the same tree.
fn fold(e: Expr) -> Expr {
    match e {
        Expr::Add(a, b) => {
            let fa = fold(a);
            let fb = fold(b);
            match fa {
                Expr::Num(x) => match fb { Expr::Num(y) => Expr::Num(x + y), _ => Expr::Add(fa, fb) },
                _ => Expr::Add(fa, fb),
            }
        }
        Expr::Mul(a, b) => {
            let fa = fold(a);
            let fb = fold(b);
            match fa {
                Expr::Num(x) => match fb { Expr::Num(y) => Expr::Num(x * y), _ => Expr::Mul(fa, fb) },
                _ => Expr::Mul(fa, fb),
            }
        }
        Expr::Let(x, v, body) => Expr::Let(x, fold(v), fold(body)),
        _ => e,
    }
}

fn main() {
    let programs = [
        Expr::Add(Expr::Num(2), Expr::Mul(Expr::Num(3), Expr::Num(4))),
        Expr::Let("x", Expr::Num(5), Expr::Mul(Expr::Var("x"), Expr::Add(Expr::Var("x"), Expr::Num(1)))),
        Expr::Let("a", Expr::Num(10),
            Expr::Let("b", Expr::Sub(Expr::Var("a"), Expr::Num(3)),
                Expr::If(Expr::Less(Expr::Var("b"), Expr::Var("a")),
                         Expr::Mul(Expr::Var("a"), Expr::Var("b")),
                         Expr::Num(0)))),
        Expr::Add(Expr::Mul(Expr::Num(6), Expr::Num(7)), Expr::Var("y")),
    ];
    let env = Env { names: ["y"], values: [100] };
    let mut i = 0;
    while i < len(programs) {
        let p = programs[i];
        println(show(p) + "  =>  " + str(eval(p, env)));
        println("  folded: " + show(fold(p)));
        i += 1;
    }
}
