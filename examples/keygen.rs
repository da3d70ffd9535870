//! Prints a fresh random session key, base64, for `SESSION_KEYS`.
//!
//! ```sh
//! export SESSION_KEYS=$(cargo run -q --example keygen)
//! ```

fn main() {
    println!("{}", sealed_session::Key::generate().to_base64().as_str());
}
