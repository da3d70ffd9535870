//! What every platform's client does alike, written once and run for each platform against its
//! stand-in: a code not worth sending is refused before any request, a used code is a bad code,
//! a non-200 status, a page instead of JSON and a too large answer are upstream errors, a hung
//! API is a timeout, and no error's text (Display, Debug, causes) shows a secret or a code.

use std::sync::{Arc, atomic::Ordering};

use sealed_session::login::{LoginCode, LoginError, MiniProgramLogin};

use super::*;

/// One platform's client against its stand-in, and what it must never show.
struct Case {
    client: Arc<dyn MiniProgramLogin>,
    seen: Arc<Seen>,
    secrets: Vec<String>,
    /// The user id and the secret of the login `good-once`.
    once: (&'static str, String),
}

/// Exercise: each of the shared cases against one platform. Expectation: the outcome each case
/// names, and none of the platform's secrets, nor the codes, in any error.
async fn behaves_like_every_platform(case: Case) {
    let client = &*case.client;
    let exchange = |code: &str| {
        let code = LoginCode::new(code);
        async move { client.exchange(&code).await.unwrap_err() }
    };
    let mut errors: Vec<LoginError> = Vec::new();

    let before = case.seen.hits.load(Ordering::SeqCst);
    for code in ["", "a b", "a\nb", "登录", &"x".repeat(300)] {
        let e = exchange(code).await;
        assert!(
            e.is_bad_code() && e.platform_code().is_none(),
            "{code:?}: {e:?}"
        );
        errors.push(e);
    }
    assert_eq!(
        case.seen.hits.load(Ordering::SeqCst),
        before,
        "{}: an implausible code is not sent",
        client.platform()
    );

    for (code, expected) in [
        ("status-503", "HTTP status 503"),
        ("html", "not its JSON"),
        ("huge", "is longer than"),
    ] {
        let e = exchange(code).await;
        assert!(e.is_upstream() && !e.is_transport(), "{code}: {e:?}");
        assert!(e.to_string().contains(expected), "{code}: {e}");
        errors.push(e);
    }
    let slow = exchange("slow").await;
    assert!(slow.is_timeout(), "{slow:?}");
    errors.push(slow);

    // A code logs in once; the second time it is refused as the code's fault.
    let identity = client.exchange(&LoginCode::new("good-once")).await.unwrap();
    assert_eq!(identity.platform, client.platform());
    assert_eq!(identity.user_id, case.once.0);
    assert_eq!(identity.secret.unwrap().expose_secret(), case.once.1);
    let used = exchange("good-once").await;
    assert!(
        used.is_bad_code() && used.platform_code().is_some(),
        "{used:?}"
    );
    errors.push(used);

    for e in &errors {
        assert_eq!(e.platform(), client.platform());
        let text = all_text(e);
        for secret in case
            .secrets
            .iter()
            .map(String::as_str)
            .chain(["good-once", "a b"])
        {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

#[tokio::test]
async fn every_platform_behaves_alike() {
    use sealed_session::wechat::WechatApi;
    let (wechat_base, wechat_seen) = stand_in(wechat_router).await;
    let (qq_base, qq_seen) = stand_in(qq_router).await;
    let (douyin_base, douyin_seen) = stand_in(douyin_router).await;
    let (gateway, alipay_seen) = alipay_stand_in().await;
    let (baidu_base, baidu_seen) = stand_in(baidu_router).await;
    let (kuaishou_base, kuaishou_seen) = stand_in(kuaishou_router).await;
    let key_of = session_key_of("once");
    let cases = [
        Case {
            client: Arc::new(client::<WechatApi>(
                WECHAT_APPID,
                WECHAT_SECRET,
                &wechat_base,
            )),
            seen: wechat_seen,
            secrets: vec![WECHAT_SECRET.into()],
            once: ("wx-once", key_of.clone()),
        },
        Case {
            client: Arc::new(qq(&qq_base)),
            seen: qq_seen,
            secrets: vec![QQ_SECRET.into()],
            once: ("qq-once", key_of.clone()),
        },
        Case {
            client: Arc::new(douyin(&douyin_base, DOUYIN_SECRET)),
            seen: douyin_seen,
            secrets: vec![DOUYIN_SECRET.into()],
            once: ("tt-once", key_of.clone()),
        },
        Case {
            client: Arc::new(alipay(&gateway)),
            seen: alipay_seen,
            // Any 40-character piece of the key's base64 would show a leak.
            secrets: vec![key("app-private-pkcs8")[100..140].into()],
            once: ("al-once", access_token_of("once")),
        },
        Case {
            client: Arc::new(baidu(&baidu_base, BAIDU_SECRET)),
            seen: baidu_seen,
            secrets: vec![BAIDU_SECRET.into()],
            once: ("bd-once", key_of.clone()),
        },
        Case {
            client: Arc::new(kuaishou(&kuaishou_base, KUAISHOU_SECRET)),
            seen: kuaishou_seen,
            secrets: vec![KUAISHOU_SECRET.into()],
            once: ("ks-once", key_of),
        },
    ];
    // All at once: each waits out its `slow` timeout.
    let runs: Vec<_> = cases
        .into_iter()
        .map(|case| tokio::spawn(behaves_like_every_platform(case)))
        .collect();
    for run in runs {
        run.await.unwrap();
    }
}

#[tokio::test]
async fn an_unreachable_platform_is_a_transport_error_without_secrets() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let clients: Vec<Arc<dyn MiniProgramLogin>> = vec![
        Arc::new(qq(&dead)),
        Arc::new(douyin(&dead, DOUYIN_SECRET)),
        Arc::new(alipay(&format!("{dead}/gateway.do"))),
        Arc::new(baidu(&dead, BAIDU_SECRET)),
        Arc::new(kuaishou(&dead, KUAISHOU_SECRET)),
    ];
    for client in clients {
        let e = client
            .exchange(&LoginCode::new("good-code-1"))
            .await
            .unwrap_err();
        assert!(e.is_transport() && e.is_upstream(), "{e:?}");
        let text = all_text(&e);
        for secret in [
            QQ_SECRET,
            DOUYIN_SECRET,
            BAIDU_SECRET,
            KUAISHOU_SECRET,
            "good-code-1",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
