// Real crates with a derive proc-macro: serde's derive runs on the build
// platform while the program is cross-compiled. The program reads a JSON
// object from its first argument (or a default), changes it and prints it.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug)]
struct Greeting {
    word: String,
    to: String,
    times: u32,
}

fn main() {
    let input = std::env::args().nth(1).unwrap_or_else(|| r#"{"word":"","to":"world","times":1}"#.to_string());
    let mut g: Greeting = match serde_json::from_str(&input) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("rust-serde: {e}");
            std::process::exit(2);
        }
    };
    g.word = greeting::word().to_string();
    g.times += 1;
    println!("{}", serde_json::to_string(&g).expect("a Greeting always serializes"));
}
