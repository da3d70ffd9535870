//! How deeply JSON nests arrays and objects: the limit `insert` keeps and `open` enforces
//! (`docs/token-format.md`, opening step 10), and the scan that measures it.

/// How deeply a stored value may nest arrays and objects. Inside the session's object that is
/// one level more, well within what a JSON parser accepts by default (serde_json: 128), so any
/// value that can be inserted opens again. `docs/token-format.md` states it for other
/// implementations.
pub const MAX_DEPTH: usize = 100;

/// Whether `json` is long enough to nest deeper than [`MAX_DEPTH`]: each level takes two
/// brackets, so a shorter text cannot, and [`depth`] need not scan it.
pub(super) fn may_be_too_deep(json: &str) -> bool {
    json.len() > 2 * MAX_DEPTH
}

/// How deeply `json` (valid JSON) nests arrays and objects.
pub(super) fn depth(json: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
