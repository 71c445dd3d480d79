// A static musl binary with the standard library only: it greets whoever is
// named on the command line, and says which target it was built for.

fn main() {
    let who = std::env::args().nth(1).unwrap_or_else(|| "world".to_string());
    println!("hello, {who}, from Rust on {}", std::env::consts::ARCH);
}
