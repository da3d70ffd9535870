//! Unit tests of the errors: the chain a reporter prints, the refusal names.

use std::error::Error;

use super::*;

/// What an error reporter prints: each level's `Display`, walking `source()`.
fn report(error: &dyn Error) -> Vec<String> {
    let mut levels = vec![error.to_string()];
    let mut next = error.source();
    while let Some(e) = next {
        levels.push(e.to_string());
        next = e.source();
    }
    levels
}

#[test]
fn a_reporter_that_walks_the_chain_prints_each_message_once() {
    // Exercise: errors with a cause, reported level by level.
    // Expectation: the cause's message appears once, in its own level only.
    let key = KeyError::BadLength {
        index: 0,
        count: 1,
        got: 16,
        hint: KeyHint::None,
    };
    let levels = report(&ConfigError::Key(key.clone()));
    assert_eq!(
        levels,
        [ConfigError::Key(key.clone()).to_string(), key.to_string()]
    );
    assert_eq!(levels.concat().matches("wrong length").count(), 1);

    let levels = report(&SessionError::Random(RandomError));
    assert_eq!(levels.len(), 2);
    assert_eq!(
        levels.concat().matches("random number generator").count(),
        1
    );

    let too_large = SessionError::TooLarge {
        len: 5000,
        cap: 4096,
    };
    assert_eq!(report(&too_large).len(), 1);
}

#[test]
fn refusal_names_are_distinct_and_stable() {
    let all = Refusal::ALL;
    let names: std::collections::HashSet<_> = all.iter().map(|r| r.as_str()).collect();
    assert_eq!(names.len(), all.len());
    assert_eq!(Refusal::Unverified.to_string(), "unverified");
    assert_eq!(Refusal::Invalid.to_string(), "invalid");
}
