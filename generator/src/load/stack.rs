//! A big thread stack for the deep recursion of `openapiv3`'s deserialiser (see `typed.rs`)
//! and of the YAML parser's workers (see `split.rs`).

/// Stack for [`with_big_stack`]; only reserved address space until used.
pub(crate) const DESERIALIZE_STACK: usize = 64 << 20;

/// Run `f` on a thread with a [`DESERIALIZE_STACK`] stack. `openapiv3`'s untagged and
/// flattened types buffer every schema level through several deep serde frames (about 30 KB
/// per nesting level in a debug build), so a document at the parsers' nesting limit of 128
/// would overflow an ordinary 2 MiB thread stack. The nesting is bounded (by the parsers and
/// [`MAX_SCHEMA_DEPTH`](super::ctx::MAX_SCHEMA_DEPTH)), so a fixed large stack always suffices; if the thread
/// cannot be spawned, `f` runs on the caller's stack.
pub fn with_big_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let mut f = Some(f);
    let spawned = std::thread::scope(|scope| {
        let f = &mut f;
        let handle = std::thread::Builder::new()
            .name("openapi-gen-load".into())
            .stack_size(DESERIALIZE_STACK)
            .spawn_scoped(scope, move || (f.take().expect("called once"))());
        handle.ok().map(|h| match h.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        })
    });
    match spawned {
        Some(value) => value,
        None => (f.take().expect("not run: the thread did not start"))(),
    }
}
