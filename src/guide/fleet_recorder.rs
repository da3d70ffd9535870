use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sealed_session::metrics::{buckets, names};

/// Installs the Prometheus recorder with the recommended buckets. Call it before building the
/// `SessionLayer`, and serve `handle.render()` on your `/metrics` route.
fn install_recorder() -> Result<PrometheusHandle, Box<dyn std::error::Error>> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(names::TOKEN_LENGTH.into()),
            &buckets::TOKEN_LENGTH,
        )?
        .set_buckets_for_metric(
            Matcher::Full(names::REVOCATION_CHECK_DURATION.into()),
            &buckets::REVOCATION_CHECK_SECONDS,
        )?
        .install_recorder()?;
    Ok(handle)
}
