fn get(t: int) -> int {
    await t // E:5: 'await' outside async: only an async fn (or a lambda inside one) may await
}
fn main() {}
