//! A typed extractor on top of `Session`: handlers ask for a `User` and never touch keys or
//! JSON; a request without a logged-in user is answered 401 before the handler runs.
//!
//! ```sh
//! cargo run --example typed
//! curl -i -X POST localhost:3000/login/42        # note the x-session header
//! curl -H "x-session: <value>" localhost:3000/me  # {"id":42}
//! ```

#[path = "support/mod.rs"]
mod support;

use axum::{
    Json, Router,
    extract::{FromRequestParts, Path},
    http::{StatusCode, request::Parts},
    routing::{get, post},
};
use sealed_session::{Session, SessionConfig, SessionLayer};
use serde::{Deserialize, Serialize};

const USER: &str = "user";

/// The logged-in user, as stored in the session.
#[derive(Debug, Serialize, Deserialize)]
struct User {
    id: u64,
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = (StatusCode, &'static str);

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, "session layer missing"))?;
        session
            .get::<User>(USER)
            .ok()
            .flatten()
            .ok_or((StatusCode::UNAUTHORIZED, "log in first"))
    }
}

async fn login(session: Session, Path(id): Path<u64>) -> Result<&'static str, StatusCode> {
    session.cycle_id(); // a new id at every login: an id seen before is worth nothing now
    session
        .insert(USER, User { id })
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    Ok("logged in")
}

async fn me(user: User) -> Json<User> {
    Json(user)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let keys = support::keys()?;
    let app = Router::new()
        .route("/login/{id}", post(login))
        .route("/me", get(me))
        .layer(SessionLayer::new(SessionConfig::new(keys))?);
    let listener = support::bind(support::port("PORT", 3000)?).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
