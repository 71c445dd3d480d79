// A path crate of the workspace: editing it must show in the next build's
// output, although the dependency op that compiled the crates is reused.

/// The word the program greets with.
pub fn word() -> &'static str {
    "hello"
}
