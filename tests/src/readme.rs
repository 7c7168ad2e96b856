//! README snippets kept verbatim in test files, between `README: begin <name>` and
//! `README: end` comment markers inside a module, so that the README cannot drift from code
//! that runs.

/// The blocks between the markers in `source`, without their module's indent.
#[must_use]
pub fn snippets(source: &str) -> Vec<String> {
    // Built here, so that this function's own text holds no marker.
    let (begin, end) = (
        format!("    // {}: begin ", "README"),
        format!("    // {}: end", "README"),
    );
    source
        .split(begin.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once('\n'))
        .filter_map(|(_, rest)| rest.split(end.as_str()).next())
        .map(|block| {
            block
                .lines()
                .map(|line| line.strip_prefix("    ").unwrap_or(line))
                .fold(String::new(), |text, line| text + line + "\n")
        })
        .collect()
}

/// Fails unless `readme` shows each of the `count` snippets of `source` verbatim, as a
/// `rust,no_run` block.
///
/// # Panics
///
/// When a snippet is missing from the README or changed there, or `source` holds another
/// number of snippets.
pub fn assert_readme_shows(readme: &str, source: &str, count: usize) {
    let blocks = snippets(source);
    assert_eq!(blocks.len(), count, "snippets between README markers");
    for block in blocks {
        let fenced = format!("```rust,no_run\n{block}```");
        assert!(
            readme.contains(&fenced),
            "the README lost or changed:\n{block}"
        );
    }
}
