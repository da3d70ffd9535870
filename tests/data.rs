//! What seal produces, open accepts: any value that `insert` accepts comes back on the next
//! request over real HTTP, deep ones and keys that need escaping included; and the size a
//! session tracks is the length of its serialized data, so `insert` fails exactly when the
//! token would pass the cap.

mod common;

use axum::{
    Json, Router,
    extract::Query,
    http::StatusCode,
    routing::{get, post},
};
use common::{HEADER, T0, config, keys, serve};
use proptest::{prelude::*, test_runner::TestRunner};
use sealed_session::{
    ManualClock, Session, SessionError, SessionLayer,
    token::{Codec, Data, MAX_DEPTH},
};
use serde_json::{Map, Value, json};

/// Any JSON value, from leaves to values nested up to 130 levels (past [`MAX_DEPTH`]), with
/// keys and strings that need JSON escaping.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        Just(Value::from("\"\\\n\u{0}\u{1f}\u{7f}\u{2028}é")),
    ];
    let shallow = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    (shallow, 0usize..130, any::<bool>()).prop_map(|(mut value, depth, objects)| {
        for _ in 0..depth {
            value = if objects {
                json!({ "k\"\n": value })
            } else {
                json!([value])
            };
        }
        value
    })
}

/// A server whose `/put?key=` stores the posted value and `/get?key=` answers it as read.
fn app(layer: SessionLayer) -> Router {
    #[derive(serde::Deserialize)]
    struct Key {
        key: String,
    }
    async fn put(
        session: Session,
        Query(Key { key }): Query<Key>,
        Json(value): Json<Value>,
    ) -> (StatusCode, String) {
        match session.insert(&key, value) {
            Ok(()) => (StatusCode::OK, "stored".into()),
            Err(e @ SessionError::TooDeep { .. }) => {
                (StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            Err(e) => (StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
        }
    }
    async fn read(session: Session, Query(Key { key }): Query<Key>) -> Json<Value> {
        Json(json!({ "is_new": session.is_new(), "value": session.get::<Value>(&key).unwrap() }))
    }
    Router::new()
        .route("/put", post(put))
        .route("/get", get(read))
        .layer(layer)
}

#[test]
fn whatever_insert_accepts_opens_on_the_next_request() {
    // Exercise: for each generated key and value, over real HTTP: insert it, then read it back
    // with the token the insert answered.
    // Expectation: either the insert fails at once (too deep, or too large) and no token is
    // sent, or the next request opens the session and reads back exactly the same value.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock).with_max_len(64 * 1024)).unwrap();
    let base = rt.block_on(serve(app(layer)));
    let client = common::client();
    let (stored, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let mut runner = TestRunner::new(ProptestConfig::with_cases(96));
    runner
        .run(&(any::<String>(), any_value()), |(key, value)| {
            rt.block_on(async {
                let put = client
                    .post(format!("{base}/put"))
                    .query(&[("key", &key)])
                    .json(&value)
                    .send()
                    .await
                    .unwrap();
                let status = put.status().as_u16();
                let token = put
                    .headers()
                    .get(HEADER)
                    .map(|t| t.to_str().unwrap().to_owned());
                if status != 200 {
                    prop_assert!(token.is_none(), "a failed insert sends no token");
                    refused.set(refused.get() + 1);
                    return Ok(());
                }
                stored.set(stored.get() + 1);
                let got: Value = client
                    .get(format!("{base}/get"))
                    .query(&[("key", &key)])
                    .header(HEADER, token.expect("a stored value sends a token"))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                prop_assert_eq!(&got["is_new"], &json!(false), "the token opened");
                prop_assert_eq!(&got["value"], &value);
                Ok(())
            })
        })
        .unwrap();
    let (stored, refused) = (stored.get(), refused.get());
    assert!(
        stored > 0 && refused > 0,
        "stored {stored}, refused {refused}"
    );
}

#[test]
fn a_value_nested_past_the_limit_cannot_be_inserted_and_one_at_it_opens() {
    // Exercise: a value nested exactly MAX_DEPTH levels and one nested MAX_DEPTH + 1, and the
    // old failure: 127 levels, which JSON parsers refuse inside the session's object.
    // Expectation: the first is stored and opens; the others fail at insert, naming the limit.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let clock = ManualClock::new(T0);
    let base = rt.block_on(serve(app(SessionLayer::new(config(&[1], &clock)).unwrap())));
    let client = common::client();
    let nested = |n: usize| -> Value {
        serde_json::from_str(&format!("{}{}", "[".repeat(n), "]".repeat(n))).unwrap()
    };
    rt.block_on(async {
        let put = |v: Value| client.post(format!("{base}/put?key=k")).json(&v).send();
        let ok = put(nested(MAX_DEPTH)).await.unwrap();
        assert_eq!(ok.status(), 200);
        let token = ok.headers()[HEADER].to_str().unwrap().to_owned();
        let got: Value = client
            .get(format!("{base}/get?key=k"))
            .header(HEADER, token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(got["value"], nested(MAX_DEPTH));
        for depth in [MAX_DEPTH + 1, 127] {
            let refused = put(nested(depth)).await.unwrap();
            assert_eq!(refused.status(), 422);
            assert!(refused.headers().get(HEADER).is_none());
            let text = refused.text().await.unwrap();
            assert!(text.contains(&format!("nests {depth} levels")), "{text}");
            assert!(text.contains("100"), "{text}");
        }
    });
}

/// One change to a session's data.
#[derive(Debug, Clone)]
enum Op {
    Insert(String, Value),
    Remove(String),
    Clear,
}

fn op() -> impl Strategy<Value = Op> {
    let key = prop_oneof![
        Just("a".to_owned()),
        Just("b\"\n".to_owned()),
        any::<String>()
    ];
    let value = prop_oneof![
        (0usize..900).prop_map(|n| Value::from("x".repeat(n))),
        any::<String>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(json!({"nested": [1, "two", null]})),
    ];
    prop_oneof![
        6 => (key.clone(), value).prop_map(|(k, v)| Op::Insert(k, v)),
        2 => key.prop_map(Op::Remove),
        1 => Just(Op::Clear),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn the_tracked_size_is_the_serialized_length(ops in prop::collection::vec(op(), 1..24)) {
        // Exercise: any sequence of inserts, removals and clears on the codec's data.
        // Expectation: after each, the length it tracks is the length it writes, and the
        // length serde_json gives the same map.
        let mut data = Data::new();
        for op in ops {
            match op {
                Op::Insert(k, v) => { data.insert(&k, &v).unwrap(); }
                Op::Remove(k) => { data.remove(&k); }
                Op::Clear => data.clear(),
            }
            let mut written = Vec::new();
            data.write(&mut written);
            prop_assert_eq!(data.json_len(), written.len());
            prop_assert_eq!(written, serde_json::to_vec(&data.to_map()).unwrap());
        }
    }

    #[test]
    fn insert_fails_exactly_when_the_token_would_pass_the_cap(
        cap in 127usize..2000,
        ops in prop::collection::vec(op(), 1..16),
    ) {
        // Exercise: a handler applies any sequence of changes under any cap.
        // Expectation: an insert fails exactly when the version 2 token of the data with it
        // would pass the cap; whatever passed is sealed within the cap.
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let layer = SessionLayer::new(
            sealed_session::SessionConfig::new(keys(&[1]))
                .with_clock(ManualClock::new(T0))
                .with_max_len(cap),
        )
        .unwrap();
        let (outcomes_tx, outcomes) = std::sync::mpsc::channel();
        let handler = move |session: Session| {
            let mut model = Map::new();
            for op in &ops {
                match op {
                    Op::Insert(k, v) => {
                        let mut with = model.clone();
                        with.insert(k.clone(), v.clone());
                        let len = Codec::token_len(serde_json::to_vec(&with).unwrap().len());
                        let fits = len <= cap;
                        let inserted = session.insert(k, v).is_ok();
                        outcomes_tx.send((fits, inserted)).unwrap();
                        if inserted {
                            model = with;
                        }
                    }
                    Op::Remove(k) => {
                        model.remove(k);
                        session.remove_value(k);
                    }
                    Op::Clear => {
                        model.clear();
                        session.clear();
                    }
                }
            }
        };
        let res = rt.block_on(common::call_layer(&layer, None, handler));
        prop_assert_eq!(res.status(), 200);
        for (fits, inserted) in outcomes.try_iter() {
            prop_assert_eq!(fits, inserted);
        }
        if let Some(token) = res.headers().get(HEADER) {
            prop_assert!(token.len() <= cap);
        }
    }
}
